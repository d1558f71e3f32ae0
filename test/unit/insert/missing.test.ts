// planMissingImage: what "Generate Missing Image with Flux" generates for a reference, and where it goes.
import * as assert from 'assert';
import { findImageReferences } from '../../../src/insert/languages';
import { LATEX_GRAPHICS_EXTENSIONS, nearestAspectRatio, planMissingImage, type MissingImageContext } from '../../../src/insert/missing';

const CONTEXT: MissingImageContext = { languageId: 'markdown', documentDir: '/ws/docs', workspaceFolder: '/ws', defaultFormat: 'jpg' };

function plan(text: string, languageId = 'markdown', context: Partial<MissingImageContext> = {}) {
  const [reference] = findImageReferences(text, languageId);
  assert.ok(reference, `a reference in ${text}`);
  return planMissingImage(reference, { ...CONTEXT, languageId, ...context });
}

describe('planMissingImage', () => {
  it('refuses a target with characters only code produces (quotes, +, ${, {{): no paid image for a doubt', () => {
    for (const [text, languageId] of [
      ['<img src="icons/\' + name + \'.png">', 'html'],
      ['<img src="img/${id}.png">', 'vue'],
      ['<img src="img/{{ id }}.png">', 'vue'],
      ['![x](<a"b.png>)', 'markdown'],
      ['\\includegraphics{fig+1.png}', 'latex'],
      ['a { background: url("x`y.png") }', 'css'],
    ]) {
      assert.deepStrictEqual(plan(text, languageId), { ok: false, reason: 'code-like' }, text);
    }
  });

  it('the alt text is the prompt, the path is relative to the document, the extension is the format', () => {
    assert.deepStrictEqual(plan('![A basalt lighthouse at dawn](images/basalt-lighthouse.jpg)'), {
      ok: true,
      target: '/ws/docs/images/basalt-lighthouse.jpg',
      candidates: ['/ws/docs/images/basalt-lighthouse.jpg'],
      prompt: 'A basalt lighthouse at dawn',
      format: 'jpg',
      aspectRatio: undefined,
    });
    const html = plan('<img src="../art/Fox.PNG" alt="  A red   fox " width="600" height="800">', 'html');
    assert.ok(html.ok);
    assert.deepStrictEqual([html.target, html.prompt, html.format, html.aspectRatio], ['/ws/art/Fox.PNG', 'A red fox', 'png', '3:4']);
    const asciidoc = plan('image::shots/night-sky.webp[]', 'asciidoc');
    assert.ok(asciidoc.ok);
    assert.deepStrictEqual([asciidoc.prompt, asciidoc.format], ['night sky', 'webp']);
  });

  it('without alt text the file name, de-slugged, is the prompt; jpeg is jpg', () => {
    const result = plan('![](images/basalt_lighthouse-at-dawn.jpeg)');
    assert.ok(result.ok);
    assert.deepStrictEqual([result.prompt, result.format, result.target], ['basalt lighthouse at dawn', 'jpg', '/ws/docs/images/basalt_lighthouse-at-dawn.jpeg']);
  });

  it('LaTeX without an extension: written with the default format, missing only if graphicx finds nothing', () => {
    const result = plan('\\includegraphics[width=\\linewidth]{figures/harbour-map}', 'latex', { defaultFormat: 'png' });
    assert.ok(result.ok);
    assert.strictEqual(result.target, '/ws/docs/figures/harbour-map.png');
    assert.deepStrictEqual(result.candidates.slice(0, 2), ['/ws/docs/figures/harbour-map.png', '/ws/docs/figures/harbour-map.pdf']);
    assert.strictEqual(result.candidates.length, LATEX_GRAPHICS_EXTENSIONS.length);
    const webp = plan('\\includegraphics{map}', 'latex', { defaultFormat: 'webp' });
    assert.ok(webp.ok && webp.format === 'jpg' && webp.target === '/ws/docs/map.jpg', 'graphicx cannot read WebP');
  });

  it('refuses what is not a file inside the workspace folder, or not a format Flux writes', () => {
    const reason = (text: string, languageId = 'markdown') => {
      const result = plan(text, languageId);
      return result.ok ? 'ok' : result.reason;
    };
    const cases: Array<[string, string, string?]> = [
      ['![x](/etc/lighthouse.png)', 'not-relative'],
      ['![x](C:/Users/me/x.png)', 'not-relative'],
      ['<img src="~/x.png" alt="x">', 'not-relative', 'html'],
      ['![x](images/a%00b.png)', 'not-relative'],
      ['![x](../../outside.png)', 'outside-workspace'],
      ['![x](../docs/../../ws-other/x.png)', 'outside-workspace'],
      ['![x](../inside.png)', 'ok'],
      ['![x](images/x.png?v=2)', 'query-or-fragment'],
      ['![x](images/x.png#center)', 'query-or-fragment'],
      ['![x](images/anim.gif)', 'unsupported-format'],
      ['![x](images/noext)', 'unsupported-format'],
      ['![](images/---.png)', 'no-prompt'],
    ];
    for (const [text, expected, languageId] of cases) assert.strictEqual(reason(text, languageId), expected, text);
  });

  it('hostile alt text stays the prompt as text, on one line, at most 2000 characters', () => {
    const hostile = 'A [link](command:workbench.action.openSettings) $(trash) `code` <b>bold</b>';
    const result = plan(`<img src="x.png" alt="${hostile.replace(/</g, '&lt;')}\n\n${'long '.repeat(600)}">`, 'html');
    assert.ok(result.ok);
    assert.ok(result.prompt.startsWith(hostile), result.prompt.slice(0, 120));
    assert.ok(result.prompt.length <= 2000 && !/\n/.test(result.prompt));
  });

  it('nearestAspectRatio picks the closest of the five Ultra ratios', () => {
    const sizes: Array<[number, number, string]> = [
      [1920, 1080, '16:9'],
      [512, 512, '1:1'],
      [800, 600, '4:3'],
      [1080, 1920, '9:16'],
      [3000, 1000, '16:9'],
      [1000, 1200, '3:4'],
    ];
    for (const [width, height, ratio] of sizes) assert.strictEqual(nearestAspectRatio(width, height), ratio, `${width}×${height}`);
  });
});
