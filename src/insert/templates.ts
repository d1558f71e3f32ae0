// fluxStudio.insert.templates: the writer's own image markup, per language family. A template is read
// once, in one left-to-right pass (linear time, at most TEMPLATE_MAX_LENGTH characters), into literal
// text and variables; each variable is tagged with the position the text before it puts it in (an
// attribute value, a link destination, a macro target, text…) and is escaped for that position with
// the family's own escaping. A position that cannot be escaped safely (a code span, a script, a JSX
// expression for text) refuses the template, which then falls back to the built-in snippet.
import { backslashEscape, escapeAttribute, percentEncode, urlPath } from './escape';
import { asciidocTarget } from './languages/asciidoc';
import type { LanguageFamily } from './languages/family';
import { isDimension } from './languages/family';
import { latexPath } from './languages/latex';
import { markdownAlt } from './languages/markdown';
import { BRACE_LANGUAGES } from './languages/parsedHtml';
import { rstTarget } from './languages/rst';
import { altText } from './snippets';

/** Longest template read, in UTF-16 code units: markup for one image, not a document. */
export const TEMPLATE_MAX_LENGTH = 1000;
/** Longest `${prompt}`, in code points: the longest prompt the API takes. */
const PROMPT_MAX_LENGTH = 2000;

/** The keys of the setting: the families of src/insert/languages, Markdown and MDX apart. */
export const TEMPLATE_KEYS = ['markdown', 'mdx', 'html', 'asciidoc', 'restructuredtext', 'latex'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
export const TEMPLATE_VARIABLES = ['alt', 'path', 'width', 'height', 'prompt'] as const;
type Variable = (typeof TEMPLATE_VARIABLES)[number];

/** Where a variable sits, as far as escaping goes. */
type Position =
  | 'text' // the language's running text
  | 'attribute' // a quoted markup attribute value
  | 'url-attribute' // …of src, href, poster: a URL
  | 'alt' // Markdown `![…]` or `[…]`
  | 'destination' // Markdown `(…)` after `]`, an AsciiDoc macro target, a reStructuredText directive argument
  | 'option' // a reStructuredText `:alt:` field, an AsciiDoc attribute list: one-line values read as written
  | 'latex-path' // `\includegraphics{…}`
  | 'numbers'; // where only digits are safe (a JSX expression, an unquoted attribute)

type Part = string | { variable: Variable; position: Position };

export type TemplateProblem = 'too-long' | 'unknown-variable' | 'unclosed-variable' | 'unsafe-position' | 'no-path';

export type TemplateParts = readonly Part[];
/** The templates that were read without a problem, by key. */
export type TemplateSet = Partial<Record<TemplateKey, TemplateParts>>;

export type ParsedTemplate = { ok: true; parts: TemplateParts } | { ok: false; problem: TemplateProblem; detail?: string };

export interface TemplateValues {
  path: string;
  /** Alt text, already one line and shortened by `altText`. */
  alt: string;
  /** The whole prompt (made one line here). */
  prompt: string;
  width?: number;
  height?: number;
}

/** The setting's key for a document family and language; undefined where templates do not apply (CSS, JSX, plain). */
export function templateKeyOf(family: LanguageFamily, languageId: string): TemplateKey | undefined {
  if (family.name === 'markdown') return languageId === 'mdx' ? 'mdx' : 'markdown';
  return (TEMPLATE_KEYS as readonly string[]).includes(family.name) ? (family.name as TemplateKey) : undefined;
}

const VARIABLE_NAME = /^[A-Za-z]\w*$/;

/** Reads the template of the setting's `key` into literal text and placed variables. */
export function parseTemplate(template: string, key: TemplateKey): ParsedTemplate {
  if (template.length > TEMPLATE_MAX_LENGTH) return { ok: false, problem: 'too-long' };
  const scanner = scannerFor(key);
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('\\$', i)) {
      literal += '$';
      scanner.feed('$');
      i += 2;
      continue;
    }
    if (!template.startsWith('${', i)) {
      literal += template[i];
      scanner.feed(template[i]);
      i++;
      continue;
    }
    const close = template.indexOf('}', i + 2);
    if (close === -1) return { ok: false, problem: 'unclosed-variable' };
    const name = template.slice(i + 2, close);
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      return { ok: false, problem: 'unknown-variable', detail: VARIABLE_NAME.test(name) ? name : undefined };
    }
    const position = scanner.position();
    if (position === undefined || (position === 'numbers' && name !== 'width' && name !== 'height')) {
      return { ok: false, problem: 'unsafe-position', detail: name };
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push({ variable: name as Variable, position });
    // The value stands for text in the scanner's eyes: a `]` or `"` in it is escaped, never syntax.
    scanner.feed('x');
    i = close + 1;
  }
  if (literal) parts.push(literal);
  if (!parts.some((part) => typeof part !== 'string' && part.variable === 'path')) return { ok: false, problem: 'no-path' };
  return { ok: true, parts };
}

