// The cases of issue 27, each a document in which a hand-written scanner found an image the page does
// not show (and a user would have paid for it), or missed one it does show; and an HTML table held
// against the WHATWG tokenizer's rules (parse5). Markdown cases are also checked against commonmark.js.
import * as assert from 'assert';
import { HtmlRenderer, Parser } from 'commonmark';
import { findImageReferences } from '../../../src/insert/languages';
import { htmlImages } from '../../../src/insert/languages/parsedHtml';

const paths = (text: string, languageId: string) => findImageReferences(text, languageId).map((ref) => ref.path);
const commonmarkPaths = (markdown: string) => htmlImages(new HtmlRenderer().render(new Parser().parse(markdown)), 'html').map((image) => image.path);

const MARKDOWN_CASES: Array<[string, string, string[]]> = [
  // Found where the page shows no image.
  ['indented code', 'A tutorial:\n\n    ![alt](path/to/image.png)\n', []],
  ['indented code in a list item', '- item\n\n        ![alt](code.png)\n', []],
  ['a stray backtick does not pair across blocks', 'Press the ` key.\n\nThen `![x](code.png)` and ![y](b.png)\n', ['b.png']],
  ['a Don`t typo', 'Don`t do this.\n\nThen `![x](code.png)` ![ok](ok.png)\n', ['ok.png']],
  ['an escaped backtick is not a delimiter', '\\`![a](a.png)\\`\n', ['a.png']],
  ['an <img> in a <script> block', '<script>\nel.innerHTML = \'<img src="icons/\' + name + \'.png">\';\n</script>\n', []],
  ['a template string in a <script> block', '<script>\nconst s = `<img src="img/${id}.png">`;\n</script>\n', []],
  ['an <img> in a <style> block', '<style>\n/* <img src="a.png"> */\n</style>\n', []],
  ['an <img> in a <textarea> block', '<textarea>\n<img src="a.png">\n</textarea>\n', []],
  ['an <img> in a <title>', '<title><img src="a.png"></title>\n', []],
  ['an <img> in CDATA', '<![CDATA[\n<img src="a.png">\n]]>\n', []],
  ['an <img> in a comment', '<!--\n<img src="a.png">\n-->\n', []],
  ['a label defined twice: the first definition counts', '![x][a]\n\n[a]: first.png\n[a]: second.png\n', ['first.png']],
  ['a line that is not a valid definition', '[a]: b.png not-a-title\n\n![x][a]\n', []],
  ['a named entity in the destination', '![x](img/caf&eacute;.png)\n', ['img/café.png']],
  ['an escaped ! makes a link', '\\![x](img/a.png)\n', []],
  ['a fence opened on a list-marker line', '1. ```md\n   ![in code](a.png)\n   ```\n\n![out](b.png)\n', ['b.png']],
  ['Markdown inside an HTML block is text', '<div align="center">\n![logo](img/logo.png)\n</div>\n', []],
  // Missed where the page shows one.
  ['a fence inside a blockquote ends with the quote', '> ```\n> code\n\n![after](after.png)\n', ['after.png']],
  ['a definition whose destination is on the next line', '![x][a]\n\n[a]:\n  next.png\n', ['next.png']],
  ['a definition inside a blockquote', '![x][a]\n\n> [a]: quoted.png\n', ['quoted.png']],
  ['a title with escaped quotes', '![x](a.png "t \\"q\\" t") ![y](b.png)\n', ['a.png', 'b.png']],
  ['parentheses nested two deep', '![x](a((b)).png)\n', ['a((b)).png']],
  ['a <!--> comment ends at once', '<!--> <img src="c.png">\n', ['c.png']],
  ['srcset on <img> and <source>', '<picture><source srcset="b.webp 1x, b-2x.webp 2x"><img src="b.png" srcset="b-2x.png 2x"></picture>\n', ['b.webp', 'b-2x.webp', 'b.png', 'b-2x.png']],
  // And what was always right stays right.
  ['an image in a table cell', '| a | b |\n| - | - |\n| ![x](t1.png) | ![y](t2.png) |\n', ['t1.png', 't2.png']],
  ['an image in a blockquote in a list', '- > text ![x](q.png)\n', ['q.png']],
  ['CRLF line ends', 'a\r\n\r\n![x](crlf.png)\r\n\r\n[r]: ref.png\r\n![y][r]\r\n', ['crlf.png', 'ref.png']],
];

