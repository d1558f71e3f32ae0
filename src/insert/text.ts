// Line arithmetic over a document's text, shared by the language modules. Offsets are UTF-16 code
// units (as in VS Code); `\r\n` and `\n` both end a line.

/** Replace [start, end) of the document with `newText`. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export class Lines {
  private readonly starts: number[] = [0];
  /** The document's line break, used for inserted text so a CRLF file stays CRLF. */
  readonly eol: string;

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  get count(): number {
    return this.starts.length;
  }

  /** The line holding `offset` (an offset at a line's end belongs to that line). */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  start(line: number): number {
    return this.starts[line];
  }

  /** Offset of the end of the line's content, before its line break. */
  end(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    const newline = this.starts[line + 1] - 1;
    return newline > this.starts[line] && this.text[newline - 1] === '\r' ? newline - 1 : newline;
  }

  line(line: number): string {
    return this.text.slice(this.start(line), this.end(line));
  }

  /** Text of `line` from its start up to `offset`. */
  before(offset: number): string {
    return this.text.slice(this.start(this.lineOf(offset)), offset);
  }

  /** Text from `offset` to the end of its line. */
  after(offset: number): string {
    return this.text.slice(offset, this.end(this.lineOf(offset)));
  }
}

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** One line: every run of whitespace (line breaks included) becomes one space; ends trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function leadingWhitespace(text: string): string {
  return /^[ \t]*/.exec(text)![0];
}

/**
 * The last line of the run of lines starting at `from` for which `continues(nextLine, index)` holds:
 * the end of a paragraph, list item or block, as each language defines it.
 */
export function lastLineOf(lines: Lines, from: number, continues: (text: string, index: number) => boolean): number {
  let last = from;
  while (last + 1 < lines.count && continues(lines.line(last + 1), last + 1)) last++;
  return last;
}

export interface BlockOptions {
  /** The blank line that separates blocks (`''`, or `>` inside a Markdown quote); omit for a plain line break. */
  blankLine?: string;
  /** Indentation for text that followed the replaced range on its line and moves to a new line. */
  indentAfter?: string;
  /** Whether a line counts as blank for this language (default: only whitespace). */
  isBlank?: (text: string) => boolean;
}

/**
 * The edit that puts `block` on lines of its own in place of [start, end): text before it on its line
 * ends that line, text after it moves to the next line, and with `blankLine` set a blank line
 * separates it from every neighbouring line that is not blank already.
 */
export function isolateBlock(lines: Lines, start: number, end: number, block: string, options: BlockOptions = {}): TextEdit {
  const { eol } = lines;
  const blankTest = options.isBlank ?? isBlank;
  const separate = options.blankLine !== undefined;
  const gap = separate ? `${eol}${options.blankLine}${eol}` : eol;
  const startLine = lines.lineOf(start);
  const endLine = lines.lineOf(end);
  let head = '';
  let tail = '';
  const before = lines.before(start);
  if (!blankTest(before)) {
    head = gap;
    start -= before.length - before.trimEnd().length;
  } else {
    start = lines.start(startLine);
    if (separate && startLine > 0 && !blankTest(lines.line(startLine - 1))) head = `${options.blankLine}${eol}`;
  }
  const rest = lines.after(end);
  if (!blankTest(rest)) {
    tail = gap + (options.indentAfter ?? '');
    end += rest.length - rest.trimStart().length;
  } else {
    end = lines.end(endLine);
    if (separate && endLine + 1 < lines.count && !blankTest(lines.line(endLine + 1))) tail = `${eol}${options.blankLine}`;
  }
  return { start, end, newText: head + block.split('\n').join(eol) + tail };
}

/** Prefixes every line of `block` with `indent` (blank lines keep none). */
export function indentBlock(block: string, indent: string): string {
  return block
    .split('\n')
    .map((line) => (line ? indent + line : line))
    .join('\n');
}

/** `text` with every match of `pattern` (a global RegExp) blanked out, line breaks kept, so offsets stay valid. */
export function mask(text: string, pattern: RegExp): string {
  return text.replace(pattern, (match) => match.replace(/[^\r\n]/g, ' '));
}
