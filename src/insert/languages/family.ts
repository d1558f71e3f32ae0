// What every language family knows: its image syntax, where that syntax goes in a document, how to
// find image references in a document, and how to turn a selection into the text people mean.
import type { Lines, TextEdit } from '../text';

export interface ImageInput {
  /** Relative POSIX path from the document's folder to the image, e.g. `images/fox-42.png`. */
  path: string;
  /** Alt text, already one line and shortened by `altText`. */
  alt: string;
  width?: number;
  height?: number;
}

/** Where the image goes: a cursor (start = end) or a selection it replaces. */
export interface Placement {
  lines: Lines;
  start: number;
  end: number;
  /** True when [start, end) is a selection the image replaces; it keeps its place in the text. */
  replacing: boolean;
  languageId: string;
}

export interface ImageReference {
  /** The whole reference (`![…](…)`, `<img …>`, `\includegraphics{…}`…): offsets in the document. */
  start: number;
  end: number;
  /** The path exactly as written in the document, and its offsets. */
  written: { text: string; start: number; end: number };
  /** The file `written` names once the language's escapes are undone (percent-decoded for URL syntaxes). */
  path: string;
  alt?: string;
  width?: number;
  height?: number;
}

export interface LanguageFamily {
  readonly name: string;
  snippet(image: ImageInput, languageId: string): string;
  /** The edit that puts `snippet` at the placement, moved and separated as the language needs. */
  place(snippet: string, at: Placement): TextEdit;
  /** Image references to local files, in document order. */
  findImages(text: string, languageId: string): ImageReference[];
  /** The selection's plain text, markup and comment leaders removed (whitespace is collapsed later). */
  cleanSelection(text: string, languageId: string): string;
  /** The family of the code embedded at `offset`, when it differs (a `<style>` element in HTML). */
  embeddedAt?(text: string, offset: number): LanguageFamily | undefined;
}

/**
 * A width or height in pixels: a positive whole number below 100 000, given as a number or as
 * attribute text (`512`, `512px`); anything else (`50%`, `5cm`) is undefined.
 */
export function dimension(value: string | number | undefined): number | undefined {
  const n = typeof value === 'number' ? value : /^\s*\d{1,5}\s*(?:px)?\s*$/.test(value ?? '') ? parseInt(value!, 10) : NaN;
  return Number.isInteger(n) && n > 0 && n < 100_000 ? n : undefined;
}

/** Whether a snippet may write `value` as a width or height. */
export function isDimension(value: number | undefined): value is number {
  return dimension(value) !== undefined;
}
