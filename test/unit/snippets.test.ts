import * as assert from 'assert';
import { altText, placeSnippet, relativePosixPath, snippetFor } from '../../src/insert/snippets';

const base = { path: 'images/a-fox-42.png', alt: 'A fox', width: 2752, height: 1536 };

describe('snippets', () => {
  it('markdown', () => {
    assert.strictEqual(snippetFor({ ...base, languageId: 'markdown' }), '![A fox](images/a-fox-42.png)');
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'markdown', alt: 'a [link](x) ] \\ end' }),
      '![a \\[link\\](x) \\] \\\\ end](images/a-fox-42.png)',
    );
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'markdown', path: 'my images/fox (1).png' }),
      '![A fox](<my images/fox (1).png>)',
    );
    assert.strictEqual(snippetFor({ ...base, languageId: 'markdown', path: 'a<b>/c d.png' }), '![A fox](<a\\<b\\>/c d.png>)');
  });

  it('html, vue, svelte with size; attributes escaped', () => {
    for (const languageId of ['html', 'vue', 'svelte']) {
      assert.strictEqual(
        snippetFor({ ...base, languageId }),
        '<img src="images/a-fox-42.png" alt="A fox" width="2752" height="1536">',
      );
    }
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'html', alt: '"><script>alert(1)</script>&', path: 'a b/"x".png' }),
      '<img src="a%20b/%22x%22.png" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;" width="2752" height="1536">',
    );
    assert.strictEqual(
      snippetFor({ languageId: 'html', path: 'x.png', alt: 'x' }),
      '<img src="x.png" alt="x">',
    );
  });

  it('jsx / tsx', () => {
    for (const languageId of ['javascriptreact', 'typescriptreact']) {
      assert.strictEqual(snippetFor({ ...base, languageId }), '<img src="images/a-fox-42.png" alt="A fox" />');
    }
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'typescriptreact', alt: '{x} "y"' }),
      '<img src="images/a-fox-42.png" alt="{x} &quot;y&quot;" />',
    );
  });

  it('css, scss, less', () => {
    for (const languageId of ['css', 'scss', 'less']) {
      assert.strictEqual(snippetFor({ ...base, languageId }), 'url("images/a-fox-42.png")');
    }
    assert.strictEqual(snippetFor({ ...base, languageId: 'css', path: 'a b/x".png' }), 'url("a%20b/x%22.png")');
  });

  it('latex, restructuredtext, asciidoc, plain', () => {
    assert.strictEqual(snippetFor({ ...base, languageId: 'latex' }), '\\includegraphics{images/a-fox-42.png}');
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'restructuredtext' }),
      '.. image:: images/a-fox-42.png\n   :alt: A fox',
    );
    assert.strictEqual(snippetFor({ ...base, languageId: 'restructuredtext', path: 'a b.png' }), '.. image:: a\\ b.png\n   :alt: A fox');
    assert.strictEqual(snippetFor({ ...base, languageId: 'asciidoc' }), 'image::images/a-fox-42.png[A fox]');
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'asciidoc', alt: 'a, "b" ]', path: 'x y.png' }),
      'image::x%20y.png["a, \\"b\\" \\]"]',
    );
    for (const languageId of ['plaintext', 'python', 'unknown-lang', '']) {
      assert.strictEqual(snippetFor({ ...base, languageId }), 'images/a-fox-42.png');
    }
  });

  it('alt text is one line, ≤ 120 characters, no control or bidi override characters', () => {
    assert.strictEqual(altText('  a\n\tb\r\n c  '), 'a b c');
    const long = altText('word '.repeat(100));
    assert.ok(Array.from(long).length <= 120);
    assert.ok(long.endsWith('…'));
    const oneWord = altText('x'.repeat(5000));
    assert.strictEqual(Array.from(oneWord).length, 120);
    const emoji = altText('🦊'.repeat(500));
    assert.strictEqual(Array.from(emoji).length, 120, 'cuts by code point, never half a surrogate pair');
    assert.ok(!/[\ud800-\udbff]…$/.test(emoji));
    assert.strictEqual(altText('abc\u202Edef\u2066g'), 'abc def g');
    assert.strictEqual(altText('שועל אדום'), 'שועל אדום');
  });

  it('hostile prompts keep every snippet on one line and inside its syntax', () => {
    const hostile = ['../', 'CON', '/\\:', '🦊 fox', 'ثعلب \u202e', 'w'.repeat(5000), '](evil) ![x', '"\'<>&`${}', 'a\nb\r\nc'];
    const languages = ['markdown', 'html', 'vue', 'svelte', 'javascriptreact', 'typescriptreact', 'css', 'scss', 'less', 'latex', 'restructuredtext', 'asciidoc', 'plaintext'];
    for (const alt of hostile) {
      for (const languageId of languages) {
        const text = snippetFor({ ...base, languageId, alt });
        const lines = text.split('\n');
        assert.ok(lines.length <= (languageId === 'restructuredtext' ? 2 : 1), `${languageId}: ${text}`);
        if (languageId === 'html' || languageId.endsWith('react')) {
          assert.ok(!/<(?!img )/.test(text.slice(1)), text);
          assert.strictEqual((text.match(/"/g) ?? []).length % 2, 0);
        }
        if (languageId === 'markdown') assert.ok(text.endsWith('](images/a-fox-42.png)'));
      }
    }
  });

  it('relative POSIX paths', () => {
    assert.strictEqual(relativePosixPath('/ws/docs', '/ws/images/a.png'), '../images/a.png');
    assert.strictEqual(relativePosixPath('/ws', '/ws/images/a.png'), 'images/a.png');
    assert.strictEqual(relativePosixPath('/ws/docs/', '/ws/docs/a.png'), 'a.png');
    assert.strictEqual(relativePosixPath('/a/b/c', '/x/y.png'), '../../../x/y.png');
    assert.strictEqual(relativePosixPath('/ws/images', '/ws/images/images/a.png'), 'images/a.png');
  });

  it('places block snippets on their own line', () => {
    assert.strictEqual(placeSnippet('![a](b)', 'markdown', 'text ', ''), '\n![a](b)');
    assert.strictEqual(placeSnippet('![a](b)', 'markdown', '', ' more'), '![a](b)\n');
    assert.strictEqual(placeSnippet('.. image:: b', 'restructuredtext', 'x', 'y'), '\n\n.. image:: b\n\n');
    assert.strictEqual(placeSnippet('<img>', 'html', 'x', 'y'), '<img>');
  });
});
