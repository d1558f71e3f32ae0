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

/** Image references to local files in a document of that language, in document order. */
export function findImageReferences(text: string, languageId: string): ImageReference[] {
  return familyFor(languageId).findImages(text, languageId);
}
