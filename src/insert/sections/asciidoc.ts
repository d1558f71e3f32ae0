// AsciiDoc sections, line by line as Asciidoctor reads them: a section title is `=` (or `#`) repeated
// 1–6 times, a space and the title, outside delimited blocks; the section's first paragraph is its first
// run of non-blank lines that is not a block attribute line, a block title, a comment or a block macro.
import { Lines, isBlank } from '../text';
import { imageStarts, type SectionScan } from './scan';

const TITLE = /^(={1,6}|#{1,6})[ \t]+(\S.*?)[ \t]*$/;
/** Opening (and closing) lines of delimited blocks: nothing inside them is a title or a paragraph of the section. */
const DELIMITER = /^(?:-{4,}|\.{4,}|\+{4,}|\/{4,}|={4,}|\*{4,}|_{4,}|--|`{3,}|[|,:!]===)[ \t]*$/;
/** Lines that are not paragraph text: `[attributes]`, `:name: value`, `.Title`, `// comment`, `macro::target[]`. */
const NOT_PROSE = /^(?:\[.*\]|:[\w-]+!?:.*|\.(?=\S)(?!\.).*|\/\/.*|\w[\w-]*::\S*\[.*\])[ \t]*$/;

export function asciidocSections(text: string, languageId: string): SectionScan {
  const lines = new Lines(text);
  const scan: SectionScan = { headings: [], images: imageStarts(text, languageId) };
  let openDelimiter: string | undefined;
  let paragraphWanted = false;
  for (let line = 0; line < lines.count; line++) {
    const content = lines.line(line);
    if (openDelimiter !== undefined) {
      if (content.trimEnd() === openDelimiter) openDelimiter = undefined;
      continue;
    }
    if (DELIMITER.test(content)) {
      openDelimiter = content.trimEnd();
      continue;
    }
    const title = TITLE.exec(content);
    if (title) {
      scan.headings.push({ level: title[1].length - 1, span: { start: lines.start(line), end: lines.end(line) }, text: title[2] });
      paragraphWanted = true;
    } else if (paragraphWanted && !isBlank(content) && !NOT_PROSE.test(content)) {
      let last = line;
      while (last + 1 < lines.count && !isBlank(lines.line(last + 1)) && !DELIMITER.test(lines.line(last + 1))) last++;
      scan.headings[scan.headings.length - 1].paragraph = { start: lines.start(line), end: lines.end(last) };
      paragraphWanted = false;
      line = last;
    }
  }
  return scan;
}
