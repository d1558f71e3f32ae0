// JSX and TSX. `<img … />` goes in place like HTML. JSX attribute strings are literal text with HTML
// character references decoded, so `{` is safe in them and `"` is written `&quot;`.
import { commentSyntax, stripComments, unwrapStringLiteral } from '../comments';
import { decodeEntities, escapeAttribute, urlPath } from '../escape';
import { stripTags } from '../markup';
import { mask } from '../text';
import type { LanguageFamily } from './family';
import { htmlImages, placeInline } from './htmlLike';

/** Comments, so an `<img>` in one is not a reference (`//` after a `:` or a quote is a URL or a string). */
const JS_COMMENTS = /\/\*[\s\S]*?\*\/|(?<![:"'\\])\/\/.*$/gm;

export const jsxLike: LanguageFamily = {
  name: 'jsx',
  snippet(image) {
    return `<img src="${escapeAttribute(urlPath(image.path))}" alt="${escapeAttribute(image.alt)}" />`;
  },
  place: placeInline,
  findImages(text, languageId) {
    return htmlImages(text, mask(text, JS_COMMENTS), languageId);
  },
  cleanSelection(text, languageId) {
    const withoutComments = stripComments(text.replace(/\{\s*\/\*([\s\S]*?)\*\/\s*\}/g, '$1'), commentSyntax(languageId));
    return decodeEntities(stripTags(unwrapStringLiteral(withoutComments)));
  },
};
