// The gallery's page shell (src/vscode/gallery/html.ts) and the row geometry of its virtualized grid
// (src/webview/rows.ts): both free of VS Code and the DOM.
import * as assert from 'assert';
import type { GalleryBoot } from '../../src/protocol/gallery';
import { GALLERY_STRINGS_EN } from '../../src/protocol/strings';
import { renderGalleryHtml, type GalleryHtmlParams } from '../../src/vscode/gallery/html';
import { rowAt, rowTops } from '../../src/webview/rows';

const HOSTILE = '</script><script>alert(1)</script> <!-- <b> \u2028 "quotes" & ampersands';

function params(patch: Partial<GalleryHtmlParams> = {}): GalleryHtmlParams {
  const boot: GalleryBoot = {
    strings: { ...GALLERY_STRINGS_EN },
    locale: 'en',
    defaults: { aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false },
    totalCredits: 6,
    imageCost: 6,
    entries: [{ id: 'e1', prompt: HOSTILE, aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false, state: 'completed', progress: 100, createdAt: 1 }],
    entryCount: 1,
    thumbnails: [{ entryId: 'e1', webp: 'UklGRg==' }],
    codiconStylesheet: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css',
  };
  return {
    cspSource: 'https://*.vscode-cdn.net',
    nonce: 'bm9uY2Vub25jZQ==',
    styles: 'body { color: red; }',
    script: 'console.log("gallery");\n//# sourceMappingURL=webview.js.map\n',
    sourceMapUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js.map',
    boot,
    title: 'Flux <Gallery>',
    lang: 'en',
    ...patch,
  };
}

describe('gallery page shell', () => {
  it('is self-contained: stylesheet and script inline under the CSP nonce, images also from data: (the first screen) and blob:', () => {
    const html = renderGalleryHtml(params());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1].replace(/&#39;|&quot;/g, "'") ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /img-src https:\/\/\*\.vscode-cdn\.net data: blob:(;|$)/);
    assert.match(csp, /style-src https:\/\/\*\.vscode-cdn\.net 'nonce-bm9uY2Vub25jZQ=='/);
    assert.match(csp, /script-src 'nonce-bm9uY2Vub25jZQ=='(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(csp.replace(/img-src[^;]*/, ''), /data:/, 'data: only for images');
    // Nothing the page needs before it is shown is fetched: no stylesheet link, no script file.
    assert.doesNotMatch(html, /<link|<script[^>]* src=/);
    assert.match(html, /<style nonce="bm9uY2Vub25jZQ==">\s*body \{ color: red; \}\s*<\/style>/);
    assert.match(html, /<script nonce="bm9uY2Vub25jZQ==">\s*console\.log\("gallery"\);/);
    assert.ok(html.includes('//# sourceMappingURL=https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js.map'));
    assert.ok(!html.includes('sourceMappingURL=webview.js.map'), 'the relative source map URL would resolve against the webview host');
    assert.ok(html.includes('<title>Flux &lt;Gallery&gt;</title>'));
    // The body holds only the page itself (screen readers and text checks see no script text).
    assert.match(html, /<body>\s*<div id="app" aria-busy="true"><\/div>\s*<\/body>/);
  });

  it('carries the boot data as JSON that no prompt can break out of', () => {
    const p = params();
    const html = renderGalleryHtml(p);
    const scripts = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)];
    assert.strictEqual(scripts.length, 2, 'the boot data and the script, nothing injected');
    const json = /<script type="application\/json" id="gallery-boot">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.ok(!json.includes('<'), 'every < is escaped');
    assert.deepStrictEqual(JSON.parse(json), p.boot);
  });

  it('refuses a stylesheet or script that would end its element early', () => {
    assert.throws(() => renderGalleryHtml(params({ styles: 'a { } </STYLE><script>x</script>' })), /closing <\/style>/);
    assert.throws(() => renderGalleryHtml(params({ script: 'const s = "</script>";' })), /closing <\/script>/);
  });
});

describe('virtualized grid rows', () => {
  it('adds measured heights, guesses for the rest, and a gap below each row', () => {
    const measured = [100, undefined, 300];
    assert.deepStrictEqual(rowTops(4, (r) => measured[r], 200, 10), [0, 110, 320, 630, 840]);
    assert.deepStrictEqual(rowTops(0, () => 1, 200, 10), [0]);
    assert.deepStrictEqual(rowTops(2, () => 0, 50, 0), [0, 50, 100], 'a row measured at 0 (hidden) counts as the guess');
  });

  it('finds the row a position falls in, clamped to the grid', () => {
    const tops = [0, 110, 320, 630, 840];
    const cases: [number, number][] = [[-500, 0], [0, 0], [109.9, 0], [110, 1], [319, 1], [320, 2], [629, 2], [630, 3], [839, 3], [840, 3], [1e9, 3]];
    for (const [y, row] of cases) assert.strictEqual(rowAt(tops, y), row, `y = ${y}`);
    assert.strictEqual(rowAt([0], 500), 0, 'no rows');
  });
});
