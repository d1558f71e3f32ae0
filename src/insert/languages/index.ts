// Which family knows each VS Code language (by languageId); anything not listed gets the plain
// relative path.
import { asciidoc } from './asciidoc';
import { cssLike } from './cssLike';
import type { ImageReference, LanguageFamily } from './family';
import { htmlLike } from './htmlLike';
import { jsxLike } from './jsxLike';
import { latex } from './latex';
import { markdown } from './markdown';
import { plain } from './plain';
import { rst } from './rst';

const FAMILIES: ReadonlyMap<string, LanguageFamily> = new Map([
  ['markdown', markdown],
  ['mdx', markdown],
  ['html', htmlLike],
  ['vue', htmlLike],
  ['vue-html', htmlLike],
  ['svelte', htmlLike],
  ['astro', htmlLike],
  ['php', htmlLike],
  ['javascriptreact', jsxLike],
  ['typescriptreact', jsxLike],
  ['css', cssLike],
  ['scss', cssLike],
  ['sass', cssLike],
  ['less', cssLike],
  ['stylus', cssLike],
  ['latex', latex],
  ['tex', latex],
  ['restructuredtext', rst],
  ['asciidoc', asciidoc],
]);

export function familyFor(languageId: string): LanguageFamily {
  return FAMILIES.get(languageId) ?? plain;
}

/**
 * The languages that have an image syntax of their own (the others get the plain path): the
 * document selector for the drop and paste providers and the missing-image code action.
 */
export const IMAGE_LANGUAGES: readonly string[] = [...FAMILIES.keys()];

/**
 * Documents longer than this (in UTF-16 code units, about 200 KB of text) are not read for image
 * references: every reader is linear, but markdown-it and parse5 take about 1 s for 200 KB of their
 * worst input on a loaded 2-core machine, and a README or page that long is rare. Larger documents
 * get no missing-image quick fix or bulk generation.
 */
export const MAX_READ_LENGTH = 200_000;

/** Whether a document is too long to be read for image references. */
export function isTooLongToRead(text: string): boolean {
  return text.length > MAX_READ_LENGTH;
}

/** Image references to local files in a document of that language, in document order; none past MAX_READ_LENGTH. */
export function findImageReferences(text: string, languageId: string): ImageReference[] {
  if (isTooLongToRead(text)) return [];
  return familyFor(languageId).findImages(text, languageId);
}
