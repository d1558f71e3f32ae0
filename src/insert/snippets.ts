// The text "Insert into workspace" puts into a document, by language. Pure string rules, free of
// `vscode` and Node; paths are POSIX (URI paths), relative to the document's folder.

export const ALT_MAX_LENGTH = 120;

export interface SnippetInput {
  languageId: string;
  /** Relative POSIX path from the document's folder to the image, e.g. `images/fox-42.png`. */
  path: string;
  /** The prompt; made single-line and shortened here. */
  alt: string;
  width?: number;
  height?: number;
}

/** Languages whose image syntax is a block that belongs on its own line. */
const BLOCK_LANGUAGES = new Set(['markdown', 'mdx', 'restructuredtext', 'asciidoc', 'latex', 'tex']);

export function snippetFor(input: SnippetInput): string {
  const alt = altText(input.alt);
  const path = input.path;
  switch (input.languageId) {
    case 'markdown':
    case 'mdx':
      return `![${escapeMarkdownAlt(alt)}](${markdownDestination(path)})`;
    case 'html':
    case 'vue':
    case 'vue-html':
    case 'svelte':
    case 'astro':
    case 'php': {
      const size =
        isDimension(input.width) && isDimension(input.height) ? ` width="${input.width}" height="${input.height}"` : '';
      return `<img src="${escapeAttribute(urlPath(path))}" alt="${escapeAttribute(alt)}"${size}>`;
    }
    case 'javascriptreact':
    case 'typescriptreact':
      return `<img src="${escapeAttribute(urlPath(path))}" alt="${escapeAttribute(alt)}" />`;
    case 'css':
    case 'scss':
    case 'sass':
    case 'less':
    case 'stylus':
      return `url("${escapeCssString(urlPath(path))}")`;
    case 'latex':
    case 'tex':
      return `\\includegraphics{${path}}`;
    case 'restructuredtext':
      return `.. image:: ${path.replace(/\\/g, '\\\\').replace(/\s/g, '\\ ')}\n   :alt: ${alt}`;
    case 'asciidoc':
      return `image::${path.replace(/ /g, '%20').replace(/\[/g, '%5B')}[${asciidocAlt(alt)}]`;
    default:
      return path;
  }
}

/**
 * Puts a block snippet on its own line: a line break before it when the cursor is after text, and one
 * after it when text follows (reStructuredText directives need blank lines around them).
 */
/** Languages whose image syntax is a block that belongs on a line of its own. */
export function isBlockLanguage(languageId: string): boolean {
  return BLOCK_LANGUAGES.has(languageId);
}

export function placeSnippet(snippet: string, languageId: string, textBefore: string, textAfter: string): string {
  if (!isBlockLanguage(languageId)) return snippet;
  const gap = languageId === 'restructuredtext' ? '\n\n' : '\n';
  const before = textBefore.trim() ? gap : '';
  const after = textAfter.trim() ? gap : '';
  return `${before}${snippet}${after}`;
}

/** The prompt as alt text: one line, whitespace collapsed, at most ~120 characters (cut at a word). */
export function altText(prompt: string, max = ALT_MAX_LENGTH): string {
  // Control characters would break the syntaxes above; bidi embeddings/overrides/isolates would
  // visually reorder the rest of the line in the editor, so they go too (RTL text itself stays).
  const single = prompt
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(single);
  if (chars.length <= max) return single;
  let cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  if (space >= max / 2) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/** Relative POSIX path from folder `fromDir` to file `to`; both absolute POSIX paths (URI paths). */
export function relativePosixPath(fromDir: string, to: string): string {
  const from = fromDir.split('/').filter(Boolean);
  const target = to.split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < target.length - 1 && from[common] === target[common]) common++;
  const ups = from.slice(common).map(() => '..');
  return [...ups, ...target.slice(common)].join('/');
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeMarkdownAlt(alt: string): string {
  return alt.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

function markdownDestination(path: string): string {
  if (/[\s()<>]/.test(path)) return `<${path.replace(/[<>]/g, (c) => `\\${c}`)}>`;
  return path;
}

/** Percent-encodes only what breaks a URL reference (space, `#`, `?`, `%`, quotes); keeps it readable. */
function urlPath(path: string): string {
  return path.replace(/[\s#?%"'<>\\]/g, (c) => encodeURIComponent(c));
}

function escapeCssString(value: string): string {
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}

function asciidocAlt(alt: string): string {
  const escaped = alt.replace(/\]/g, '\\]');
  return /[,="]/.test(escaped) ? `"${escaped.replace(/"/g, '\\"')}"` : escaped;
}

function isDimension(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value > 0 && value < 100_000;
}
