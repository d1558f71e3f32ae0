// The prompt people mean when they select text: the words, without the markup or comment syntax of
// the document's language, on one line.
import { familyFor } from './languages';
import { collapseWhitespace } from './text';

export function promptFromSelection(text: string, languageId: string): string {
  return collapseWhitespace(familyFor(languageId).cleanSelection(text, languageId));
}

/** A prompt from an image's file name when it has no alt text: `basalt-lighthouse_2.jpg` → `basalt lighthouse 2`. */
export function promptFromFileName(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  return collapseWhitespace(name.replace(/[-_.+]+/g, ' '));
}
