// Every other language: the relative path at the cursor. A selection in a code file loses its
// comment leaders and string quotes; in plain text only the whitespace changes.
import { commentSyntax, stripComments, unwrapStringLiteral } from '../comments';
import type { LanguageFamily } from './family';

export const plain: LanguageFamily = {
  name: 'plain',
  snippet(image) {
    return image.path;
  },
  place(snippet, at) {
    return { start: at.start, end: at.replacing ? at.end : at.start, newText: snippet };
  },
  findImages() {
    return [];
  },
  cleanSelection(text, languageId) {
    return languageId === 'plaintext' ? text : unwrapStringLiteral(stripComments(text, commentSyntax(languageId)));
  },
};
