// HTML and the languages whose templates are HTML: Vue, Svelte, Astro, PHP. The image goes in place
// (an inline element); a cursor inside a tag or a comment steps out after it, and a cursor in a
// `<style>` element gets CSS instead.
import { decodeEntities, escapeAttribute, isLocalReference, percentDecode, urlPath } from '../escape';
import { endOfTagAround, scanTags, stripTags, type Tag } from '../markup';
import type { TextEdit } from '../text';
import { cssLike } from './cssLike';
import { dimension, isDimension, type ImageReference, type LanguageFamily, type Placement } from './family';

/** Languages that evaluate `{…}` inside quoted attribute values (Astro and Vue read them literally). */
const BRACE_LANGUAGES = new Set(['svelte']);

export const htmlLike: LanguageFamily = {
  name: 'html',
  snippet(image, languageId) {
    const braces = BRACE_LANGUAGES.has(languageId);
    const size = isDimension(image.width) && isDimension(image.height) ? ` width="${image.width}" height="${image.height}"` : '';
    return `<img src="${escapeAttribute(urlPath(image.path), braces)}" alt="${escapeAttribute(image.alt, braces)}"${size}>`;
  },
  place: placeInline,
  findImages(text, languageId) {
    return htmlImages(text, text, languageId);
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

/**
 * `<img>` elements with a literal `src` (a bound or computed source is not a file we can name).
 * `scanText` is `text` with the regions to ignore (code, comments) blanked out.
 */
export function htmlImages(text: string, scanText: string, languageId: string): ImageReference[] {
  const images: ImageReference[] = [];
  for (const tag of scanTags(scanText)) {
    if (tag.closing || tag.name.toLowerCase() !== 'img') continue;
    const src = literal(tag, 'src', languageId);
    if (!src || !isLocalReference(src.value!)) continue;
    const written = text.slice(src.valueStart, src.valueEnd);
    const alt = literal(tag, 'alt', languageId);
    images.push({
      start: tag.start,
      end: tag.end,
      written: { text: written, start: src.valueStart!, end: src.valueEnd! },
      path: percentDecode(decodeEntities(written)),
      alt: alt ? decodeEntities(text.slice(alt.valueStart, alt.valueEnd)) : undefined,
      width: size(tag, 'width'),
      height: size(tag, 'height'),
    });
  }
  return images;
}

/** The attribute when its value is text (quoted, or unquoted), not an expression. */
function literal(tag: Tag, name: string, languageId: string) {
  const attribute = tag.attributes.find((a) => a.name.toLowerCase() === name);
  if (attribute?.value === undefined || attribute.quote === '{') return undefined;
  if (BRACE_LANGUAGES.has(languageId) && attribute.value.includes('{')) return undefined;
  return attribute;
}

/** `width="512"`, `width=512`, or JSX's `width={512}`. */
function size(tag: Tag, name: string): number | undefined {
  return dimension(tag.attributes.find((a) => a.name.toLowerCase() === name)?.value);
}
