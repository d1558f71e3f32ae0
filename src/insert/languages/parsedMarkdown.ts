// Image references in Markdown and MDX exactly as markdown-it reads them — the parser VS Code's own
// preview uses (CommonMark 0.31.2, GFM tables and strikethrough, raw HTML on). What is code, what is
// an image, which of two definitions of a label counts: all of it is the parser's answer, not ours.
//
// markdown-it keeps line numbers on block tokens only, so three of its rules are wrapped to remember
// where they matched: `image` and `html_inline` (offsets in their inline text, mapped back to the
// document through the block's lines) and the link-destination helper (where a destination is written,
// for inline images and for reference definitions alike). Raw HTML blocks and inline tags are then
// read by parse5 (see parsedHtml.ts), so an `<img>` in a `<script>` or a comment is not an image.
//
// MDX: no indented code blocks (MDX has none), and its JSX `<img>` is read as HTML.
import MarkdownIt from 'markdown-it';
import { isLocalReference, percentDecode } from '../escape';
import type { ImageReference } from './family';
import { htmlImages } from './parsedHtml';

type Token = MarkdownIt.Token;
type StateInline = MarkdownIt.StateInline;
interface NamedRule<F> {
  name: string;
  fn: F;
}
type InlineRule = (state: StateInline, silent: boolean) => boolean;

/** A destination the parser read: in which source string, where, and its text with escapes and entities undone. */
interface Destination {
  src: string;
  start: number;
  end: number;
  decoded: string;
}

/** Offsets in the source string of an inline rule (`src` is that string). */
interface InlineMatch {
  src: string;
  start: number;
  end: number;
  destination?: Destination;
}

/** One parse's records; the parser is synchronous, so one at a time. */
let destinations: Destination[] = [];
let matches = new WeakMap<Token, InlineMatch>();
let definitions = new Map<string, Destination>();

function createParser(languageId: 'markdown' | 'mdx'): MarkdownIt.MarkdownIt {
  const md = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
  if (languageId === 'mdx') md.disable('code');
  const parseDestination = md.helpers.parseLinkDestination;
  md.helpers = {
    ...md.helpers,
    parseLinkDestination(str, start, max) {
      const result = parseDestination(str, start, max);
      if (result.ok) destinations.push({ src: str, start, end: result.pos, decoded: result.str });
      return result;
    },
  };
  wrapInline(md, 'image', (state, start, token) => {
    // An inline image's own destination is the last one read in its text after its label.
    const labelEnd = state.md.helpers.parseLinkLabel(state, start + 1, false);
    const own = token.meta?.label ? undefined : lastDestination(state.src, labelEnd, state.pos);
    return { src: state.src, start, end: state.pos, destination: own };
  });
  wrapInline(md, 'html_inline', (state, start) => ({ src: state.src, start, end: state.pos }));
  return md;
}

function wrapInline(md: MarkdownIt.MarkdownIt, name: string, record: (state: StateInline, start: number, token: Token) => InlineMatch): void {
  const rules = (md.inline.ruler as unknown as { __rules__: Array<NamedRule<InlineRule>> }).__rules__;
  const original = rules.find((rule) => rule.name === name)!.fn;
  md.inline.ruler.at(name, (state: StateInline, silent: boolean) => {
    const start = state.pos;
    const tokens = state.tokens.length;
    if (!original(state, silent)) return false;
    if (!silent && state.tokens.length > tokens) {
      const token = state.tokens[state.tokens.length - 1];
      matches.set(token, record(state, start, token));
    }
    return true;
  });
}

function lastDestination(src: string, after: number, before: number): Destination | undefined {
  for (let i = destinations.length - 1; i >= 0; i--) {
    const d = destinations[i];
    if (d.src === src && d.start > after && d.end <= before) return d;
  }
  return undefined;
}

const parsers = { markdown: createParser('markdown'), mdx: createParser('mdx') };

