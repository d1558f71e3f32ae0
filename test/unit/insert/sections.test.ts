// A document's sections per language (what Illustrate This Document plans from): headings as the
// language's own parser reads them, each section's first paragraph, sections that already have an image,
// and the caps (document length, number of sections).
import * as assert from 'assert';
import { MAX_READ_LENGTH } from '../../../src/insert/languages';
import { findSections, firstSentence, MAX_SECTIONS, type Section } from '../../../src/insert/sections';

const slice = (text: string, span: { start: number; end: number } | undefined) => (span ? text.slice(span.start, span.end) : undefined);
const summary = (text: string, sections: Section[] | undefined) =>
  sections?.map((s) => ({ heading: s.heading, level: s.level, paragraph: slice(text, s.paragraph), hasImage: s.hasImage }));

describe('sections: a document read heading by heading', () => {
  it('Markdown: ATX and setext headings, the first paragraph, images (local, remote, raw <img>); code and front matter are not headings', () => {
    const text = [
      '---', 'title: Front matter', '---', '',
      '# A *lighthouse* guide', '', 'Lighthouses guide ships. They stand on cliffs.', 'Second line.', '',
      '```', '# not a heading', '```', '',
      'Keepers', '-------', '', '- a list item', '', 'Keepers lived there.', '',
      '## Lamps', '', '![lamp](images/lamp.jpg)', '', 'Lamps burn oil.', '',
      '## Remote', '', 'Text.', '', '![x](https://example.com/x.png)', '',
      '## Raw', '', '<img src="a.png">', '',
      '## Empty',
    ].join('\n');
    assert.deepStrictEqual(summary(text, findSections(text, 'markdown')), [
      { heading: 'A lighthouse guide', level: 1, paragraph: 'Lighthouses guide ships. They stand on cliffs.\nSecond line.', hasImage: false },
      { heading: 'Keepers', level: 2, paragraph: 'Keepers lived there.', hasImage: false },
      { heading: 'Lamps', level: 2, paragraph: '![lamp](images/lamp.jpg)', hasImage: true },
      { heading: 'Remote', level: 2, paragraph: 'Text.', hasImage: true },
      { heading: 'Raw', level: 2, paragraph: undefined, hasImage: true },
      { heading: 'Empty', level: 2, paragraph: undefined, hasImage: false },
    ]);
    assert.strictEqual(findSections(text, 'markdown')![0].firstSentence, 'Lighthouses guide ships.');
  });

  it('MDX: indented text is a paragraph, not code', () => {
    const text = '# Title\n\n    Indented words.\n';
    assert.strictEqual(summary(text, findSections(text, 'mdx'))![0].paragraph, '    Indented words.');
    assert.strictEqual(summary(text, findSections(text, 'markdown'))![0].paragraph, undefined);
  });

  it('HTML: <h1>–<h6> as the browser parses them, the first <p>, <img>; a heading in a script or comment is none', () => {
    const text = [
      '<!doctype html><html><body>',
      '<h1>Tide <em>&amp;</em> time</h1><p>The sea rises twice a day.</p><p>Second.</p>',
      '<script>document.write("<h2>fake</h2>")</script><!-- <h2>comment</h2> -->',
      '<section><h2>Moon</h2><img src="moon.png" alt=""><p>The moon pulls.</p></section>',
      '<h3>Empty</h3>',
      '</body></html>',
    ].join('\n');
    assert.deepStrictEqual(summary(text, findSections(text, 'html')), [
      { heading: 'Tide & time', level: 1, paragraph: '<p>The sea rises twice a day.</p>', hasImage: false },
      { heading: 'Moon', level: 2, paragraph: '<p>The moon pulls.</p>', hasImage: true },
      { heading: 'Empty', level: 3, paragraph: undefined, hasImage: false },
    ]);
  });

  it('AsciiDoc: = titles outside delimited blocks; attribute lines, block titles and comments are not the paragraph', () => {
    const text = [
      '= Document Title', ':toc:', '', 'Preamble text.', '',
      '== Harbours', '', '[.lead]', '.A title', '// a comment', 'Harbours shelter boats.', 'Still the same paragraph.', '',
      '----', '== not a title', '----', '',
      '== Cranes', '', 'image::crane.png[Crane]', '', 'Cranes lift.', '',
      '=== Deep', '',
    ].join('\n');
    assert.deepStrictEqual(summary(text, findSections(text, 'asciidoc')), [
      { heading: 'Document Title', level: 0, paragraph: 'Preamble text.', hasImage: false },
      { heading: 'Harbours', level: 1, paragraph: 'Harbours shelter boats.\nStill the same paragraph.', hasImage: false },
      { heading: 'Cranes', level: 1, paragraph: 'Cranes lift.', hasImage: true },
      { heading: 'Deep', level: 2, paragraph: undefined, hasImage: false },
    ]);
  });

  it('reStructuredText: underlined (and overlined) titles, levels in order of appearance; directives and literal blocks are not titles', () => {
    const text = [
      '=====', 'Guide', '=====', '', 'Intro text here.', '',
      'Rivers', '------', '', '.. note:: A note.', '', 'Rivers flow. To the sea.', '',
      'Example::', '', '    Indented', '    --------', '',
      'Deltas', '------', '', '.. image:: delta.png', '', 'Deltas spread.', '',
      'Short', '--',
    ].join('\n');
    const sections = findSections(text, 'restructuredtext');
    assert.deepStrictEqual(summary(text, sections), [
      { heading: 'Guide', level: 1, paragraph: 'Intro text here.', hasImage: false },
      { heading: 'Rivers', level: 2, paragraph: 'Rivers flow. To the sea.', hasImage: false },
      { heading: 'Deltas', level: 2, paragraph: 'Deltas spread.', hasImage: true },
    ]);
    assert.strictEqual(slice(text, sections![0].headingSpan), '=====\nGuide\n=====');
  });

  it('CRLF documents: the same sections, offsets in the document as it is', () => {
    for (const [languageId, text] of [
      ['markdown', '# One\r\n\r\nFirst text.\r\n\r\n## Two\r\n\r\nSecond text.\r\n'],
      ['asciidoc', '== One\r\n\r\nFirst text.\r\n\r\n== Two\r\n\r\nSecond text.\r\n'],
      ['restructuredtext', 'One\r\n===\r\n\r\nFirst text.\r\n\r\nTwo\r\n---\r\n\r\nSecond text.\r\n'],
    ] as const) {
      const sections = findSections(text, languageId)!;
      assert.deepStrictEqual(sections.map((s) => [s.heading, slice(text, s.paragraph)]), [['One', 'First text.'], ['Two', 'Second text.']], languageId);
    }
  });

  it('other languages and documents over the reading cap: undefined; at most MAX_SECTIONS sections', () => {
    assert.strictEqual(findSections('# A\n\nB.\n', 'latex'), undefined);
    assert.strictEqual(findSections(`# A\n\n${'x'.repeat(MAX_READ_LENGTH)}`, 'markdown'), undefined);
    const many = Array.from({ length: MAX_SECTIONS + 20 }, (_, i) => `## S${i}\n\nText ${i}.\n`).join('\n');
    assert.strictEqual(findSections(many, 'markdown')!.length, MAX_SECTIONS);
  });

  it('linear time: a large document of headings and one of unclosed blocks are read quickly', () => {
    for (const [languageId, unit] of [
      ['markdown', '## H\n\nText. '],
      ['asciidoc', '== H\n\n----\n'],
      ['restructuredtext', 'H\n-\n\n'],
      ['html', '<h2>H<p>T'],
    ] as const) {
      const text = unit.repeat(Math.floor(MAX_READ_LENGTH / unit.length));
      const started = process.hrtime.bigint();
      findSections(text, languageId);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 3000, `${languageId}: ${ms.toFixed(0)} ms for ${text.length} characters`);
    }
  });

  it('firstSentence: up to the first full stop before a space, shortened at a word', () => {
    assert.strictEqual(firstSentence('One. Two.'), 'One.');
    assert.strictEqual(firstSentence('v1.2 is out! Yes.'), 'v1.2 is out!');
    assert.strictEqual(firstSentence('등대는 배를 안내한다。 둘'), '등대는 배를 안내한다。');
    assert.ok(firstSentence('word '.repeat(200)).length <= 300);
  });
});
