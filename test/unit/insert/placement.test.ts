// planInsertion: the exact edit for each kind of place, per language. ‸ marks the cursor, «…» a
// selection the image replaces; in the results ‸ marks snippetEnd (where the cursor goes).
import * as assert from 'assert';
import { planInsertion } from '../../../src/insert/insertion';

const image = { path: 'img/fox.png', prompt: 'A fox' };

function insert(languageId: string, marked: string, options: { replace?: boolean; cursor?: number } = {}): string {
  const selectionStart = marked.indexOf('«');
  const text = marked.replace(/[‸«»]/g, '');
  const selection = selectionStart === -1 ? undefined : { start: selectionStart, end: marked.indexOf('»') - 1 };
  const cursor = options.cursor ?? (selection ? selection.end : marked.indexOf('‸'));
  const plan = planInsertion({ text, languageId, cursor, selection, replaceSelection: options.replace ?? !!selection, image });
  const after = text.slice(0, plan.edit.start) + plan.edit.newText + text.slice(plan.edit.end);
  return `${after.slice(0, plan.snippetEnd)}‸${after.slice(plan.snippetEnd)}`;
}

const md = '![A fox](img/fox.png)';

describe('planInsertion: where the image goes', () => {
  describe('Markdown', () => {
    it('a cursor in a paragraph: a paragraph of its own after it (never splitting it)', () => {
      assert.strictEqual(insert('markdown', 'One ‸two\nthree\n\nNext'), `One two\nthree\n\n${md}‸\n\nNext`);
      assert.strictEqual(insert('markdown', '‸Start\n'), `Start\n\n${md}‸\n`);
      assert.strictEqual(insert('markdown', 'End‸'), `End\n\n${md}‸`);
      assert.strictEqual(insert('markdown', 'Title\n===‸\n\nx'), `Title\n===\n\n${md}‸\n\nx`, 'after the setext underline');
    });

    it('on a blank line: there, with blank lines around it', () => {
      assert.strictEqual(insert('markdown', 'One\n‸\nTwo'), `One\n\n${md}‸\n\nTwo`);
      assert.strictEqual(insert('markdown', 'One\n\n‸\n\nTwo'), `One\n\n${md}‸\n\nTwo`);
      assert.strictEqual(insert('markdown', '‸'), `${md}‸`);
    });

    it('in a list item: a continuation line of the item (a blank line would loosen the list)', () => {
      assert.strictEqual(insert('markdown', '- one ‸x\n  more\n- two'), `- one x\n  more\n  ${md}‸\n- two`);
      assert.strictEqual(insert('markdown', '1.  one‸\n2.  two'), `1.  one\n    ${md}‸\n2.  two`);
      assert.strictEqual(insert('markdown', '- a\n  - nested‸\n- b'), `- a\n  - nested\n    ${md}‸\n- b`);
    });

    it('in a blockquote: inside the quote, after a quoted blank line', () => {
      assert.strictEqual(insert('markdown', '> quoted ‸text\n> more\n\nout'), `> quoted text\n> more\n>\n> ${md}‸\n\nout`);
      assert.strictEqual(insert('markdown', '> > deep‸'), `> > deep\n> >\n> > ${md}‸`);
      assert.strictEqual(insert('markdown', '> - item‸'), `> - item\n>   ${md}‸`);
    });

    it('in fenced code or indented code: after it', () => {
      assert.strictEqual(insert('markdown', '```\nco‸de\n\nmore\n```\n\nNext'), `\`\`\`\ncode\n\nmore\n\`\`\`\n\n${md}‸\n\nNext`);
      assert.strictEqual(insert('markdown', 'Para\n\n    code‸\n\nNext'), `Para\n\n    code\n\n${md}‸\n\nNext`);
    });

    it('a replaced selection keeps its place; CRLF documents stay CRLF', () => {
      assert.strictEqual(insert('markdown', 'Intro «A fox» end.'), `Intro ${md}‸ end.`);
      assert.strictEqual(insert('markdown', 'One ‸two\r\n\r\nNext'), `One two\r\n\r\n${md}‸\r\n\r\nNext`);
      assert.strictEqual(insert('markdown', 'Intro «A fox» end.', { replace: false }), `Intro A fox end.\n\n${md}‸`, 'replaceSelection off');
    });
  });

  it('LaTeX: on the next line (never inside a % comment), indented like the line; own paragraph on a blank line', () => {
    const tex = '\\includegraphics[width=\\linewidth]{img/fox.png}';
    assert.strictEqual(insert('latex', '  Some ‸text % note\nMore'), `  Some text % note\n  ${tex}‸\nMore`);
    assert.strictEqual(insert('latex', 'One\n‸\nTwo'), `One\n\n${tex}‸\n\nTwo`);
    assert.strictEqual(insert('latex', 'See «A fox» here'), `See ${tex}‸ here`);
  });

  it('reStructuredText: after the paragraph, indented like its text, with blank lines', () => {
    const directive = (indent: string) => `${indent}.. image:: img/fox.png\n${indent}   :alt: A fox`;
    assert.strictEqual(insert('restructuredtext', 'One ‸two\nthree\n\nNext'), `One two\nthree\n\n${directive('')}‸\n\nNext`);
    assert.strictEqual(insert('restructuredtext', '- one‸\n- two'), `- one\n\n${directive('  ')}‸\n\n- two`);
    assert.strictEqual(insert('restructuredtext', '#. one‸'), `#. one\n\n${directive('   ')}‸`);
    assert.strictEqual(insert('restructuredtext', 'Intro::\n\n    literal‸\n\nNext'), `Intro::\n\n    literal\n\n${directive('')}‸\n\nNext`);
    assert.strictEqual(insert('restructuredtext', 'Ex‸ample::\n\n    literal\n\nNext'), `Example::\n\n    literal\n\n${directive('')}‸\n\nNext`, 'never the literal block’s content');
    assert.strictEqual(insert('restructuredtext', '- a\n\n  ‸\n'), `- a\n\n${directive('  ')}‸\n`, 'a blank line keeps the cursor’s indentation');
    assert.strictEqual(insert('restructuredtext', 'Before «A fox» after.'), `Before\n\n${directive('')}‸\n\nafter.`, 'a directive stands alone');
  });

  it('AsciiDoc: a block after the paragraph with blank lines; + in a list; after a listing block', () => {
    const block = 'image::img/fox.png[A fox]';
    assert.strictEqual(insert('asciidoc', 'One ‸two\nthree\n\nNext'), `One two\nthree\n\n${block}‸\n\nNext`);
    assert.strictEqual(insert('asciidoc', '* one‸\n* two'), `* one\n+\n${block}‸\n* two`);
    assert.strictEqual(insert('asciidoc', '. one\n  more‸\n. two'), `. one\n  more\n+\n${block}‸\n. two`);
    assert.strictEqual(insert('asciidoc', '----\nco‸de\n\nmore\n----\nNext'), `----\ncode\n\nmore\n----\nNext\n\n${block}‸`);
    assert.strictEqual(insert('asciidoc', '____\nquote‸\n____'), `____\nquote\n\n${block}‸\n\n____`);
    assert.strictEqual(insert('asciidoc', 'Before «A fox» after.'), `Before\n\n${block}‸\n\nafter.`);
  });

  it('HTML-likes: in place; out of a tag or comment the cursor is in; CSS inside <style>', () => {
    const tag = '<img src="img/fox.png" alt="A fox">';
    assert.strictEqual(insert('html', '<p>One ‸two</p>'), `<p>One ${tag}‸two</p>`);
    assert.strictEqual(insert('html', '<p class="a‸b">x</p>'), `<p class="ab">${tag}‸x</p>`);
    assert.strictEqual(insert('vue', '<!-- a ‸note -->x'), `<!-- a note -->${tag}‸x`);
    assert.strictEqual(insert('svelte', '<style>\n  .a { ‸ }\n</style>'), '<style>\n  .a { background-image: url("img/fox.png")‸; }\n</style>');
    assert.strictEqual(insert('html', '<p>Intro «A fox» end</p>'), `<p>Intro ${tag}‸ end</p>`);
    assert.strictEqual(insert('typescriptreact', 'const a = <p ‸className="x">y</p>;'), 'const a = <p className="x"><img src="img/fox.png" alt="A fox" />‸y</p>;');
  });

  it('CSS: url() in a value, spaced from its neighbours; a declaration on a line of its own', () => {
    assert.strictEqual(insert('css', 'a { background: no-repeat‸center; }'), 'a { background: no-repeat url("img/fox.png")‸ center; }');
    assert.strictEqual(insert('css', 'a {\n  ‸\n}'), 'a {\n  background-image: url("img/fox.png")‸;\n}');
    assert.strictEqual(insert('scss', 'a { color: red;‸ }'), 'a { color: red; background-image: url("img/fox.png")‸; }');
    assert.strictEqual(insert('sass', 'a\n  ‸'), 'a\n  background-image: url("img/fox.png")‸');
  });

  it('any other language: the path at the cursor or in place of the selection', () => {
    assert.strictEqual(insert('python', 'x = ‸'), 'x = img/fox.png‸');
    assert.strictEqual(insert('plaintext', 'see «A fox»!'), 'see img/fox.png‸!');
  });

  it('offsets out of range are clamped; an empty selection is a cursor', () => {
    assert.strictEqual(insert('plaintext', 'ab', { cursor: 99 }), 'abimg/fox.png‸');
    assert.strictEqual(insert('plaintext', 'ab', { cursor: -5 }), 'img/fox.png‸ab');
    const plan = planInsertion({ text: 'abc', languageId: 'plaintext', cursor: 1, selection: { start: 2, end: 2 }, replaceSelection: true, image });
    assert.deepStrictEqual(plan.edit, { start: 1, end: 1, newText: 'img/fox.png' });
  });
});