/** The reference definitions in parse order; the first definition of a label is the one used. */
function recordingReferences(): NonNullable<MarkdownIt.Env['references']> {
  return new Proxy<NonNullable<MarkdownIt.Env['references']>>(
    {},
    {
      set(target, label, value) {
        target[label as string] = value;
        // The definition's destination is the last one the block parser read.
        const destination = destinations[destinations.length - 1];
        if (typeof label === 'string' && destination && !definitions.has(label)) definitions.set(label, destination);
        return true;
      },
    },
  );
}

/**
 * The parser's environment, whose `references` table records definitions once the parser creates it
 * (while there is none, markdown-it does not try reference-style images at all, and neither may we).
 */
function recordingEnv(): MarkdownIt.Env {
  let references: NonNullable<MarkdownIt.Env['references']> | undefined;
  const env: MarkdownIt.Env = {};
  Object.defineProperty(env, 'references', {
    get: () => references,
    set: () => {
      references = recordingReferences();
    },
  });
  return env;
}

/** Image references to local files, in document order. */
export function markdownImages(text: string, languageId: string): ImageReference[] {
  const source = new NormalizedSource(text);
  destinations = [];
  matches = new WeakMap();
  definitions = new Map();
  const tokens = parsers[languageId === 'mdx' ? 'mdx' : 'markdown'].parse(source.normalized, recordingEnv());
  const images: ImageReference[] = [];
  const cursors = new Map<number, number>();
  let lines: [number, number] | undefined;
  for (const token of tokens) {
    if (token.map) lines = token.map as [number, number];
    // Only a block that could hold an image is given to parse5 (a long comment or script need not be).
    if (token.type === 'html_block' && lines && /<(?:img|source)/i.test(token.content)) {
      const start = source.original(source.lineStart(lines[0]));
      const end = source.original(source.lineStart(lines[1]));
      images.push(...htmlImages(text.slice(start, end), languageId).map((image) => shifted(image, (offset) => start + offset)));
    } else if (token.type === 'inline' && lines) {
      const place = new InlinePlacement(source, token.content, lines[0], cursors);
      for (const child of token.children ?? []) {
        const match = matches.get(child);
        if (!match || match.src !== token.content) continue;
        if (child.type === 'image') {
          const image = inlineImage(source, place, child, match);
          if (image) images.push(image);
        } else if (child.type === 'html_inline') {
          const tag = child.content;
          images.push(...htmlImages(tag, languageId).map((image) => shifted(image, (offset) => place.offset(match.start + offset))));
        }
      }
    }
  }
  return images
    .filter((image) => isLocalReference(image.written.text) && text.slice(image.written.start, image.written.end) === image.written.text)
    .sort((a, b) => a.start - b.start);
}

function inlineImage(source: NormalizedSource, place: InlinePlacement, token: Token, match: InlineMatch): ImageReference | undefined {
  const alt = altText(token);
  const start = place.offset(match.start);
  const end = place.offset(match.end - 1) + 1;
  if (match.destination) {
    const { writtenStart, writtenEnd } = writtenSpan(match.src, match.destination);
    const image = reference(source.text, start, end, place.offset(writtenStart), place.offset(writtenEnd - 1) + 1, match.destination.decoded, alt);
    // Where the inline text could not be placed in its line, no reference rather than a wrong place.
    return image?.written.text === match.src.slice(writtenStart, writtenEnd) ? image : undefined;
  }
  const definition = definitions.get(String(token.meta?.label ?? ''));
  if (!definition) return undefined;
  const { writtenStart, writtenEnd } = writtenSpan(definition.src, definition);
  return reference(source.text, start, end, source.original(writtenStart), source.original(writtenEnd), definition.decoded, alt);
}

/** The destination without the `<…>` that may enclose it. */
function writtenSpan(src: string, destination: Destination): { writtenStart: number; writtenEnd: number } {
  const bracketed = src[destination.start] === '<';
  return { writtenStart: destination.start + (bracketed ? 1 : 0), writtenEnd: destination.end - (bracketed ? 1 : 0) };
}

function reference(text: string, start: number, end: number, writtenStart: number, writtenEnd: number, decoded: string, alt: string): ImageReference | undefined {
  if (writtenEnd <= writtenStart) return undefined;
  const written = text.slice(writtenStart, writtenEnd);
  return { start, end, written: { text: written, start: writtenStart, end: writtenEnd }, path: percentDecode(decoded), alt };
}

