// What each language's section reader gives back (see index.ts).
import { familyFor } from '../languages';

/** A span of the document, as offsets (UTF-16 code units, as in VS Code). */
export interface TextSpan {
  start: number;
  end: number;
}

/** What a language's reader finds: headings in document order, and where images are. */
export interface SectionScan {
  headings: Array<{ level: number; span: TextSpan; text: string; paragraph?: TextSpan }>;
  /** Start offsets of every image (local or not) in the document, in order. */
  images: number[];
}

/** Where the family's image syntax finds images (the line-based languages). */
export function imageStarts(text: string, languageId: string): number[] {
  return familyFor(languageId)
    .findImages(text, languageId)
    .map((image) => image.start);
}