/**
 * The template filled in; undefined when it uses a width or height that is not known (the built-in
 * snippet is used then).
 */
export function fillTemplate(parts: TemplateParts, values: TemplateValues, key: TemplateKey, languageId: string): string | undefined {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = rawValue(part.variable, values);
    if (value === undefined) return undefined;
    out += escapeFor(part.position, part.variable, value, key, languageId);
  }
  return out;
}

function rawValue(variable: Variable, values: TemplateValues): string | undefined {
  switch (variable) {
    case 'width':
    case 'height':
      return isDimension(values[variable]) ? String(values[variable]) : undefined;
    case 'prompt':
      return altText(values.prompt, PROMPT_MAX_LENGTH);
    default:
      return values[variable];
  }
}

/** ASCII punctuation as numeric character references: Markdown, HTML and AsciiDoc all decode them, none reads them as syntax. */
function punctuationReferences(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A URL part: everything but unreserved characters and `/` percent-encoded (read back percent-decoded). */
function strictUrl(text: string): string {
  return percentEncode(text, /[^A-Za-z0-9\-._~/]/);
}

/** LaTeX text: the special characters spelled, and those of a key–value list (`,` `=` `[` `]`) braced. */
function latexText(text: string): string {
  const spelled: Record<string, string> = {
    '\\': '\\textbackslash{}', '^': '\\textasciicircum{}', '~': '\\textasciitilde{}',
    '[': '{[}', ']': '{]}', ',': '{,}', '=': '{=}',
  };
  return text.replace(/[\\^~[\],=]|[{}#$%&_]/g, (c) => spelled[c] ?? `\\${c}`);
}

function escapeFor(position: Position, variable: Variable, value: string, key: TemplateKey, languageId: string): string {
  const isPath = variable === 'path';
  switch (position) {
    case 'numbers':
      return value;
    case 'url-attribute':
      return escapeAttribute(isPath ? urlPath(value) : strictUrl(value), BRACE_LANGUAGES.has(languageId) || key === 'mdx').replace(/'/g, '&#39;');
    case 'attribute':
      return escapeAttribute(value, BRACE_LANGUAGES.has(languageId) || key === 'mdx').replace(/'/g, '&#39;');
    case 'alt':
      return markdownAlt(value, languageId);
    case 'destination':
      if (key === 'asciidoc') return isPath ? asciidocTarget(value) : strictUrl(value);
      if (key === 'restructuredtext') return rstTarget(value);
      return strictUrl(value);
    case 'option':
      // A reStructuredText field value is read as written to the line's end. An AsciiDoc attribute value may
      // be formatted (`title=`) or not (the alt text): as references, punctuation is neither syntax nor a
      // delimiter there; `""` keeps an empty alt text empty.
      if (key !== 'asciidoc') return value;
      return value ? punctuationReferences(value) : '""';
    case 'latex-path':
      return latexPath(value);
    case 'text':
      if (key === 'latex') return latexText(value);
      if (key === 'restructuredtext') return backslashEscape(value, /[!-/:-@[-`{-~]/);
      if (key === 'html') return escapeAttribute(value, BRACE_LANGUAGES.has(languageId));
      return punctuationReferences(value);
  }
}

interface Scanner {
  feed(c: string): void;
  /** Where a variable at this point would sit; undefined where it cannot be escaped safely. */
  position(): Position | undefined;
}

function scannerFor(key: TemplateKey): Scanner {
  switch (key) {
    case 'markdown':
    case 'mdx':
      return markdownScanner(key === 'mdx');
    case 'html':
      return markupScanner(false);
    case 'asciidoc':
      return asciidocScanner();
    case 'restructuredtext':
      return rstScanner();
    case 'latex':
      return latexScanner();
  }
}

/** Elements whose content is not markup: no escaping makes a variable safe there. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
const URL_ATTRIBUTES = new Set(['src', 'href', 'poster', 'data', 'action', 'srcset', 'cite']);

/** HTML tags (and JSX tags when `jsx`): inside a tag, its quoted values and its `{…}` expressions. */
function markupScanner(jsx: boolean): Scanner & { inMarkup(): boolean } {
  let state: 'text' | 'tag-open' | 'tag' | 'value' | 'expression' | 'raw' = 'text';
  let tagName = '';
  let word = '';
  let attribute = '';
  let quote = '';
  let depth = 0;
  let rawElement = '';
  let seen = '';
  return {
    inMarkup: () => state !== 'text',
    feed(c) {
      seen = (seen + c).slice(-16);
      if (state === 'tag-open') {
        if (/[\w:.!/-]/.test(c)) {
          tagName += c;
          return;
        }
        // A lone `<` is text; else the character after the name is the tag's.
        state = tagName ? 'tag' : 'text';
        word = '';
      }
      switch (state) {
        case 'text':
          if (c === '<') {
            state = 'tag-open';
            tagName = '';
          }
          return;
        case 'raw':
          if (seen.toLowerCase().endsWith(`</${rawElement}`)) {
            state = 'tag';
            tagName = `/${rawElement}`;
          }
          return;
        case 'tag':
          if (c === '"' || c === "'") {
            state = 'value';
            quote = c;
            attribute = word.toLowerCase() || attribute;
          } else if (c === '{') {
            state = 'expression';
            depth = 1;
          } else if (c === '>') {
            rawElement = tagName.toLowerCase();
            state = RAW_TEXT.has(rawElement) ? 'raw' : 'text';
          } else if (c === '=') {
            attribute = word.toLowerCase();
            word = '';
          } else if (/[^\s"'<>/={}]/.test(c)) word += c;
          else word = '';
          return;
        case 'value':
          if (c === quote) state = 'tag';
          return;
        case 'expression':
          if (c === '{') depth++;
          if (c === '}' && --depth === 0) state = 'tag';
          return;
      }
    },
    position() {
      switch (state) {
        case 'text':
          return 'text';
        case 'value':
          return URL_ATTRIBUTES.has(attribute) ? 'url-attribute' : 'attribute';
        case 'tag':
        case 'expression':
          return jsx || state === 'tag' ? 'numbers' : undefined;
        default:
          return undefined;
      }
    },
  };
}

/** Markdown and MDX: raw HTML or JSX, image and link syntax, code spans; everything else is text. */
function markdownScanner(mdx: boolean): Scanner {
  const markup = markupScanner(mdx);
  let link: 'none' | 'text' | 'bracket-closed' | 'destination' | 'angle-destination' = 'none';
  let code = false;
  let expression = 0;
  return {
    feed(c) {
      if (markup.inMarkup()) return markup.feed(c);
      if (c === '`') code = !code;
      if (code) return;
      if (mdx && c === '{') expression++;
      if (mdx && c === '}' && expression > 0) expression--;
      if (expression) return;
      if (link === 'bracket-closed') link = c === '(' ? 'destination' : 'none';
      else if (link === 'destination' && c === '<') link = 'angle-destination';
      else if ((link === 'destination' && /[\s)]/.test(c)) || (link === 'angle-destination' && c === '>')) link = 'none';
      else if (c === '[') link = 'text';
      else if (link === 'text' && c === ']') link = 'bracket-closed';
      else if (c === '<' && link === 'none') markup.feed(c);
    },
    position() {
      if (markup.inMarkup()) return markup.position();
      if (code || expression) return undefined;
      if (link === 'text') return 'alt';
      if (link === 'destination') return 'destination';
      if (link === 'angle-destination') return undefined;
      return 'text';
    },
  };
}

/** AsciiDoc: `image::target[attributes]` and `image:target[…]`; text elsewhere, line by line. */
function asciidocScanner(): Scanner {
  let state: 'text' | 'target' | 'attributes' | 'quoted' = 'text';
  let line = '';
  return {
    feed(c) {
      line = c === '\n' ? '' : (line + c).slice(-8);
      if (c === '\n') state = 'text';
      else if (state === 'text' && /(?:^|[^\w:])image::?$/.test(line)) state = 'target';
      else if (state === 'target' && c === '[') state = 'attributes';
      else if (state === 'attributes' && c === '"') state = 'quoted';
      else if (state === 'quoted' && c === '"') state = 'attributes';
      else if (state === 'attributes' && c === ']') state = 'text';
    },
    position() {
      if (state === 'target') return 'destination';
      if (state === 'quoted') return undefined;
      // A whole attribute value: right after `[`, `,` or `=`.
      if (state === 'attributes') return /[[,=]\s*$/.test(line) ? 'option' : undefined;
      return 'text';
    },
  };
}

/** reStructuredText: a directive's argument, a field's value (`:alt:`), text elsewhere, line by line. */
function rstScanner(): Scanner {
  let line = '';
  return {
    feed(c) {
      line = c === '\n' ? '' : line + c;
    },
    position() {
      if (/^\s*\.\.\s+(?:\|[^|]+\|\s+)?(?:image|figure)::\s+/.test(line)) return 'destination';
      if (/^\s*:[\w-]+:\s+/.test(line)) return 'option';
      return /^\s*\.\./.test(line) ? undefined : 'text';
    },
  };
}

/** LaTeX: the file argument of `\includegraphics`, its `[…]` options, text elsewhere. */
function latexScanner(): Scanner {
  let recent = '';
  let state: 'text' | 'after-command' | 'options' | 'path' = 'text';
  return {
    feed(c) {
      recent = (recent + c).slice(-17);
      if (state === 'text' && recent.endsWith('\\includegraphics')) state = 'after-command';
      else if (state === 'after-command' && c === '[') state = 'options';
      else if (state === 'options' && c === ']') state = 'after-command';
      else if (state === 'after-command' && c === '{') state = 'path';
      else if (state === 'after-command' && !/[\s*]/.test(c)) state = 'text';
      else if (state === 'path' && c === '}') state = 'text';
    },
    position() {
      if (state === 'path') return 'latex-path';
      if (state === 'options') return 'text';
      return state === 'text' ? 'text' : undefined;
    },
  };
}
