// Markdown (CommonMark as VS Code's preview renders it, GFM tables and strikethrough included) and MDX.
//
// Placement: the image becomes a paragraph of its own after the cursor's block — a blank line before
// it, inside the same blockquote — except inside a list item, where a blank line would turn a tight
// list into a loose one: there it continues the item's paragraph on a line of its own. A cursor in a
// fenced code block puts it after the fence.
import { backslashEscape, decodeEntities, isLocalReference, percentDecode, percentEncode, unescapeBackslashes, withEscapesHidden } from '../escape';
import { stripTags } from '../markup';
import { collapseWhitespace, isBlank, isolateBlock, lastLineOf, leadingWhitespace, Lines, mask } from '../text';
import type { ImageReference, LanguageFamily, Placement } from './family';
import { htmlImages } from './htmlLike';

/** Characters that would turn alt text into markup; MDX adds its expression braces. */
const ALT_SPECIALS = /[\\`*_[\]<>&~|]/;
const MDX_ALT_SPECIALS = /[\\`*_[\]<>&~|{}]/;
const QUOTE_PREFIX = /^(?: {0,3}> ?)*/;
const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?: {1,4}|\t)(?=\S)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** Lines that end a paragraph: list items, headings, quotes, fences, HTML, thematic breaks. */
const BLOCK_START = /^(?:[-+*] |\d{1,9}[.)] |#{1,6}(?:\s|$)|>|`{3,}|~{3,}|<|(?:[-*_] *){3,}$)/;

export const markdown: LanguageFamily = {
  name: 'markdown',
  snippet(image, languageId) {
    const alt = backslashEscape(image.alt, languageId === 'mdx' ? MDX_ALT_SPECIALS : ALT_SPECIALS);
    return `![${alt}](${destination(image.path)})`;
  },
  place(snippet, at) {
    if (at.replacing) return { start: at.start, end: at.end, newText: snippet };
    return placeBlock(snippet, at);
  },
  findImages(text, languageId) {
    const masked = maskCode(new Lines(text));
    return [...markdownImages(text, masked), ...htmlImages(text, masked, languageId)].sort((a, b) => a.start - b.start);
  },
  cleanSelection(text) {
    return cleanMarkdown(text);
  },
};

/** The link destination: `%` and `\` percent-encoded (so it reads back exactly), `<…>` around spaces. */
function destination(path: string): string {
  const encoded = percentEncode(path, /[%\\\u0000-\u001f\u007f]/);
  if (/[\s<>]/.test(encoded) || !parenthesesBalance(encoded)) return `<${backslashEscape(encoded, /[<>]/)}>`;
  return encoded;
}