/** The alt text as the renderer writes it: the plain text of the label's inline content. */
function altText(token: Token): string {
  const parts: string[] = [];
  const walk = (children: Token[] | null) => {
    for (const child of children ?? []) {
      if (child.type === 'text' || child.type === 'code_inline') parts.push(child.content);
      else if (child.type === 'softbreak' || child.type === 'hardbreak') parts.push(' ');
      else if (child.type === 'image') walk(child.children);
    }
  };
  walk(token.children);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function shifted(image: ImageReference, offset: (at: number) => number): ImageReference {
  const start = offset(image.start);
  const end = offset(image.end - 1) + 1;
  const writtenStart = offset(image.written.start);
  const writtenEnd = image.written.end > image.written.start ? offset(image.written.end - 1) + 1 : writtenStart;
  return { ...image, start, end, written: { ...image.written, start: writtenStart, end: writtenEnd } };
}

/**
 * The text markdown-it reads (`\r\n` and `\r` become `\n`, NUL becomes U+FFFD, as its first rule
 * does) and the way back to offsets in the document.
 */
class NormalizedSource {
  readonly normalized: string;
  private readonly lineStarts: number[] = [0];
  private readonly originalLineStarts: number[] = [0];

  constructor(readonly text: string) {
    this.normalized = text.replace(/\r\n?/g, '\n').replace(/\0/g, '\ufffd');
    for (let i = this.normalized.indexOf('\n'); i !== -1; i = this.normalized.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    if (this.normalized.length === text.length) this.originalLineStarts = this.lineStarts;
    else for (const m of text.matchAll(/\r\n?|\n/g)) this.originalLineStarts.push(m.index! + m[0].length);
  }

  lineStart(line: number): number {
    return line < this.lineStarts.length ? this.lineStarts[line] : this.normalized.length;
  }

  lineEnd(line: number): number {
    return line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.normalized.length;
  }

  /** The document offset of an offset in the normalized text. */
  original(offset: number): number {
    if (this.originalLineStarts === this.lineStarts) return offset;
    const line = lastAtOrBefore(this.lineStarts, offset);
    return this.originalLineStarts[line] + offset - this.lineStarts[line];
  }
}

/**
 * Where the characters of a block's inline text are in the document. Each line of the inline text is
 * the rest of one source line once the container markers (`>`, list indentation) are gone — or a
 * table cell of it — so it is found in that line, after what earlier inline texts took from it.
 */
class InlinePlacement {
  private readonly lineOffsets: number[] = [];
  private readonly contentLineStarts: number[] = [];

  constructor(
    private readonly source: NormalizedSource,
    content: string,
    firstLine: number,
    cursors: Map<number, number>,
  ) {
    let at = 0;
    content.split('\n').forEach((line, i) => {
      const sourceLine = firstLine + i;
      const lineText = source.normalized.slice(source.lineStart(sourceLine), source.lineEnd(sourceLine));
      const trimmed = line.trimStart(); // a tab partly taken as indentation comes back as spaces
      const lead = line.length - trimmed.length;
      const from = cursors.get(sourceLine) ?? 0;
      const found = trimmed ? lineText.indexOf(trimmed, from) : -1;
      // Not found (a table cell whose `\|` the parser unescaped): its images are dropped by the checks below.
      const foundAt = found === -1 ? from : found;
      if (found !== -1) cursors.set(sourceLine, foundAt + trimmed.length);
      this.contentLineStarts.push(at);
      this.lineOffsets.push(source.lineStart(sourceLine) + foundAt - lead);
      at += line.length + 1;
    });
  }

  /** The document offset of a character of the inline text. */
  offset(at: number): number {
    const line = lastAtOrBefore(this.contentLineStarts, at);
    return this.source.original(this.lineOffsets[line] + at - this.contentLineStarts[line]);
  }
}

/** The index of the last of the ascending `starts` that is at or before `offset` (starts[0] is 0). */
function lastAtOrBefore(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
