// A document's sections — each heading with the text up to the next heading — read with the rules of the
// document's own language: Markdown and MDX by markdown-it, HTML by parse5, AsciiDoc and reStructuredText
// line by line. Each reader is one pass over the text (linear time), and nothing is read past
// MAX_READ_LENGTH. What Illustrate This Document plans from: where each section's image would go (after its
// first paragraph) and whether the section already has an image.
import { isTooLongToRead } from '../languages';
import { promptFromSelection } from '../prompt';
import { truncate } from '../../shared/truncate';
import { asciidocSections } from './asciidoc';
import { htmlSections } from './html';
import { markdownSections } from './markdown';
import { rstSections } from './rst';
import type { SectionScan, TextSpan } from './scan';

export type { TextSpan } from './scan';

export interface Section {
  /** The heading as plain text, one line, at most HEADING_MAX_LENGTH characters. */
  heading: string;
  /** 1 = the top level (an AsciiDoc document title is 0). */
  level: number;
  /** The heading itself. */
  headingSpan: TextSpan;
  /** From the heading to the next heading (or the end of the document). */
  span: TextSpan;
  /** The section's first paragraph before any sub-heading, if it has one: its image goes right after it. */
  paragraph?: TextSpan;
  /** The first paragraph's first sentence as plain text (empty without a paragraph). */
  firstSentence: string;
  /** Some image is already in the section (before the next heading). */
  hasImage: boolean;
}

/** Languages whose sections can be read. */
export const SECTION_LANGUAGES: readonly string[] = ['markdown', 'mdx', 'html', 'asciidoc', 'restructuredtext'];
/** Sections read at most: a document with more is planned for its first ones. */
export const MAX_SECTIONS = 100;
export const HEADING_MAX_LENGTH = 200;
export const SENTENCE_MAX_LENGTH = 300;

const READERS: Readonly<Record<string, (text: string, languageId: string) => SectionScan>> = {
  markdown: markdownSections,
  mdx: markdownSections,
  html: htmlSections,
  asciidoc: asciidocSections,
  restructuredtext: rstSections,
};

/** The sections of a document; undefined when its language has none we read, or it is too long to read. */
export function findSections(text: string, languageId: string): Section[] | undefined {
  const read = READERS[languageId];
  if (!read || isTooLongToRead(text)) return undefined;
  const { headings, images } = read(text, languageId);
  const sections: Section[] = [];
  let image = 0; // images are in document order: one walk along them
  for (let i = 0; i < headings.length && i < MAX_SECTIONS; i++) {
    const { level, span: headingSpan, text: heading, paragraph } = headings[i];
    const end = i + 1 < headings.length ? headings[i + 1].span.start : text.length;
    while (image < images.length && images[image] < headingSpan.end) image++;
    const hasImage = image < images.length && images[image] < end;
    sections.push({
      heading: truncate(promptFromSelection(heading, languageId), HEADING_MAX_LENGTH, true),
      level,
      headingSpan,
      span: { start: headingSpan.start, end },
      paragraph,
      firstSentence: paragraph ? firstSentence(promptFromSelection(text.slice(paragraph.start, paragraph.end), languageId)) : '',
      hasImage,
    });
  }
  return sections.filter((section) => section.heading !== '');
}

/** Up to the first sentence end (`.`, `!`, `?` before a space, or a CJK full stop), shortened at a word. */
export function firstSentence(text: string): string {
  const head = text.slice(0, SENTENCE_MAX_LENGTH * 2);
  const end = head.search(/[.!?](?=\s)|[。！？]/);
  return truncate(end === -1 ? head.trim() : head.slice(0, end + 1).trim(), SENTENCE_MAX_LENGTH, true);
}
