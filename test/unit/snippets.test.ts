// The exact text of each language's image snippet. test/unit/insert/parserTable.test.ts proves that
// these render as one image with the right source and alt text in each language's real parser; this
// file pins the readable form (nothing escaped that needs no escaping).
import * as assert from 'assert';
import { relativePosixPath } from '../../src/insert/paths';
import { altText, snippetFor } from '../../src/insert/snippets';

const base = { path: 'images/a-fox-42.png', alt: 'A fox', width: 2752, height: 1536 };

describe('snippets', () => {
  it('markdown: alt text escaped where it would be markup, destination in <…> when it has spaces', () => {
    assert.strictEqual(snippetFor({ ...base, languageId: 'markdown' }), '![A fox](images/a-fox-42.png)');
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'markdown', alt: 'a [link](x) ] \\ `code` *b* _i_ <b> & ~s~ | end' }),
      '![a \\[link\\](x) \\] \\\\ \\`code\\` \\*b\\* \\_i\\_ \\<b\\> \\& \\~s\\~ \\| end](images/a-fox-42.png)',
    );
    assert.strictEqual(snippetFor({ ...base, languageId: 'markdown', path: 'my images/fox (1).png' }), '![A fox](<my images/fox (1).png>)');
    assert.strictEqual(snippetFor({ ...base, languageId: 'markdown', path: 'a<b>/c d.png' }), '![A fox](<a\\<b\\>/c d.png>)');
    assert.strictEqual(snippetFor({ ...base, languageId: 'markdown', path: '100%/a(1.png' }), '![A fox](<100%25/a(1.png>)');
    assert.strictEqual(snippetFor({ ...base, languageId: 'markdown', alt: 'a {cat}' }), '![a {cat}](images/a-fox-42.png)');
  });

  it('mdx: braces are escaped too (they start expressions)', () => {
    assert.strictEqual(snippetFor({ ...base, languageId: 'mdx', alt: 'a {cat} <b>' }), '![a \\{cat\\} \\<b\\>](images/a-fox-42.png)');
  });

  it('html, vue, astro, php with size; attributes escaped; path percent-encoded where it must be', () => {
    for (const languageId of ['html', 'vue', 'astro', 'php']) {
      assert.strictEqual(snippetFor({ ...base, languageId }), '<img src="images/a-fox-42.png" alt="A fox" width="2752" height="1536">');
    }
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'html', alt: '"><script>alert(1)</script>&', path: 'a b/"x"#1.png' }),
      '<img src="a%20b/%22x%22%231.png" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;" width="2752" height="1536">',
    );
    assert.strictEqual(snippetFor({ languageId: 'html', path: 'x.png', alt: 'x' }), '<img src="x.png" alt="x">');
    assert.strictEqual(snippetFor({ ...base, languageId: 'vue', alt: 'a {{cat}}' }), '<img src="images/a-fox-42.png" alt="a {{cat}}" width="2752" height="1536">');
  });

  it('svelte: braces in attribute values are character references (Svelte evaluates {…} in them)', () => {
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'svelte', alt: 'a {cat} on a mat', path: 'a {b}.png' }),
      '<img src="a%20%7Bb%7D.png" alt="a &#123;cat&#125; on a mat" width="2752" height="1536">',
    );
    assert.notStrictEqual(snippetFor({ ...base, languageId: 'svelte', alt: '{x}' }), snippetFor({ ...base, languageId: 'html', alt: '{x}' }));
  });

  it('jsx / tsx: self-closing, braces literal inside the quoted attribute', () => {
    for (const languageId of ['javascriptreact', 'typescriptreact']) {
      assert.strictEqual(snippetFor({ ...base, languageId }), '<img src="images/a-fox-42.png" alt="A fox" />');
    }
    assert.strictEqual(snippetFor({ ...base, languageId: 'typescriptreact', alt: '{x} "y"' }), '<img src="images/a-fox-42.png" alt="{x} &quot;y&quot;" />');
  });

  it('css, scss, sass, less, stylus', () => {
    for (const languageId of ['css', 'scss', 'sass', 'less', 'stylus']) {
      assert.strictEqual(snippetFor({ ...base, languageId }), 'url("images/a-fox-42.png")');
    }
    assert.strictEqual(snippetFor({ ...base, languageId: 'css', path: 'a b/x".png' }), 'url("a%20b/x%22.png")');
  });

  it('latex: full line width; path characters TeX would read otherwise are spelled out', () => {
    assert.strictEqual(snippetFor({ ...base, languageId: 'latex' }), '\\includegraphics[width=\\linewidth]{images/a-fox-42.png}');
    assert.strictEqual(
      snippetFor({ ...base, languageId: 'tex', path: '100% #1/a_b~c&d {x}  y.png' }),
      '\\includegraphics[width=\\linewidth]{100\\csname c_percent_str\\endcsname \\csname c_space_tl\\endcsname ' +
        '\\csname c_hash_str\\endcsname 1/a_b~c&d \\csname c_left_brace_str\\endcsname x\\csname c_right_brace_str\\endcsname ' +
        '\\csname c_space_tl\\endcsname \\csname c_space_tl\\endcsname y.png}',
    );
  });

  it('restructuredtext: :alt: under the directive; whitespace and backslashes in the path escaped', () => {
    assert.strictEqual(snippetFor({ ...base, languageId: 'restructuredtext' }), '.. image:: images/a-fox-42.png\n   :alt: A fox');
    assert.strictEqual(snippetFor({ ...base, languageId: 'restructuredtext', path: 'a b\\c.png' }), '.. image:: a\\ b\\\\c.png\n   :alt: A fox');
    assert.strictEqual(snippetFor({ ...base, languageId: 'restructuredtext', alt: '' }), '.. image:: images/a-fox-42.png');
  });

  it('asciidoc: ] needs no escape in a block macro; {name}, replacements and splitting characters are escaped', () => {
    assert.strictEqual(snippetFor({ ...base, languageId: 'asciidoc' }), 'image::images/a-fox-42.png[A fox]');
    assert.strictEqual(snippetFor({ ...base, languageId: 'asciidoc', alt: 'ends with ]' }), 'image::images/a-fox-42.png[ends with ]]');
    assert.strictEqual(snippetFor({ ...base, languageId: 'asciidoc', alt: 'a, "b" ]', path: 'x y [1] {z} 5%.png' }), 'image::x y %5B1] %7Bz} 5%25.png["a, \\"b\\" ]"]');
    assert.strictEqual(snippetFor({ ...base, languageId: 'asciidoc', alt: 'a {cat} {set:x:y} { b }' }), 'image::images/a-fox-42.png[a \\{cat} \\{set:x:y} { b }]');
    assert.strictEqual(snippetFor({ ...base, languageId: 'asciidoc', alt: "fox's (C) a -- b x--y ... -> &amp;" }), "image::images/a-fox-42.png[fox\\'s \\(C) a \\-- b x\\--y \\... \\-> \\&amp;]");
    assert.strictEqual(snippetFor({ ...base, languageId: 'asciidoc', alt: 'a, trailing \\' }), 'image::images/a-fox-42.png["a, trailing &#92;"]');
    assert.strictEqual(snippetFor({ ...base, languageId: 'asciidoc', alt: '' }), 'image::images/a-fox-42.png[""]');
  });

  it('any other language: the relative path', () => {
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

  it('hostile prompts keep every snippet on its lines', () => {
    const hostile = ['../', 'CON', '/\\:', '🦊 fox', 'ثعلب \u202e', 'w'.repeat(5000), '](evil) ![x', '"\'<>&`${}', 'a\nb\r\nc\u2028d'];
    const languages = ['markdown', 'mdx', 'html', 'vue', 'svelte', 'astro', 'javascriptreact', 'typescriptreact', 'css', 'scss', 'less', 'latex', 'restructuredtext', 'asciidoc', 'plaintext'];
    for (const alt of hostile) {
      for (const languageId of languages) {
        const text = snippetFor({ ...base, languageId, alt });
        assert.ok(text.split('\n').length <= (languageId === 'restructuredtext' ? 2 : 1), `${languageId}: ${text}`);
      }
    }
  });

  it('relative POSIX paths', () => {
    assert.strictEqual(relativePosixPath('/ws/docs', '/ws/images/a.png'), '../images/a.png');
    assert.strictEqual(relativePosixPath('/ws', '/ws/images/a.png'), 'images/a.png');
    assert.strictEqual(relativePosixPath('/ws/docs/', '/ws/docs/a.png'), 'a.png');
    assert.strictEqual(relativePosixPath('/a/b/c', '/x/y.png'), '../../../x/y.png');
    assert.strictEqual(relativePosixPath('/ws/images', '/ws/images/images/a.png'), 'images/a.png');
    assert.strictEqual(relativePosixPath('/a/b/c', '/a/b'), '../../b', 'a file is never a folder on the way');
  });
});
