// AsciiDoc (Asciidoctor): a block `image::target[alt]` on a line of its own with a blank line before
// and after it — after a single line break it is read as paragraph text. In a list item it is
// attached with a `+` continuation line. A cursor in a verbatim block (listing, literal, passthrough,
// comment) puts it after that block.
import { decodeEntities, percentDecode, percentEncode, withEscapesHidden } from '../escape';
import { isBlank, isolateBlock, lastLineOf, type Lines } from '../text';
import { dimension, type ImageReference, type LanguageFamily } from './family';

const DELIMITER = /^(?:-{4,}|\.{4,}|\+{4,}|\/{4,}|={4,}|\*{4,}|_{4,}|--|`{3,}|[|,:!]===)[ \t]*$/;
/** Delimiters of blocks whose content is not AsciiDoc. */
const VERBATIM = /^(?:-{4,}|\.{4,}|\+{4,}|\/{4,}|`{3,})/;
const LIST_ITEM = /^[ \t]*(?:[*-]+|\.+|\d+\.|[a-zA-Z]\.|<\d+>)[ \t]+\S|^\S.*?(?::{2,4}|;;)(?:[ \t]|$)/;
/** `{name}`, `{set:…}` and `{counter:…}` are replaced by Asciidoctor; `\{` keeps them literal. */
const ATTRIBUTE_REFERENCE = /\{(?=(?:[\p{L}\p{N}_][\p{L}\p{N}_-]*|(?:set|counter2?):[^}\n]*?)\\?\})/gu;
/**
 * What Asciidoctor's replacements would change in alt text — `(C)`, dashes, `...`, typographic
 * apostrophes, arrows, character references — each where its rule applies; a backslash before it
 * keeps it as written.
 */
