// Markdown and MDX sections as markdown-it reads them (what VS Code's preview renders): ATX and setext
// headings, the first top-level paragraph after each, and every image (`![…](…)`, also remote, and raw
// `<img>`). A YAML front matter block is blanked first: markdown-it would read its closing `---` as a
// setext underline.
import MarkdownIt from 'markdown-it';
import { Lines } from '../text';
import type { SectionScan } from './scan';

const parsers: Partial<Record<string, MarkdownIt.MarkdownIt>> = {};

function parser(languageId: string): MarkdownIt.MarkdownIt {
  return (parsers[languageId] ??= (() => {
    const md = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
    if (languageId === 'mdx') md.disable('code'); // MDX has no indented code blocks
    return md;
  })());
}

export function markdownSections(text: string, languageId: string): SectionScan {
  const source = withoutFrontMatter(text);
  const lines = new Lines(source);
  const span = (map: [number, number]) => ({ start: lines.start(map[0]), end: lines.end(Math.max(map[0], map[1] - 1)) });
  const tokens = parser(languageId).parse(source, {});
  const scan: SectionScan = { headings: [], images: [] };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'heading_open' && token.map) {
      scan.headings.push({ level: Number(token.tag.slice(1)), span: span(token.map), text: tokens[i + 1]?.content ?? '' });
    } else if (token.type === 'paragraph_open' && token.level === 0 && token.map) {
      const current = scan.headings[scan.headings.length - 1];
      if (current && !current.paragraph) current.paragraph = span(token.map);
    }
    if (token.map && (hasImage(token) || hasImage(tokens[i + 1]))) scan.images.push(lines.start(token.map[0]));
  }
  return scan;
}

/** An image in an inline token's children, or raw HTML holding `<img`. */
function hasImage(token: MarkdownIt.Token | undefined): boolean {
  if (!token) return false;
  if (token.type === 'html_block') return /<img\b/i.test(token.content);
  return token.type === 'inline' && !!token.children?.some((child) => child.type === 'image' || (child.type === 'html_inline' && /^<img\b/i.test(child.content)));
}

/** `---` on the first line up to the next `---` or `...` line, replaced by spaces (line breaks kept). */
function withoutFrontMatter(text: string): string {
  const open = /^---[ \t]*\r?\n/.exec(text);
  if (!open) return text;
  const close = /^(?:---|\.\.\.)[ \t]*$/m.exec(text.slice(open[0].length));
  if (!close) return text;
  const end = open[0].length + close.index + close[0].length;
  return text.slice(0, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
}
