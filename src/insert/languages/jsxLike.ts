// JSX and TSX. `<img … />` goes in place like HTML. JSX attribute strings are literal text with HTML
// character references decoded, so `{` is safe in them and `"` is written `&quot;`.
import { commentSyntax, stripComments, unwrapStringLiteral } from '../comments';
import { decodeEntities, escapeAttribute, isLocalReference, percentDecode, urlPath } from '../escape';
import { scanTags, stripTags, type Tag } from '../markup';
import { mask } from '../text';
import { dimension, type ImageReference, type LanguageFamily } from './family';
import { placeInline } from './htmlLike';

/** Comments, so an `<img>` in one is not a reference (`//` after a `:` or a quote is a URL or a string). */
const JS_COMMENTS = /\/\*[\s\S]*?(?:\*\/|(?![\s\S]))|(?<![:"'\\])\/\/.*$/gm;

export const jsxLike: LanguageFamily = {
  name: 'jsx',
  snippet(image) {
    return `<img src="${escapeAttribute(urlPath(image.path))}" alt="${escapeAttribute(image.alt)}" />`;
  },
  place: placeInline,
  findImages(text) {
    return jsxImages(text, mask(text, JS_COMMENTS));
  },
  cleanSelection(text, languageId) {
    const withoutComments = stripComments(text.replace(/\{\s*\/\*([\s\S]*?)\*\/\s*\}/g, '$1'), commentSyntax(languageId));
    return decodeEntities(stripTags(unwrapStringLiteral(withoutComments)));
  },
};

/**
 * `<img>` elements with a literal `src` (a `{…}` source is computed: not a file we can name). JSX is
 * not HTML, so parse5 does not apply; `scanText` is `text` with comments blanked out.
 */
function jsxImages(text: string, scanText: string): ImageReference[] {
  const images: ImageReference[] = [];
  for (const tag of scanTags(scanText)) {
    if (tag.closing || tag.name.toLowerCase() !== 'img') continue;
    const src = literal(tag, 'src');
    if (!src || !isLocalReference(src.value!)) continue;
    const written = text.slice(src.valueStart, src.valueEnd);
    const alt = literal(tag, 'alt');
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
function literal(tag: Tag, name: string) {
  const attribute = tag.attributes.find((a) => a.name.toLowerCase() === name);
  return attribute?.value === undefined || attribute.quote === '{' ? undefined : attribute;
}

/** `width="512"`, `width=512`, or JSX's `width={512}`. */
function size(tag: Tag, name: string): number | undefined {
  return dimension(tag.attributes.find((a) => a.name.toLowerCase() === name)?.value);
}
