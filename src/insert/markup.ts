// HTML, XML and JSX tags as a text scanner sees them: enough to find `<img>` elements, to step out of
// a tag the cursor is in, and to strip tags from a selection. Not a validating parser — the tests
// hold the snippets to real parsers.
import { mask } from './text';

export interface Attribute {
  name: string;
  /** The value between its delimiters, as written; undefined for a bare attribute. */
  value?: string;
  valueStart?: number;
  valueEnd?: number;
  /** `"` or `'` for a quoted value, `{` for an expression (JSX, Svelte, Astro), `''` unquoted. */
  quote?: string;
}

export interface Tag {
  /** As written (`img`, `Image`, `svg:image`). */
  name: string;
  start: number;
  end: number;
  closing: boolean;
  attributes: Attribute[];
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const ATTRIBUTE_NAME = /[^\s"'<>/={}]+/y;
const UNQUOTED_VALUE = /[^\s>]+/y;

/**
 * Every tag outside HTML comments, in document order. A tag left open at the end of the text (an
 * unclosed quote or brace) ends the scan: every later `<` is inside it, and reading each again to the
 * end would take quadratic time.
 */
export function scanTags(text: string): Tag[] {
  const masked = mask(text, COMMENT);
  const tags: Tag[] = [];
  const opening = /<(\/?)([A-Za-z][\w:.-]*)/g;
  for (let m = opening.exec(masked); m; m = opening.exec(masked)) {
    const tag = readTag(masked, m.index, m[2], m[1] === '/');
    if (tag === 'unclosed') break;
    if (!tag) continue;
    tags.push(tag);
    opening.lastIndex = tag.end;
  }
  return tags;
}

function readTag(text: string, start: number, name: string, closing: boolean): Tag | 'unclosed' | undefined {
  const attributes: Attribute[] = [];
  let i = start + 1 + (closing ? 1 : 0) + name.length;
  while (i < text.length) {
    while (/\s/.test(text[i] ?? '')) i++;
    if (text[i] === '>') return { name, start, end: i + 1, closing, attributes };
    if (text.startsWith('/>', i)) return { name, start, end: i + 2, closing, attributes };
    if (text[i] === '<') return undefined;
    if (i >= text.length) return 'unclosed';
    if (text[i] === '{') {
      i = closingBrace(text, i) + 1; // a JSX spread or a Svelte shorthand attribute
      continue;
    }
    ATTRIBUTE_NAME.lastIndex = i;
    const attributeName = ATTRIBUTE_NAME.exec(text)?.[0];
    if (!attributeName) {
      i++;
      continue;
    }
    i += attributeName.length;
    const equals = /^\s*=\s*/.exec(text.slice(i, i + 64));
    if (!equals) {
      attributes.push({ name: attributeName });
      continue;
    }
    i += equals[0].length;
    const attribute = readValue(text, i, attributeName);
    if (!attribute || attribute.valueEnd! >= text.length) return 'unclosed';
    attributes.push(attribute);
    i = attribute.valueEnd! + (attribute.quote ? 1 : 0);
  }
  return 'unclosed';
}

function readValue(text: string, at: number, name: string): Attribute | undefined {
  const quote = text[at];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, at + 1);
    if (close === -1) return undefined;
    return { name, value: text.slice(at + 1, close), valueStart: at + 1, valueEnd: close, quote };
  }
  if (quote === '{') {
    const close = closingBrace(text, at);
    return { name, value: text.slice(at + 1, close), valueStart: at + 1, valueEnd: close, quote };
  }
  UNQUOTED_VALUE.lastIndex = at;
  const raw = UNQUOTED_VALUE.exec(text)?.[0].replace(/\/$/, '') ?? '';
  return { name, value: raw, valueStart: at, valueEnd: at + raw.length, quote: '' };
}

/** Offset of the brace closing the one at `open` (string literals skipped); the text's end if none. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      const close = text.indexOf(c, i + 1);
      if (close === -1) return text.length;
      i = close;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return text.length;
}

/** Where a cursor at `offset` inside a tag or an HTML comment should go instead: just after it. */
export function endOfTagAround(text: string, offset: number): number | undefined {
  for (const comment of text.matchAll(COMMENT)) {
    const end = comment.index! + comment[0].length;
    if (comment.index! < offset && offset < end) return end;
  }
  return scanTags(text).find((tag) => tag.start < offset && offset < tag.end)?.end;
}

/** Tags inside a line of text: removing them must not glue or split words (`fox<b>es</b>`). */
const INLINE_TAGS = new Set(['a', 'abbr', 'b', 'cite', 'code', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'u']);

/** `text` without tags; the content of HTML comments stays, their `<!--` and `-->` go. */
export function stripTags(text: string): string {
  let out = '';
  let from = 0;
  for (const tag of scanTags(text)) {
    out += text.slice(from, tag.start) + (INLINE_TAGS.has(tag.name.toLowerCase()) ? '' : ' ');
    from = tag.end;
  }
  return (out + text.slice(from)).replace(/<!--|-->/g, ' ');
}
