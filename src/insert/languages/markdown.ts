// Markdown (CommonMark as VS Code's preview renders it, GFM tables and strikethrough included) and MDX.
//
// Placement: the image becomes a paragraph of its own after the cursor's block — a blank line before
// it, inside the same blockquote — except inside a list item, where a blank line would turn a tight
// list into a loose one: there it continues the item's paragraph on a line of its own. A cursor in a
// fenced code block puts it after the fence.
import { backslashEscape, decodeEntities, percentEncode, withEscapesHidden } from '../escape';
import { stripTags } from '../markup';
import { isBlank, isolateBlock, lastLineOf, leadingWhitespace, Lines } from '../text';
import type { LanguageFamily, Placement } from './family';
import { markdownImages } from './parsedMarkdown';

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
    return `![${markdownAlt(image.alt, languageId)}](${destination(image.path)})`;
  },
  place(snippet, at) {
    if (at.replacing) return { start: at.start, end: at.end, newText: snippet };
    return placeBlock(snippet, at);
  },
  findImages(text, languageId) {
    return markdownImages(text, languageId);
  },
  cleanSelection(text) {
    return cleanMarkdown(text);
  },
};

/** Alt text between `![` and `]`, read back as written. */
export function markdownAlt(alt: string, languageId: string): string {
  return backslashEscape(alt, languageId === 'mdx' ? MDX_ALT_SPECIALS : ALT_SPECIALS);
}

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

// ---------------------------------------------------------------------------------------------------
// Selections: the words, without Markdown syntax.

/** CommonMark's backslash escapes: any ASCII punctuation. */
const ESCAPED = /\\([!-/:-@[-`{-~])/g;

function cleanMarkdown(text: string): string {
  return withEscapesHidden(text, ESCAPED, (hidden) => decodeEntities(removeInlineSyntax(removeBlockSyntax(hidden))));
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
