// The template engine of fluxStudio.insert.templates: what it refuses, and how each variable is escaped for
// where it stands (the README's examples are read back by the real parsers in parserTable.test.ts).
import * as assert from 'assert';
import MarkdownIt from 'markdown-it';
import { planInsertion } from '../../../src/insert/insertion';
import { fillTemplate, parseTemplate, TEMPLATE_MAX_LENGTH, type TemplateKey, type TemplateValues } from '../../../src/insert/templates';
import { htmlAnalyzer } from './parsers';

const HOSTILE_ALT = 'a "fox" <b>bold</b> ] ) `tick` [x](y) {z} & \'q\' *em*';
const VALUES: TemplateValues = { path: 'images/fox (1).png', alt: HOSTILE_ALT, prompt: 'line one\nline two', width: 800, height: 450 };

function fill(template: string, key: TemplateKey, values: TemplateValues = VALUES, languageId: string = key): string | undefined {
  const parsed = parseTemplate(template, key);
  assert.ok(parsed.ok, `refused: ${JSON.stringify(parsed)}`);
  return fillTemplate(parsed.parts, values, key, languageId);
}

describe('insert templates', () => {
  it('refuses unknown variables, an unclosed one, a template without ${path}, and one over the cap', () => {
    assert.deepStrictEqual(parseTemplate('![${title}](${path})', 'markdown'), { ok: false, problem: 'unknown-variable', detail: 'title' });
    assert.deepStrictEqual(parseTemplate('![${alt](${path})', 'markdown'), { ok: false, problem: 'unknown-variable', detail: undefined });
    assert.deepStrictEqual(parseTemplate('![x](${path', 'markdown'), { ok: false, problem: 'unclosed-variable' });
    assert.deepStrictEqual(parseTemplate('![${alt}](x.png)', 'markdown'), { ok: false, problem: 'no-path' });
    const long = `![](\${path})${' '.repeat(TEMPLATE_MAX_LENGTH)}`;
    assert.deepStrictEqual(parseTemplate(long, 'markdown'), { ok: false, problem: 'too-long' });
  });

  it('refuses a variable where no escaping keeps it safe', () => {
    for (const [template, key] of [
      ['`${alt}` ![](${path})', 'markdown'],
      ['<script>var a = "${alt}"</script><img src="${path}">', 'html'],
      ['<img src="${path}" alt={${alt}}>', 'html'],
      ['<Image src="${path}" alt={${alt}} />', 'mdx'],
      ['<img src=${path}>', 'html'],
      ['image::${path}["${alt}"]', 'asciidoc'],
    ] as const) {
      assert.strictEqual(parseTemplate(template, key).ok, false, template);
    }
  });

  it('is linear: a template at the cap made of openers parses at once', () => {
    const started = Date.now();
    for (const unit of ['<a ', '![', '{', 'image::', '\\includegraphics[']) {
      parseTemplate(`\${path}${unit.repeat(TEMPLATE_MAX_LENGTH / unit.length - 4)}`.slice(0, TEMPLATE_MAX_LENGTH), 'mdx');
    }
    assert.ok(Date.now() - started < 200);
  });

  it('escapes hostile alt text in an HTML attribute and in text, read back by parse5', async () => {
    const html = fill('<figure><img src="${path}" alt=\'${alt}\' title="${prompt}"><figcaption>${alt}</figcaption></figure>', 'html')!;
    const parsed = (await htmlAnalyzer())(html);
    assert.deepStrictEqual(parsed.problems, []);
    assert.deepStrictEqual(parsed.images, [{ src: 'images/fox%20(1).png', alt: HOSTILE_ALT }]);
    assert.ok(parsed.rest.includes(JSON.stringify(HOSTILE_ALT)), parsed.rest);
    assert.ok(html.includes('title="line one line two"'), 'newlines in ${prompt} become spaces');
  });

  it('escapes alt text, the destination, a title and text around a Markdown image, read back by markdown-it', async () => {
    const md = fill('![${alt}](${path} "${alt}")\n\n*${alt}*', 'markdown')!;
    const parsed = (await htmlAnalyzer())(new MarkdownIt('commonmark').render(md));
    assert.deepStrictEqual(parsed.images, [{ src: 'images/fox%20%281%29.png', alt: HOSTILE_ALT }]);
    assert.ok(parsed.rest.includes(`em[](${JSON.stringify(HOSTILE_ALT)})`), parsed.rest);
  });

  it('escapes for LaTeX text and reStructuredText text', () => {
    assert.strictEqual(fill('\\includegraphics{${path}}\\caption{${alt}}', 'latex', { ...VALUES, alt: '50% & $5_a {b} \\ [c], d=e' }),
      '\\includegraphics{images/fox (1).png}\\caption{50\\% \\& \\$5\\_a \\{b\\} \\textbackslash{} {[}c{]}{,} d{=}e}');
    assert.strictEqual(fill('.. image:: ${path}\n   :alt: ${alt}\n\n*${alt}*', 'restructuredtext', { ...VALUES, alt: 'a *b* `c`' }),
      '.. image:: images/fox\\ (1).png\n   :alt: a *b* `c`\n\n*a \\*b\\* \\`c\\`*');
  });

  it('writes no markup for an unknown width or height: the built-in snippet is used', () => {
    assert.strictEqual(fill('<Image src="${path}" width={${width}} />', 'mdx', { ...VALUES, width: undefined }), undefined);
    const parsed = parseTemplate('<img src="${path}" width="${width}">', 'html');
    assert.ok(parsed.ok);
    const plan = planInsertion({ text: '', languageId: 'html', cursor: 0, replaceSelection: false, image: { path: 'a.png', prompt: 'fox' }, templates: { html: parsed.parts } });
    assert.strictEqual(plan.snippet, '<img src="a.png" alt="fox">');
  });

  it('is used by planInsertion for the document family only (CSS in a <style> element keeps its syntax)', () => {
    const parsed = parseTemplate('<figure><img src="${path}"></figure>', 'html');
    assert.ok(parsed.ok);
    const templates = { html: parsed.parts };
    const image = { path: 'a.png', prompt: 'fox', width: 10, height: 10 };
    assert.strictEqual(planInsertion({ text: '<p></p>', languageId: 'html', cursor: 3, replaceSelection: false, image, templates }).snippet, '<figure><img src="a.png"></figure>');
    const style = '<style>.a { background: ; }</style>';
    assert.strictEqual(planInsertion({ text: style, languageId: 'html', cursor: style.indexOf(';'), replaceSelection: false, image, templates }).snippet, 'url("a.png")');
  });
});
