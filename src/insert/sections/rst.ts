// reStructuredText sections as docutils reads them: a title is a line of text with an underline (and
// optionally an overline) of one repeated punctuation character at least as long as it; levels follow
// the order in which each style first appears. The first paragraph is the first unindented run of
// non-blank lines after the title that is not an explicit markup block (`..`). Literal blocks (after
// `::`) and directive bodies are indented, so they are never read as titles.
import { Lines, isBlank } from '../text';
import { imageStarts, type SectionScan } from './scan';

const ADORNMENT = /^([!-/:-@[-`{-~])\1+[ \t]*$/;

export function rstSections(text: string, languageId: string): SectionScan {
  const lines = new Lines(text);
  const scan: SectionScan = { headings: [], images: imageStarts(text, languageId) };
  const styles: string[] = [];
  let paragraphWanted = false;
  for (let line = 0; line < lines.count; line++) {
    const content = lines.line(line);
    const title = titleAt(lines, line);
    if (title) {
      const overline = line > 0 && lines.line(line - 1).trimEnd() === title.underline;
      const style = `${overline ? 'o' : 'u'}${title.underline[0]}`;
      if (!styles.includes(style)) styles.push(style);
      const start = lines.start(overline ? line - 1 : line);
      scan.headings.push({ level: styles.indexOf(style) + 1, span: { start, end: lines.end(line + 1) }, text: content.trim() });
      paragraphWanted = true;
      line++; // the underline
    } else if (paragraphWanted && !isBlank(content) && !/^[ \t]/.test(content) && !content.startsWith('..') && !ADORNMENT.test(content)) {
      let last = line;
      while (last + 1 < lines.count && !isBlank(lines.line(last + 1)) && !titleAt(lines, last + 1)) last++;
      scan.headings[scan.headings.length - 1].paragraph = { start: lines.start(line), end: lines.end(last) };
      paragraphWanted = false;
      line = last;
    }
  }
  return scan;
}

/** A title's text line at `line` followed by its underline, as long as the text or longer. */
function titleAt(lines: Lines, line: number): { underline: string } | undefined {
  if (line + 1 >= lines.count) return undefined;
  const content = lines.line(line);
  const underline = lines.line(line + 1).trimEnd();
  if (isBlank(content) || /^[ \t]/.test(content) || ADORNMENT.test(content) || !ADORNMENT.test(underline)) return undefined;
  return underline.length >= content.trimEnd().length ? { underline } : undefined;
}