const HTML_CASES: Array<[string, string, string[]]> = [
  ['quoted, single-quoted, unquoted', '<img src="a.png"><img src=\'b.png\'><img src=c.png>', ['a.png', 'b.png', 'c.png']],
  ['script content is text', '<script>el.innerHTML = \'<img src="icons/\' + name + \'.png">\';</script>', []],
  ['a template string in a script', '<script>const s = `<img src="img/${id}.png">`;</script>', []],
  ['style, textarea, title, xmp, iframe, noembed', '<style><img src=a.png></style><textarea><img src=b.png></textarea><title><img src=c.png></title><xmp><img src=d.png></xmp><iframe><img src=e.png></iframe><noembed><img src=f.png></noembed>', []],
  ['comments, <!--> and bogus CDATA', '<!-- <img src=a.png> --><!--><img src=b.png><![CDATA[<img src=c.png>]]>', ['b.png']],
  ['character references decode', '<img src="caf&eacute;.png"><img src="a&amp;b.png"><img src="&#x41;.png">', ['café.png', 'a&b.png', 'A.png']],
  ['srcset with descriptors', '<img srcset="a.png 1x,b.png 2x , c,d.png 3x">', ['a.png', 'b.png', 'c,d.png']],
  ['template content counts', '<template><img src="t.png"></template>', ['t.png']],
  ['noscript content counts', '<noscript><img src="n.png"></noscript>', ['n.png']],
  ['SVG image is not an <img>', '<svg><image href="s.png"/></svg>', []],
  ['remote, data and fragment sources are not files', '<img src="https://x/a.png"><img src="data:image/png;base64,x"><img src="#x">', []],
  ['the first of two src attributes counts', '<img src="first.png" src="second.png">', ['first.png']],
];

describe('Reading documents as their parsers do (issue 27)', () => {
  for (const [name, markdown, expected] of MARKDOWN_CASES) {
    it(`Markdown: ${name}`, () => {
      assert.deepStrictEqual(paths(markdown, 'markdown'), expected);
      assert.deepStrictEqual(commonmarkPaths(markdown), expected, 'commonmark.js renders the same images');
    });
  }
  for (const [name, html, expected] of HTML_CASES) {
    it(`HTML: ${name}`, () => {
      assert.deepStrictEqual(paths(html, 'html'), expected);
      for (const ref of findImageReferences(html, 'html')) assert.strictEqual(html.slice(ref.written.start, ref.written.end), ref.written.text);
    });
  }
  it('Vue: the component template is read, the script is not', () => {
    const vue = '<template>\n  <img src="./logo.png" alt="Logo">\n  <img :src="dynamic">\n</template>\n<script setup>\nconst html = \'<img src="no.png">\';\n</script>\n';
    assert.deepStrictEqual(paths(vue, 'vue'), ['./logo.png']);
  });
  it('Markdown (GFM tables, which commonmark.js lacks): a cell whose `\\|` the parser unescaped is not placed, so its image is not reported; the next cell is', () => {
    assert.deepStrictEqual(paths('| a | b |\n| - | - |\n| x \\| y ![i](t1.png) | ![j](t2.png) |\n', 'markdown'), ['t2.png']);
  });
  it('MDX: no indented code, so an indented image is an image', () => {
    assert.deepStrictEqual(paths('Text\n\n    ![x](mdx.png)\n', 'mdx'), ['mdx.png']);
  });
});
