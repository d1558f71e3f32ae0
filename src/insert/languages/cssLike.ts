// CSS, SCSS, Sass, Less and Stylus: `url("…")` in the value where the cursor is; on a line of its own
// in a rule (or right after `{` or `;`), a whole `background-image` declaration.
import { commentSyntax, stripComments } from '../comments';
import { isLocalReference, percentDecode, urlPath } from '../escape';
import { mask } from '../text';
import type { ImageReference, LanguageFamily } from './family';

/** An unclosed comment runs to the end, as CSS reads it (and the scan stays linear). */
const COMMENTS = /\/\*[\s\S]*?(?:\*\/|$)/g;
/** An unquoted URL cannot hold `(` (CSS makes it a bad URL), which also keeps the scan linear. */
const URL = /url\(\s*(?:"((?:\\.|[^"\\\n])*)"|'((?:\\.|[^'\\\n])*)'|([^()\s'"]*))\s*\)/gi;

export const cssLike: LanguageFamily = {
  name: 'css',
  snippet(image) {
    return `url("${urlPath(image.path).replace(/[\\"]/g, (c) => `\\${c}`)}")`;
  },
  place(snippet, at) {
    if (at.replacing) return { start: at.start, end: at.end, newText: snippet };
    const before = at.lines.before(at.start);
    const after = at.lines.after(at.start);
    let newText: string;
    if (/(^|[{;])\s*$/.test(before) && /^\s*(\}|$)/.test(after)) {
      // The indented Sass syntax ends declarations with the line, not with `;`.
      newText = `background-image: ${snippet}${at.languageId === 'sass' ? '' : ';'}`;
      if (/\S$/.test(before)) newText = ` ${newText}`;
    } else {
      newText = (/[^\s:(,]$/.test(before) ? ' ' : '') + snippet + (/^[^\s;),}]/.test(after) ? ' ' : '');
    }
    return { start: at.start, end: at.start, newText };
  },
  findImages(text) {
    const images: ImageReference[] = [];
    for (const m of mask(text, COMMENTS).matchAll(URL)) {
      const written = m[1] ?? m[2] ?? m[3];
      const start = m.index! + m[0].indexOf(written, 4);
      const path = percentDecode(unescapeCss(written));
      if (isLocalReference(path)) {
        images.push({ start: m.index!, end: m.index! + m[0].length, written: { text: written, start, end: start + written.length }, path });
      }
    }
    return images;
  },
  cleanSelection(text, languageId) {
    return stripComments(text, commentSyntax(languageId === 'css' ? 'css' : 'scss'));
  },
};

/** CSS string escapes: `\"`, `\\`, and hexadecimal `\26 `. */
function unescapeCss(text: string): string {
  return text.replace(/\\(?:([0-9a-fA-F]{1,6})\s?|([^\n0-9a-fA-F]))/g, (_, hex: string | undefined, char: string | undefined) =>
    hex ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd) : char!,
  );
}