const REPLACEABLE =
  /\((?:C|R|TM)\)|(?<=^| )--(?= |$)|(?<=[\p{L}\p{M}\p{N}_])--(?=[\p{L}\p{M}\p{N}_])|\.\.\.|`'|(?<=[\p{L}\p{N}])'(?=\p{L})|(?=->|=>|<-|<=)|&(?=(?:[a-zA-Z][a-zA-Z]+\d{0,2}|#\d\d\d{0,4}|#x[\da-fA-F]{3,5});)/gu;
/** Only a line that ends with `]` is tried: else every `[` of a long line would be tried to its end. */
const BLOCK_IMAGE = /^(?=.*\][ \t]*$)image::(\S|\S.*?\S)\[(.*)\][ \t]*$/gm;
/**
 * An inline macro's target is read with bounded lookahead (a longer one is not taken as an image),
 * and its attribute list holds no `[`: else a line of many unclosed `image:x[` is read to its end from each.
 */
const MAX_MACRO_PART = 120;
const INLINE_IMAGE = new RegExp(`(?<![\\\\\\w:])image:(?!:)([^:\\s[](?:[^\\n[]{0,${MAX_MACRO_PART}}[^\\s[])?)\\[((?:\\\\\\]|[^[\\]\\n])*)\\]`, 'g');

export const asciidoc: LanguageFamily = {
  name: 'asciidoc',
  snippet(image) {
    return `image::${asciidocTarget(image.path)}[${altAttribute(image.alt)}]`;
  },
  place(snippet, at) {
    const { lines } = at;
    const blocks = delimitedBlocks(lines);
    const line = lines.lineOf(at.start);
    const verbatim = blocks.find((b) => b.verbatim && b.open <= line && line <= b.close);
    if (at.replacing || (!verbatim && isBlank(lines.line(line)))) {
      return isolateBlock(lines, at.start, at.end, snippet, { blankLine: '' });
    }
    if (!verbatim && LIST_ITEM.test(lines.line(paragraphStart(lines, line)))) {
      const last = lastLineOf(lines, line, (text) => !isBlank(text) && !LIST_ITEM.test(text) && text.trim() !== '+' && !DELIMITER.test(text));
      const end = lines.end(last);
      return { start: end, end, newText: `${lines.eol}+${lines.eol}${snippet}` };
    }
    const end = lines.end(chunkEnd(lines, verbatim ? verbatim.close : line, blocks));
    return isolateBlock(lines, end, end, snippet, { blankLine: '' });
  },
  findImages(text) {
    const images: ImageReference[] = [];
    for (const pattern of [BLOCK_IMAGE, INLINE_IMAGE]) {
      for (const m of text.matchAll(pattern)) {
        const start = m.index! + m[0].indexOf(m[1]);
        const attributes = parseAttributes(m[2]);
        images.push({
          start: m.index!,
          end: m.index! + m[0].trimEnd().length,
          written: { text: m[1], start, end: start + m[1].length },
          path: percentDecode(m[1]),
          alt: attributes.alt,
          width: dimension(attributes.width),
          height: dimension(attributes.height),
        });
      }
    }
    return images.sort((a, b) => a.start - b.start);
  },
  cleanSelection(text) {
    return text
      .replace(/^\/\/+[ \t]?/gm, '')
      .replace(/^(?:\[.*\]|:[\w-]+!?:.*|\+)[ \t]*$/gm, '')
      .replace(new RegExp(DELIMITER.source, 'gm'), '')
      .replace(/^=+[ \t]+|^[ \t]*(?:[*-]+|\.+|\d+\.)[ \t]+|^\.(?=\S)/gm, '')
      .replace(/(?:https?:\/\/|link:|xref:|mailto:|image:{1,2})[^\s[]*\[([^\]]*)\]/g, (_, label: string) => label.replace(/^"|"$/g, ''))
      .replace(/<<[^,>]+,\s*([^>]+)>>|<<([^>]+)>>/g, '$1$2')
      .replace(/\[[^\]]*\](?=[*_`#])/g, '')
      .replace(/([*_`#]{1,2}|\^|~)(?=\S)(.*?\S)\1/g, '$2')
      .replace(/\\([{*_`#^~[\]])/g, '$1');
  },
};

/** The target is a URL in the HTML Asciidoctor writes: `%`, `[` (ends the target) and `{` encoded. */
export function asciidocTarget(path: string): string {
  return percentEncode(path, /[%[{]/);
}

/**
 * The alt text as the first positional attribute: replacements and attribute references escaped,
 * quoted when a comma, `=` or quote would split it; `""` when empty (else Asciidoctor makes one up
 * from the file name).
 */
function altAttribute(alt: string): string {
  if (!alt) return '""';
  // A backslash before the closing quote would escape it: a final one is written as a reference.
  const escaped = alt.replace(REPLACEABLE, (m) => `\\${m}`).replace(ATTRIBUTE_REFERENCE, '\\{').replace(/\\$/, '&#92;');
  return /[,="]|^'/.test(alt) ? `"${escaped.replace(/"/g, '\\"')}"` : escaped;
}

/** The alt text as written back to the words: escapes removed, character references decoded. */
function altFromAttribute(value: string): string {
  return withEscapesHidden(value, /\\([&(.'`<=>{-])/g, decodeEntities);
}

interface Block {
  open: number;
  close: number;
  verbatim: boolean;
}

/** Delimited blocks, paired like Asciidoctor pairs them (nothing nests inside a verbatim block). */
function delimitedBlocks(lines: Lines): Block[] {
  const blocks: Block[] = [];
  const stack: Array<{ open: number; delimiter: string }> = [];
  for (let line = 0; line < lines.count; line++) {
    const delimiter = lines.line(line).trimEnd();
    if (!DELIMITER.test(delimiter)) continue;
    const top = stack[stack.length - 1];
    if (top?.delimiter === delimiter) {
      stack.pop();
      blocks.push({ open: top.open, close: line, verbatim: VERBATIM.test(delimiter) });
    } else if (!top || !VERBATIM.test(top.delimiter)) stack.push({ open: line, delimiter });
  }
  for (const open of stack) blocks.push({ open: open.open, close: lines.count - 1, verbatim: VERBATIM.test(open.delimiter) });
  return blocks;
}

/** The first line of the paragraph holding `line`. */
function paragraphStart(lines: Lines, line: number): number {
  let first = line;
  while (first > 0 && !isBlank(lines.line(first - 1)) && !DELIMITER.test(lines.line(first - 1))) first--;
  return first;
}

/** The last line before a blank line or the end of the enclosing block; nested blocks are skipped whole. */
function chunkEnd(lines: Lines, line: number, blocks: Block[]): number {
  let last = line;
  while (last + 1 < lines.count) {
    const block = blocks.find((b) => b.open === last + 1);
    if (block) last = block.close;
    else if (isBlank(lines.line(last + 1)) || DELIMITER.test(lines.line(last + 1))) break;
    else last++;
  }
  return last;
}

/** Positional `alt, width, height` and named `alt=`, `width=`, `height=` attributes. */
function parseAttributes(list: string): { alt?: string; width?: string; height?: string } {
  const attributes: Record<string, string> = {};
  const positional = ['alt', 'width', 'height'];
  let index = 0;
  for (const m of list.matchAll(/\s*(?:([\w-]+)\s*=\s*)?("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|[^,]*)\s*(?:,|$)/gy)) {
    if (!m[0]) break;
    const value = /^["']/.test(m[2]) ? m[2].slice(1, -1).replace(/\\(["'])/g, '$1') : m[2].trim();
    const name = m[1] ?? positional[index++];
    if (name) attributes[name] = name === 'alt' ? altFromAttribute(value) : value;
  }
  return attributes;
}
