// findImageReferences: the image references of a document, for "Generate Missing Image with Flux".
import * as assert from 'assert';
import { planInsertion } from '../../../src/insert/insertion';
import { findImageReferences, IMAGE_LANGUAGES } from '../../../src/insert/languages';
import type { ImageReference } from '../../../src/insert/languages/family';
import { altText } from '../../../src/insert/snippets';
import { HOSTILE_PATHS, HOSTILE_PROMPTS } from './corpus';

/** The references without offsets, after checking the offsets point at what they claim. */
function found(text: string, languageId: string) {
  return findImageReferences(text, languageId).map((ref: ImageReference) => {
    assert.strictEqual(text.slice(ref.written.start, ref.written.end), ref.written.text, 'written offsets');
    assert.ok(ref.start <= ref.end && ref.end <= text.length);
    const { path, alt, width, height } = ref;
    return Object.fromEntries(Object.entries({ text: text.slice(ref.start, ref.end), written: ref.written.text, path, alt, width, height }).filter(([, v]) => v !== undefined));
  });
}

describe('findImageReferences', () => {
  it('Markdown: inline, reference-style and HTML images; not in code, not URLs', () => {
    const doc = [
      'Intro ![A basalt *lighthouse*](images/basalt-lighthouse.jpg "A title") and ![ref img][r].',
      '',
      '[r]: <my images/x (1).png> "t"',
      '`![code](not.png)` ![remote](https://x.com/a.png) ![fragment](#x) ![shortcut]',
      '```',
      '![fenced](no.png)',
      '```',
      '<img src="html%20img.png" alt="A &amp; B" width="512" height="256">',
      '', // an HTML block runs to a blank line: without it the next line would be HTML, not an image
      '![esc \\] alt](a\\(b\\)%25.png)',
      '',
      '[shortcut]: short.png',
    ].join('\n');
    assert.deepStrictEqual(found(doc, 'markdown'), [
      { text: '![A basalt *lighthouse*](images/basalt-lighthouse.jpg "A title")', written: 'images/basalt-lighthouse.jpg', path: 'images/basalt-lighthouse.jpg', alt: 'A basalt lighthouse' },
      { text: '![ref img][r]', written: 'my images/x (1).png', path: 'my images/x (1).png', alt: 'ref img' },
      { text: '![shortcut]', written: 'short.png', path: 'short.png', alt: 'shortcut' },
      { text: '<img src="html%20img.png" alt="A &amp; B" width="512" height="256">', written: 'html%20img.png', path: 'html img.png', alt: 'A & B', width: 512, height: 256 },
      { text: '![esc \\] alt](a\\(b\\)%25.png)', written: 'a\\(b\\)%25.png', path: 'a(b)%.png', alt: 'esc ] alt' },
    ]);
  });

  it('HTML-likes: <img> with a literal src; not in comments, not bound, not data: or http', () => {
    const doc = '<img src="a.png" alt="x"><IMG alt=\'y &lt;3\' SRC=b.png width=10><!-- <img src="c.png"> --><img :src="d"><img src="data:image/png;base64,x"><img src="{x}.png">';
    assert.deepStrictEqual(found(doc, 'vue'), [
      { text: '<img src="a.png" alt="x">', written: 'a.png', path: 'a.png', alt: 'x' },
      { text: "<IMG alt='y &lt;3' SRC=b.png width=10>", written: 'b.png', path: 'b.png', alt: 'y <3', width: 10 },
      { text: '<img src="{x}.png">', written: '{x}.png', path: '{x}.png' },
    ]);
    assert.deepStrictEqual(found('<img src="{x}.png"><img src="a&#123;b&#125;.png">', 'svelte').map((r) => r.path), ['a{b}.png'], 'Svelte evaluates braces');
  });

  it('JSX: string-literal src only, numeric sizes in braces, not in comments', () => {
    const doc = 'const a = <img src="a.png" alt="A &quot;fox&quot;" width={512} height="256" />;\n// <img src="c.png" />\nconst b = <img src={x} />;';
    assert.deepStrictEqual(found(doc, 'typescriptreact'), [
      { text: '<img src="a.png" alt="A &quot;fox&quot;" width={512} height="256" />', written: 'a.png', path: 'a.png', alt: 'A "fox"', width: 512, height: 256 },
    ]);
  });

  it('CSS: url() quoted or not, escapes and percent-encoding undone; not in comments', () => {
    const doc = 'a { background: url(a.png), url(\'b c.png\'), url("d%20e\\"f.png"); }\n/* url(x.png) */ b { mask: url(data:x) }';
    assert.deepStrictEqual(found(doc, 'scss').map((r) => [r.written, r.path]), [['a.png', 'a.png'], ['b c.png', 'b c.png'], ['d%20e\\"f.png', 'd e"f.png']]);
  });

  it('LaTeX: \\includegraphics with options; spelled characters undone; not in comments', () => {
    const doc = '\\includegraphics[width=5cm, alt={A \\emph{fox}}]{img/a.png}\n% \\includegraphics{c.png}\n\\includegraphics*{b}\\includegraphics{100\\csname c_percent_str\\endcsname x.png}';
    assert.deepStrictEqual(found(doc, 'latex').map((r) => [r.path, r.alt]), [['img/a.png', 'A fox'], ['b', undefined], ['100%x.png', undefined]]);
  });

  it('reStructuredText: image and figure directives and substitutions with :alt:, :width:, :height:', () => {
    const doc = 'Text\n\n.. image:: a\\ b.png\n   :alt: A fox\n   :width: 400px\n   :height: 300\n\n.. figure:: f.png\n\n.. |sub| image:: s.png\n';
    assert.deepStrictEqual(found(doc, 'restructuredtext'), [
      { text: '.. image:: a\\ b.png\n   :alt: A fox\n   :width: 400px\n   :height: 300', written: 'a\\ b.png', path: 'a b.png', alt: 'A fox', width: 400, height: 300 },
      { text: '.. figure:: f.png', written: 'f.png', path: 'f.png' },
      { text: '.. |sub| image:: s.png', written: 's.png', path: 's.png' },
    ]);
  });

  it('AsciiDoc: block and inline images with positional and named attributes', () => {
    const doc = 'image::a b.png[A fox, 400, 300]\n\nSee image:in%20line.png[alt="x, y",width=10] here.\n\nimage::q.png["a, \\"b\\""]';
    assert.deepStrictEqual(found(doc, 'asciidoc'), [
      { text: 'image::a b.png[A fox, 400, 300]', written: 'a b.png', path: 'a b.png', alt: 'A fox', width: 400, height: 300 },
      { text: 'image:in%20line.png[alt="x, y",width=10]', written: 'in%20line.png', path: 'in line.png', alt: 'x, y', width: 10 },
      { text: 'image::q.png["a, \\"b\\""]', written: 'q.png', path: 'q.png', alt: 'a, "b"' },
    ]);
  });

  it('reads back every inserted snippet in every image language: the path, and the alt text the parsers saw', () => {
    const withoutAlt = new Set(['css', 'scss', 'sass', 'less', 'stylus', 'latex', 'tex']);
    assert.strictEqual(IMAGE_LANGUAGES.length, 19);
    for (const languageId of IMAGE_LANGUAGES) {
      for (const [prompt, path] of [...HOSTILE_PROMPTS.map((p) => [p, 'images/a.png']), ...HOSTILE_PATHS.map((p) => ['A fox', p])]) {
        const text = 'Some text.\n';
        const { edit } = planInsertion({ text, languageId, cursor: 4, replaceSelection: false, image: { path, prompt } });
        const document = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
        const refs = findImageReferences(document, languageId);
        const what = `${languageId} ${JSON.stringify(prompt)} ${JSON.stringify(path)}:\n${document}`;
        assert.strictEqual(refs.length, 1, what);
        assert.strictEqual(refs[0].path, path, what);
        if (withoutAlt.has(languageId)) assert.strictEqual(refs[0].alt, undefined, what);
        else assert.strictEqual(refs[0].alt ?? '', altText(prompt), what);
      }
    }
  });
});
