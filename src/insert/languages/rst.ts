// reStructuredText: an `image` directive, always a block of its own with blank lines around it,
// indented like the text it follows (inside a list item, a block quote or a definition) with its
// `:alt:` option three spaces further in — where docutils looks for it.
import { decodeEntities } from '../escape';
import { isBlank, indentBlock, isolateBlock, lastLineOf, leadingWhitespace, type Lines } from '../text';
import { dimension, type ImageReference, type LanguageFamily } from './family';

/** A bullet or enumerated list item's marker and the spaces after it. */
const LIST_MARKER = /^[ \t]*(?:[-*+•‣⁃]|\(?(?:\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+|#)[.)])[ \t]+(?=\S)/;
const DIRECTIVE = /^([ \t]*)\.\.[ \t]+(?:\|[^|\n]+\|[ \t]+)?(?:image|figure)::[ \t]*(.*)$/gm;

/** docutils drops unescaped whitespace from the URI, and a backslash escapes the next character. */
export function rstTarget(path: string): string {
  return path.replace(/[\\\s]/g, (c) => `\\${c}`);
}

export const rst: LanguageFamily = {
  name: 'restructuredtext',
  snippet(image) {
    return `.. image:: ${rstTarget(image.path)}${image.alt ? `\n   :alt: ${image.alt}` : ''}`;
  },
  place(snippet, at) {
    const { lines } = at;
    const line = lines.lineOf(at.start);
    if (at.replacing || isBlank(lines.line(line))) {
      const indent = at.replacing ? contentIndent(lines.line(line)) : lines.before(at.start);
      return isolateBlock(lines, at.start, at.end, indentBlock(snippet, indent), { blankLine: '', indentAfter: indent });
    }
    // In a literal block, a code directive or a comment, the image goes after it, at its indentation.
    const block = verbatimParent(lines, line) ?? line;
    const indent = contentIndent(lines.line(block));
    const end = lines.end(blockEnd(lines, block, indent.length));
    return isolateBlock(lines, end, end, indentBlock(snippet, indent), { blankLine: '' });
  },
  findImages(text) {
    const images: ImageReference[] = [];
    for (const m of text.matchAll(DIRECTIVE)) {
      const written = m[2].trim();
      const start = m.index! + m[0].indexOf(m[2]);
      const options = directiveOptions(text.slice(m.index! + m[0].length), m[1].length);
      images.push({
        start: m.index!,
        end: m.index! + m[0].length + options.length,
        written: { text: written, start, end: start + written.length },
        // Unescaped whitespace is not part of the URI; `\x` is x.
        path: written.replace(/\\(\s)|\s+|\\(.)/g, (_, space, char) => space ?? char ?? ''),
        alt: options.alt,
        width: dimension(options.width),
        height: dimension(options.height),
      });
    }
    return images.filter((image) => image.path !== '');
  },
  cleanSelection(text) {
    return decodeEntities(
      text
        .replace(/^[ \t]*\.\.[ \t]+(?:\|[^|]+\|[ \t]+)?[\w-]+::[ \t]*/gm, '')
        .replace(/^[ \t]*\.\.[ \t]*/gm, '')
        .replace(/^[ \t]*:[\w -]+:[ \t]*/gm, '')
        .replace(/^[ \t]*([=\-`:'"~^_*+#<>.])\1{2,}[ \t]*$/gm, '')
        .replace(/^[ \t]*(?:[-*+•‣⁃]|\(?(?:\d+|[a-zA-Z]|#)[.)])[ \t]+/gm, '')
        .replace(/`([^`<]*?)\s*<[^>]*>`__?/g, '$1')
        .replace(/:[\w:+-]+:`([^`]*)`/g, '$1')
        .replace(/(\*\*|\*|``|`|\|)(?=\S)(.*?\S)\1_{0,2}/g, '$2')
        .replace(/::$/gm, ':')
        .replace(/\\(.)/g, '$1'),
    );
  },
};

/** Directives whose content is not reStructuredText. */
const VERBATIM_DIRECTIVES = new Set(['code', 'code-block', 'sourcecode', 'highlight', 'raw', 'math', 'parsed-literal', 'csv-table']);

/**
 * The line introducing the verbatim block `line` is in — a paragraph ending in `::`, a code-like
 * directive, or a comment — found as the nearest less-indented line above.
 */
function verbatimParent(lines: Lines, line: number): number | undefined {
  const indent = leadingWhitespace(lines.line(line)).length;
  for (let above = line - 1; above >= 0; above--) {
    const text = lines.line(above);
    if (isBlank(text) || leadingWhitespace(text).length >= indent) continue;
    const directive = /^\s*\.\.\s+([\w:-]+)::/.exec(text)?.[1];
    if (directive !== undefined) return VERBATIM_DIRECTIVES.has(directive) ? above : undefined;
    return /::\s*$/.test(text) || /^\s*\.\.(?:\s|$)/.test(text) ? above : undefined;
  }
  return undefined;
}

/** Indentation of a line's text: its own, plus a list marker's width. */
function contentIndent(line: string): string {
  const marker = LIST_MARKER.exec(line);
  return marker ? leadingWhitespace(line) + ' '.repeat(marker[0].length - leadingWhitespace(line).length) : leadingWhitespace(line);
}

/**
 * The last line of the block that `line` starts or continues: its paragraph (up to a blank line or a
 * line indented less, such as the next list item), then every block indented deeper than `indent` that
 * follows after blank lines (a literal block, a nested list, a directive's content) — the image must
 * not become that content.
 */
function blockEnd(lines: Lines, line: number, indent: number): number {
  let last = lastLineOf(lines, line, (text) => !isBlank(text) && leadingWhitespace(text).length >= indent);
  for (let next = last + 1; next < lines.count; next++) {
    const text = lines.line(next);
    if (isBlank(text)) continue;
    if (leadingWhitespace(text).length <= indent) break;
    last = next;
  }
  return last;
}

/** The `:alt:`, `:width:` and `:height:` options on the lines after a directive, and their length. */
function directiveOptions(after: string, indent: number): { length: number; alt?: string; width?: string; height?: string } {
  const options: { length: number; alt?: string; width?: string; height?: string } = { length: 0 };
  for (const m of after.matchAll(/\r?\n([ \t]*):(\w+):[ \t]*(.*)/gy)) {
    if (m[1].length <= indent) break;
    if (m[2] === 'alt' || m[2] === 'width' || m[2] === 'height') options[m[2]] = m[3].trim();
    options.length += m[0].length;
  }
  return options;
}