function parenthesesBalance(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function split(line: string): { quote: string; rest: string } {
  const quote = QUOTE_PREFIX.exec(line)![0];
  return { quote, rest: line.slice(quote.length) };
}

const isBlankLine = (text: string) => isBlank(split(text).rest);

function placeBlock(snippet: string, at: Placement) {
  const { lines } = at;
  const fences = fencedBlocks(lines);
  const cursorLine = lines.lineOf(at.start);
  const fence = fences.find(([open, close]) => open <= cursorLine && cursorLine <= close);
  const { quote, rest } = split(lines.line(fence ? fence[0] : cursorLine));
  const options = { blankLine: quote.trimEnd(), isBlank: isBlankLine };
  if (!fence && isBlank(rest)) {
    const indent = listIndent(lines, cursorLine) !== undefined ? leadingWhitespace(rest) : '';
    return isolateBlock(lines, at.start, at.end, quote + indent + snippet, options);
  }
  const indent = fence ? undefined : listIndent(lines, cursorLine);
  if (indent !== undefined) {
    const last = lastLineOf(lines, cursorLine, (text) => {
      const next = split(text).rest.trimStart();
      return next !== '' && !BLOCK_START.test(next);
    });
    const end = lines.end(last);
    return { start: end, end, newText: lines.eol + quote + indent + snippet };
  }
  const end = lines.end(chunkEnd(lines, fence ? fence[1] : cursorLine, fences));
  return isolateBlock(lines, end, end, quote + snippet, options);
}

/**
 * The indentation that keeps a new line inside the list item that `line` belongs to, or undefined
 * at the top level (an indented line whose less-indented neighbour above is not a list item is
 * indented code or a plain paragraph).
 */
function listIndent(lines: Lines, line: number): string | undefined {
  const { rest } = split(lines.line(line));
  const item = LIST_ITEM.exec(rest);
  if (item) return ' '.repeat(item[0].length);
  const indent = leadingWhitespace(rest);
  for (let above = line - 1; above >= 0; above--) {
    const text = split(lines.line(above)).rest;
    if (isBlank(text) || leadingWhitespace(text).length >= indent.length) continue;
    return LIST_ITEM.test(text) ? indent : undefined;
  }
  return undefined;
}

/** The last line of the run of non-blank lines from `line` on; fenced code counts as one line. */
function chunkEnd(lines: Lines, line: number, fences: Array<[number, number]>): number {
  let last = line;
  while (last + 1 < lines.count) {
    const fence = fences.find(([open]) => open === last + 1);
    if (fence) last = fence[1];
    else if (isBlankLine(lines.line(last + 1))) break;
    else last++;
  }
  return last;
}

/** [opening line, closing line] of each fenced code block; an unclosed one runs to the end. */
function fencedBlocks(lines: Lines): Array<[number, number]> {
  const blocks: Array<[number, number]> = [];
  for (let open = 0; open < lines.count; open++) {
    const fence = FENCE.exec(split(lines.line(open)).rest)?.[1];
    if (!fence) continue;
    let close = open + 1;
    while (close < lines.count) {
      const rest = split(lines.line(close)).rest;
      const closing = FENCE.exec(rest)?.[1];
      if (closing && closing[0] === fence[0] && closing.length >= fence.length && isBlank(rest.trim().slice(closing.length))) break;
      close++;
    }
    blocks.push([open, Math.min(close, lines.count - 1)]);
    open = close;
  }
  return blocks;
}

/** The text with fenced code, code spans and HTML comments blanked out (offsets unchanged). */
function maskCode(lines: Lines): string {
  let text = lines.text;
  for (const [open, close] of fencedBlocks(lines)) {
    const start = lines.start(open);
    const end = lines.end(close);
    text = text.slice(0, start) + mask(text.slice(start, end), /[\s\S]+/g) + text.slice(end);
  }
  return mask(text, /(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)|<!--[\s\S]*?-->/g);
}

// ---------------------------------------------------------------------------------------------------
// Finding images: `![alt](path "title")`, `![alt][label]`, `![alt][]`, `![alt]` with `[label]: path`.

function markdownImages(text: string, masked: string): ImageReference[] {
  const definitions = new Map<string, { dest: string; start: number }>();
  for (const m of masked.matchAll(/^ {0,3}\[((?:\\.|[^\\\]])+)\]:[ \t]*(<[^>\n]*>|\S+)/gm)) {
    const start = m.index! + m[0].length - m[2].length;
    definitions.set(normalizeLabel(m[1]), { dest: m[2], start });
  }
  const images: ImageReference[] = [];
  for (const m of masked.matchAll(/!\[/g)) {
    const close = closingBracket(masked, m.index! + 1);
    if (close === -1) continue;
    const alt = cleanAlt(text.slice(m.index! + 2, close));
    const inline = /^\(\s*(<[^>\n]*>|(?:\\.|[^\s()\\]|\((?:\\.|[^\s()\\])*\))+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/.exec(masked.slice(close + 1));
    if (inline) {
      images.push(reference(m.index!, close + 1 + inline[0].length, inline[1], close + 1 + inline[0].indexOf(inline[1]), alt));
      continue;
    }
    const label = /^\[((?:\\.|[^\\\]])*)\]/.exec(masked.slice(close + 1));
    const definition = definitions.get(normalizeLabel(label?.[1] || text.slice(m.index! + 2, close)));
    if (definition) {
      const end = close + 1 + (label?.[0].length ?? 0);
      images.push(reference(m.index!, end, definition.dest, definition.start, alt));
    }
  }
  return images.filter((image) => isLocalReference(image.written.text));
}

function reference(start: number, end: number, dest: string, destStart: number, alt: string): ImageReference {
  const bracketed = dest.startsWith('<');
  const written = bracketed ? dest.slice(1, -1) : dest;
  const writtenStart = destStart + (bracketed ? 1 : 0);
  const path = percentDecode(decodeEntities(unescapeBackslashes(written)));
  return { start, end, written: { text: written, start: writtenStart, end: writtenStart + written.length }, path, alt };
}

/** Offset of the `]` closing the `[` at `open` (nesting and backslash escapes followed), or -1. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return i;
  }
  return -1;
}

function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

// ---------------------------------------------------------------------------------------------------
// Selections: the words, without Markdown syntax.

/** CommonMark's backslash escapes: any ASCII punctuation. */
const ESCAPED = /\\([!-/:-@[-`{-~])/g;

function cleanMarkdown(text: string): string {
  return withEscapesHidden(text, ESCAPED, (hidden) => decodeEntities(removeInlineSyntax(removeBlockSyntax(hidden))));
}

/** Alt text is inline content: only inline syntax goes (a `#` there is not a heading). */
function cleanAlt(label: string): string {
  return collapseWhitespace(withEscapesHidden(label, ESCAPED, (hidden) => decodeEntities(removeInlineSyntax(hidden))));
}

function removeBlockSyntax(text: string): string {
  return text
    .replace(/^ {0,3}(?:`{3,}|~{3,}).*$/gm, '')
    .replace(/^ {0,3}\[[^\]]+\]:.*$/gm, '')
    .replace(/^(?: {0,3}> ?)+/gm, '')
    .replace(/^\s*(?:[-+*]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/gm, '')
    .replace(/^\s*#{1,6}\s+(.*?)(?:\s+#+)?\s*$/gm, '$1')
    .replace(/^\s*(?:(?:[-*_=]\s*){3,}|=+|-+)\s*$/gm, '');
}

function removeInlineSyntax(text: string): string {
  let out = text
    .replace(/!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])?/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]*)>/g, '$1')
    .replace(/(?<!`)(`+)(?!`)([\s\S]*?)(?<!`)\1(?!`)/g, '$2');
  out = stripTags(out).replace(/\{\/\*([\s\S]*?)\*\/\}/g, '$1');
  // Emphasis, strong and strikethrough, innermost first; `_` only at word edges, as CommonMark does.
  for (let previous = ''; previous !== out; ) {
    previous = out;
    out = out
      .replace(/(\*\*|\*|~~)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/(?<![\p{L}\p{N}])(__|_)(?=\S)([\s\S]*?\S)\1(?![\p{L}\p{N}])/gu, '$2');
  }
  return out.replace(/\|/g, ' ');
}
