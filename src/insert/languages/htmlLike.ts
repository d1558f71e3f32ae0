// HTML and the languages whose templates are HTML: Vue, Svelte, Astro, PHP. The image goes in place
// (an inline element); a cursor inside a tag or a comment steps out after it, and a cursor in a
// `<style>` element gets CSS instead.
import { decodeEntities, escapeAttribute, urlPath } from '../escape';
import { endOfTagAround, stripTags } from '../markup';
import type { TextEdit } from '../text';
import { cssLike } from './cssLike';
import { BRACE_LANGUAGES, htmlImages } from './parsedHtml';
import { isDimension, type LanguageFamily, type Placement } from './family';


export const htmlLike: LanguageFamily = {
  name: 'html',
  snippet(image, languageId) {
    const braces = BRACE_LANGUAGES.has(languageId);
    const size = isDimension(image.width) && isDimension(image.height) ? ` width="${image.width}" height="${image.height}"` : '';
    return `<img src="${escapeAttribute(urlPath(image.path), braces)}" alt="${escapeAttribute(image.alt, braces)}"${size}>`;
  },
  place: placeInline,
  findImages(text, languageId) {
    return htmlImages(text, languageId);
  },
  cleanSelection(text) {
    return decodeEntities(stripTags(text.replace(/<\?(?:php|=)?|\?>/gi, ' ')));
  },
  embeddedAt(text, offset) {
    return insideStyleElement(text, offset) ? cssLike : undefined;
  },
};

/** An inline element goes where the cursor is — after the tag or comment when the cursor is inside one. */
export function placeInline(snippet: string, at: Placement): TextEdit {
  if (at.replacing) return { start: at.start, end: at.end, newText: snippet };
  const offset = endOfTagAround(at.lines.text, at.start) ?? at.start;
  return { start: offset, end: offset, newText: snippet };
}

function insideStyleElement(text: string, offset: number): boolean {
  const before = text.slice(0, offset).toLowerCase();
  const open = before.lastIndexOf('<style');
  return open !== -1 && open > before.lastIndexOf('</style') && before.indexOf('>', open) !== -1;
}
