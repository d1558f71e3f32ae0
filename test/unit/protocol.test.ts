import * as assert from 'assert';
import {
  BOOT_ENTRIES,
  BOOT_THUMBNAIL_BUDGET,
  COMPARE_MAX,
  DROPPED_URI_MAX_LENGTH,
  DropImageCommand,
  FullImagesRequest,
  GenerateRequest,
  THUMBNAIL_MAX_BYTES,
  ThumbnailRequest,
  ThumbnailsRequest,
  THUMBNAIL_DATA_URL_MAX_LENGTH,
  THUMBNAIL_DATA_URL_PREFIX,
  THUMBNAILS_PER_REQUEST,
  type CommandMethod,
  type GalleryBoot,
  type RequestMethod,
  type WebviewMessage,
} from '../../src/protocol/gallery';
import { PendingRequests } from '../../src/protocol/ipc';
import { GALLERY_STRINGS_EN } from '../../src/protocol/strings';
import {
  isDroppedImageUri,
  isExtensionMessage,
  isWebp,
  parseFullImagesResult,
  parseGalleryBoot,
  parseThumbnailsResult,
  parseWebviewMessage,
} from '../../src/protocol/validate';
import { isHttpUrl } from '../../src/shared/urls';
import { ASPECT_RATIOS, OUTPUT_FORMATS } from '../../src/shared/options';

const goodOptions = {
  prompt: '  A red fox in the snow  ',
  aspectRatio: '16:9',
  outputFormat: 'png',
  outputQuality: 90,
  raw: false,
};

function ok(raw: unknown): WebviewMessage {
  const result = parseWebviewMessage(raw);
  if (!result.ok) assert.fail(`rejected: ${result.reason}`);
  return result.msg;
}

function rejected(raw: unknown): string {
  const result = parseWebviewMessage(raw);
  if (result.ok) assert.fail(`accepted ${JSON.stringify(result.msg).slice(0, 200)}`);
  return result.reason;
}

/** The exact keys (and value types) each method's params may have: the declared shape. A key ending in ? is optional. */
const SHAPES: Record<CommandMethod | RequestMethod, Record<string, 'id' | 'ids' | 'compareIds' | 'string' | 'options' | 'boolean' | 'variants' | 'droppedUri'>> = {
  'gallery/ready': {},
  'gallery/generate': { options: 'options', 'variants?': 'variants', 'originalPrompt?': 'string' },
  'gallery/enhancePrompt': { prompt: 'string' },
  'gallery/importFromAccount': {},
  'gallery/setApiKey': {},
  'entry/insert': { entryId: 'id' },
  'entry/saveAs': { entryId: 'id' },
  'entry/copyLink': { entryId: 'id' },
  'entry/openFullSize': { entryId: 'id' },
  'entry/useAsReference': { entryId: 'id' },
  'entry/rerun': { entryId: 'id' },
  'entry/vary': { entryId: 'id' },
  'entry/delete': { entryId: 'id' },
  'entry/retry': { entryId: 'id' },
  'entry/forget': { entryId: 'id' },
  'entry/thumbnails': { entryIds: 'ids' },
  'entry/thumbnail': { entryId: 'id', dataUrl: 'string' },
  'entry/thumbnailFailed': { entryId: 'id', reason: 'string' },
  'entry/star': { entryId: 'id', starred: 'boolean' },
  'entry/keep': { entryId: 'id' },
  'entry/fullImages': { entryIds: 'compareIds' },
  'gallery/dropImage': { uri: 'droppedUri' },
};

/** Dropped URIs the extension may receive, and ones it must never see. */
const GOOD_DROPPED_URIS = [
  'file:///home/ada/images/a-red-fox.png',
  'file:///C:/Users/ada/Pictures/fox%20in%20snow.JPG',
  'vscode-remote://ssh-remote%2Bbox/home/ada/fox.webp',
  'vscode-remote://127.0.0.1:8080/work/ws/images/fox.jpeg',
];
const BAD_DROPPED_URIS = [
  'https://example.com/fox.png',
  'file://host/share/x.png',
  'FILE://127.0.0.1/home/ada/fox.png',
  'vscode-resource://x/fox.png',
  'javascript:alert(1)//.png',
  'file:///home/ada/notes.md',
  'file:///home/ada/fox.png.exe',
  'file:///home/ada/fox.svg',
  'file:///home/ada/fox.png?x=1',
  'file:///home/ada/fox.png#frag',
  'file:///home/ada/fox%00.png',
  'file:///home/ada/fox .png',
  'file:///home/ada/\u0000fox.png',
  'file:///home/ada/fox\n.png',
  'file://host',
  'file:fox.png',
  'FILE:/fox.png',
  `file:///${'a'.repeat(DROPPED_URI_MAX_LENGTH)}.png`,
  '',
];

function assertDeclaredShape(msg: WebviewMessage): void {
  assert.deepStrictEqual(Object.keys(msg).sort(), ['id', 'method', 'params']);
  assert.ok(typeof msg.id === 'string' && msg.id.length >= 1 && msg.id.length <= 64);
  const shape = SHAPES[msg.method];
  assert.ok(shape, msg.method);
  const params = msg.params as Record<string, unknown>;
  const keys = Object.keys(shape).filter((key) => !key.endsWith('?') || key.slice(0, -1) in params);
  assert.deepStrictEqual(Object.keys(params).sort(), keys.map((key) => key.replace(/\?$/, '')).sort());
  for (const [declared, kind] of Object.entries(shape)) {
    const key = declared.replace(/\?$/, '');
    if (!(key in params)) continue;
    const value = params[key];
    if (kind === 'boolean') assert.strictEqual(typeof value, 'boolean');
    if (kind === 'variants') assert.ok(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 4, String(value));
    if (kind === 'id') assert.match(value as string, /^[\x21-\x7e]{1,64}$/);
    if (kind === 'ids' || kind === 'compareIds') {
      const max = kind === 'ids' ? THUMBNAILS_PER_REQUEST : COMPARE_MAX;
      assert.ok(Array.isArray(value) && value.length >= 1 && value.length <= max, `${value}`);
      for (const id of value as unknown[]) assert.match(id as string, /^[\x21-\x7e]{1,64}$/);
    }
    if (kind === 'droppedUri') {
      assert.match(value as string, /^(file|vscode-remote):\/\/[\x21-\x7e]*\.(png|jpe?g|webp)$/i);
      assert.ok(!/[?#]|%00/i.test(value as string), String(value));
    }
    if (kind === 'string') assert.strictEqual(typeof value, 'string');
    if (kind === 'options') {
      const o = value as Record<string, unknown>;
      assert.strictEqual(typeof o.prompt, 'string');
      const prompt = o.prompt as string;
      assert.ok(prompt.length >= 1 && prompt.length <= 2000 && prompt === prompt.trim());
      assert.ok((ASPECT_RATIOS as readonly unknown[]).includes(o.aspectRatio));
      assert.ok((OUTPUT_FORMATS as readonly unknown[]).includes(o.outputFormat));
      assert.ok(Number.isInteger(o.outputQuality) && (o.outputQuality as number) >= 0 && (o.outputQuality as number) <= 100);
      assert.strictEqual(typeof o.raw, 'boolean');
      for (const k of Object.keys(o)) {
        assert.ok(['prompt', 'aspectRatio', 'outputFormat', 'outputQuality', 'raw', 'seed', 'imagePrompt', 'imagePromptStrength'].includes(k), k);
      }
      if ('seed' in o) assert.ok(Number.isSafeInteger(o.seed));
      if ('imagePrompt' in o) assert.match(o.imagePrompt as string, /^https?:\/\//i);
      if ('imagePromptStrength' in o) {
        const s = o.imagePromptStrength as number;
        assert.ok(Number.isFinite(s) && s >= 0 && s <= 1);
      }
    }
  }
}

describe('protocol', () => {
  it('accepts each well-formed command and returns exactly the declared shape', () => {
    const messages: unknown[] = [
      { id: '1', method: 'gallery/ready', params: {} },
      { id: '2', method: 'gallery/generate', params: { options: goodOptions } },
      {
        id: '3',
        method: 'gallery/generate',
        params: { options: { ...goodOptions, seed: -5, imagePrompt: 'https://example.com/a.png?x=1', imagePromptStrength: 0.35 } },
      },
      { id: '4', method: 'gallery/importFromAccount', params: {} },
      ...['insert', 'saveAs', 'copyLink', 'openFullSize', 'useAsReference', 'rerun', 'vary', 'delete', 'retry', 'forget'].map((m, i) => ({
        id: `e${i}`,
        method: `entry/${m}`,
        params: { entryId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' },
      })),
      { id: 'ts', method: 'entry/thumbnails', params: { entryIds: ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'b'] } },
      { id: 't', method: 'entry/thumbnail', params: { entryId: 'x', dataUrl: `${THUMBNAIL_DATA_URL_PREFIX}${'QUJD'.repeat(10)}` } },
      { id: 'f', method: 'entry/thumbnailFailed', params: { entryId: 'x', reason: 'SecurityError: tainted canvas' } },
    ];
    for (const raw of messages) assertDeclaredShape(ok(raw));
    const generated = ok(messages[1]);
    assert.ok(generated.method === GenerateRequest.method);
    assert.strictEqual(generated.params.options.prompt, 'A red fox in the snow');
  });

  it('star, keep and a variant count: exactly their declared values', () => {
    assertDeclaredShape(ok({ id: 's', method: 'entry/star', params: { entryId: 'x', starred: true } }));
    assertDeclaredShape(ok({ id: 'u', method: 'entry/star', params: { entryId: 'x', starred: false } }));
    assertDeclaredShape(ok({ id: 'k', method: 'entry/keep', params: { entryId: 'x' } }));
    const four = ok({ id: 'g', method: 'gallery/generate', params: { options: goodOptions, variants: 4 } });
    assertDeclaredShape(four);
    assert.ok(four.method === GenerateRequest.method && four.params.variants === 4);
    for (const starred of ['true', 1, null, undefined, {}]) rejected({ id: 's', method: 'entry/star', params: { entryId: 'x', starred } });
    rejected({ id: 's', method: 'entry/star', params: { starred: true } });
    rejected({ id: 'k', method: 'entry/keep', params: { entryId: 'x', others: ['y'] } });
    for (const variants of [0, 5, 2.5, -1, '2', null, NaN, true]) {
      rejected({ id: 'g', method: 'gallery/generate', params: { options: goodOptions, variants } });
    }
  });

  it('full images for Compare: 1–4 ids asked; only those answered, each an http(s) URI', () => {
    const make = (entryIds: unknown) => ({ id: 'f', method: FullImagesRequest.method, params: { entryIds } });
    assertDeclaredShape(ok(make(['a', 'b'])));
    assertDeclaredShape(ok(make(['a'])));
    assertDeclaredShape(ok(make(['a', 'b', 'c', 'd'])));
    for (const bad of [[], ['a', 'b', 'c', 'd', 'e'], 'a', ['a', 'b c'], [5], [, 'a']]) rejected(make(bad));
    const uri = 'https://file+.vscode-resource.vscode-cdn.net/g/images/a.jpg';
    assert.deepStrictEqual(parseFullImagesResult({ images: [{ entryId: 'a', uri }] }, ['a', 'b']), [{ entryId: 'a', uri }]);
    assert.deepStrictEqual(parseFullImagesResult({ images: [] }, ['a']), []);
    for (const bad of [
      { images: [{ entryId: 'c', uri }] },
      { images: [{ entryId: 'a', uri: 'javascript:alert(1)' }] },
      { images: [{ entryId: 'a', uri: 'data:image/png;base64,AAAA' }] },
      { images: [{ entryId: 'a', uri: `${uri} onerror=x` }] },
      { images: [{ entryId: 'a', uri }, { entryId: 'a', uri }, { entryId: 'a', uri }] },
      { images: 'a' },
      null,
    ]) {
      assert.strictEqual(parseFullImagesResult(bad, ['a', 'b']), undefined, JSON.stringify(bad));
    }
  });

  it('a dropped image: only the file: or vscode-remote: URI of a PNG, JPEG or WebP file, nothing else', () => {
    for (const uri of GOOD_DROPPED_URIS) {
      assert.ok(isDroppedImageUri(uri), uri);
      const msg = ok({ id: 'd', method: DropImageCommand.method, params: { uri } });
      assertDeclaredShape(msg);
      assert.ok(msg.method === DropImageCommand.method && msg.params.uri === uri);
    }
    for (const uri of [...BAD_DROPPED_URIS, 5, null, ['file:///a.png'], { toString: () => 'file:///a.png' }]) {
      assert.ok(!isDroppedImageUri(uri), String(uri));
      rejected({ id: 'd', method: DropImageCommand.method, params: { uri } });
    }
    rejected({ id: 'd', method: DropImageCommand.method, params: { uri: GOOD_DROPPED_URIS[0], path: '/etc/passwd' } });
    rejected({ id: 'd', method: DropImageCommand.method, params: {} });
  });

  it('pending requests: unique ids, each response settles exactly its own request', async () => {
    const pending = new PendingRequests('w');
    const first = pending.open<{ entryId: string }>();
    const second = pending.open<{ stored: boolean }>();
    assert.notStrictEqual(first.id, second.id);
    assert.strictEqual(pending.settle({ requestId: 'unknown', ok: true, result: {} }), false);
    assert.strictEqual(pending.settle({ requestId: second.id, ok: false, error: 'refused' }), true);
    assert.strictEqual(pending.settle({ requestId: first.id, ok: true, result: { entryId: 'e1' } }), true);
    assert.deepStrictEqual(await first.response, { entryId: 'e1' });
    await assert.rejects(second.response, /refused/);
    assert.strictEqual(pending.settle({ requestId: first.id, ok: true, result: {} }), false, 'a response settles once');
    assert.strictEqual(pending.size, 0);
  });

  it('rejects wrong envelopes', () => {
    for (const raw of [
      null,
      undefined,
      42,
      'gallery/ready',
      [],
      [{ id: '1', method: 'gallery/ready', params: {} }],
      { method: 'gallery/ready', params: {} },
      { id: '', method: 'gallery/ready', params: {} },
      { id: 'x'.repeat(65), method: 'gallery/ready', params: {} },
      { id: 'has space', method: 'gallery/ready', params: {} },
      { id: 1, method: 'gallery/ready', params: {} },
      { id: '1', method: 'gallery/unknown', params: {} },
      { id: '1', method: 'toString', params: {} },
      { id: '1', method: '__proto__', params: {} },
      { id: '1', method: 'constructor', params: {} },
      { id: '1', method: 'gallery/ready' },
      { id: '1', method: 'gallery/ready', params: null },
      { id: '1', method: 'gallery/ready', params: [] },
      { id: '1', method: 'gallery/ready', params: { extra: 1 } },
      { id: '1', method: 'gallery/ready', params: {}, extra: true },
      Object.assign(Object.create({ inherited: 1 }), { id: '1', method: 'gallery/ready', params: {} }),
      new Date(),
    ]) {
      rejected(raw);
    }
  });

  it('rejects ids that are not ids', () => {
    for (const entryId of ['', 'a'.repeat(65), 'a b', '\u0000', 'ü', 5, null, {}, ['x']]) {
      rejected({ id: '1', method: 'entry/insert', params: { entryId } });
    }
  });

  it('checks generation options with the API rules', () => {
    const bad: Record<string, unknown>[] = [
      { prompt: '' },
      { prompt: '   \n\t ' },
      { prompt: 'x'.repeat(2001) },
      { prompt: 5 },
      { prompt: ' '.repeat(100_000) + 'x' },
      { aspectRatio: '2:1' },
      { aspectRatio: '16:9 ' },
      { outputFormat: 'gif' },
      { outputFormat: 'PNG' },
      { outputQuality: 101 },
      { outputQuality: -1 },
      { outputQuality: 50.5 },
      { outputQuality: NaN },
      { outputQuality: '90' },
      { raw: 'false' },
      { raw: 0 },
      { seed: 1.5 },
      { seed: Infinity },
      { seed: 2 ** 60 },
      { seed: '42' },
      { seed: null },
      { imagePrompt: 'ftp://example.com/a.png' },
      { imagePrompt: 'javascript:alert(1)' },
      { imagePrompt: 'file:///etc/passwd' },
      { imagePrompt: 'https://' },
      { imagePrompt: 'https://exa mple.com/a.png' },
      { imagePrompt: 'https://example.com/a b.png' },
      { imagePrompt: 'data:image/png;base64,AAAA' },
      { imagePrompt: `https://example.com/${'a'.repeat(2100)}` },
      { imagePrompt: '' },
      { imagePromptStrength: 1.01 },
      { imagePromptStrength: -0.1 },
      { imagePromptStrength: NaN },
      { imagePromptStrength: '0.5' },
      { webhookUrl: 'https://evil.example/hook' },
      { unknown: 1 },
    ];
    for (const patch of bad) {
      rejected({ id: '1', method: 'gallery/generate', params: { options: { ...goodOptions, ...patch } } });
    }
    for (const field of ['prompt', 'aspectRatio', 'outputFormat', 'outputQuality', 'raw']) {
      const options: Record<string, unknown> = { ...goodOptions };
      delete options[field];
      rejected({ id: '1', method: 'gallery/generate', params: { options } });
    }
    const exact = ok({ id: '1', method: 'gallery/generate', params: { options: { ...goodOptions, prompt: 'x'.repeat(2000) } } });
    assertDeclaredShape(exact);
    const withUndefined = ok({ id: '1', method: 'gallery/generate', params: { options: { ...goodOptions, seed: undefined } } });
    assert.ok(withUndefined.method === GenerateRequest.method && !('seed' in withUndefined.params.options));
  });

  it('accepts http(s) URLs only', () => {
    for (const url of ['http://a.b/c.png', 'https://example.com', 'https://x.example.com:8443/p?q=1#f', 'https://[::1]/a', 'HTTPS://EXAMPLE.COM/ä.png']) {
      assert.ok(isHttpUrl(url), url);
    }
    for (const url of ['', 'example.com', '//example.com', 'https://', 'https:///path', 'https://a.com/x\ny', 'https://a.com/\u0000x', 'http:example.com', 'https://user:pw@host.example/x.png']) {
      assert.ok(!isHttpUrl(url), url);
    }
  });

  it('bounds thumbnails', () => {
    const make = (dataUrl: unknown) => ({ id: '1', method: ThumbnailRequest.method, params: { entryId: 'a', dataUrl } });
    rejected(make('data:image/png;base64,QUJDRA=='));
    rejected(make('data:image/svg+xml;base64,QUJDRA=='));
    rejected(make(`${THUMBNAIL_DATA_URL_PREFIX}not base64!`));
    rejected(make(`${THUMBNAIL_DATA_URL_PREFIX}QUJ`));
    rejected(make(THUMBNAIL_DATA_URL_PREFIX + 'A'.repeat(THUMBNAIL_DATA_URL_MAX_LENGTH)));
    rejected({ id: '1', method: 'entry/thumbnailFailed', params: { entryId: 'a', reason: 'x'.repeat(501) } });
    assertDeclaredShape(ok(make(THUMBNAIL_DATA_URL_PREFIX + 'A'.repeat(THUMBNAIL_DATA_URL_MAX_LENGTH - THUMBNAIL_DATA_URL_PREFIX.length))));
  });

  it('bounds requests for stored thumbnails: 1–48 ids, nothing else', () => {
    const make = (entryIds: unknown, extra: Record<string, unknown> = {}) => ({ id: '1', method: ThumbnailsRequest.method, params: { entryIds, ...extra } });
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);
    const asked = ok(make(ids(THUMBNAILS_PER_REQUEST)));
    assertDeclaredShape(asked);
    assert.ok(asked.method === ThumbnailsRequest.method && asked.params.entryIds.length === THUMBNAILS_PER_REQUEST);
    for (const bad of [[], ids(THUMBNAILS_PER_REQUEST + 1), 'id-1', { 0: 'a', length: 1 }, ['a', ''], ['a', 'b c'], ['a', 5], ['a', null], [['a']], new Array(3), [, 'a']]) {
      rejected(make(bad));
    }
    rejected(make(['a'], { extra: 1 }));
    // The parsed ids are a fresh array: later changes to what the webview sent do not reach the extension.
    const sent = ['a', 'b'];
    const parsed = ok(make(sent));
    sent[0] = '../../etc/passwd';
    assert.ok(parsed.method === ThumbnailsRequest.method && parsed.params.entryIds[0] === 'a');
  });

  it('takes from an answer with stored thumbnails only the WebP ones asked for, each within the size cap', () => {
    const webp = (size = 32) => {
      const bytes = new Uint8Array(size);
      bytes.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
      bytes.set([...'WEBP'].map((c) => c.charCodeAt(0)), 8);
      return bytes;
    };
    assert.ok(isWebp(webp()));
    assert.ok(!isWebp(webp(12)), 'too short for a WebP file');
    assert.ok(!isWebp(new Uint8Array(32)));
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(24).fill(0)]);
    const asked = ['a', 'b'];
    const good = parseThumbnailsResult({ thumbnails: [{ entryId: 'a', bytes: webp() }] }, asked);
    assert.deepStrictEqual(good?.map((t) => t.entryId), ['a']);
    assert.deepStrictEqual(parseThumbnailsResult({ thumbnails: [] }, asked), []);
    for (const bad of [
      null,
      [],
      { thumbnails: {} },
      { thumbnails: [{ entryId: 'c', bytes: webp() }] },
      { thumbnails: [{ entryId: 'a', bytes: png }] },
      { thumbnails: [{ entryId: 'a', bytes: Array.from(webp()) }] },
      { thumbnails: [{ entryId: 'a', bytes: webp(THUMBNAIL_MAX_BYTES + 1) }] },
      { thumbnails: Array.from({ length: THUMBNAILS_PER_REQUEST + 1 }, () => ({ entryId: 'a', bytes: webp() })) },
      { thumbnails: [{ entryId: 'a' }] },
    ]) {
      assert.strictEqual(parseThumbnailsResult(bad, asked), undefined, JSON.stringify(bad)?.slice(0, 80));
    }
  });

  it('reads the page shell\'s boot data only within its bounds, strings falling back to English', () => {
    const entry = { id: 'e1', prompt: 'p', aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false, state: 'completed', progress: 100, createdAt: 1 };
    const base64 = (n: number) => 'A'.repeat(Math.ceil(n / 3) * 4);
    const boot = (patch: Record<string, unknown> = {}) => ({
      strings: { title: 'Flux 갤러리', search: 5 },
      locale: 'ko',
      defaults: { aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false },
      totalCredits: 6,
      imageCost: 7,
      entries: [entry],
      entryCount: 1000,
      thumbnails: [{ entryId: 'e1', webp: 'UklGRg==' }],
      codiconStylesheet: 'https://file+.vscode-resource.vscode-cdn.net/x/codicon.css',
      ...patch,
    });
    const parsed = parseGalleryBoot(boot()) as GalleryBoot;
    assert.ok(parsed);
    assert.strictEqual(parsed.strings.title, 'Flux 갤러리');
    assert.strictEqual(parsed.strings.search, GALLERY_STRINGS_EN.search, 'a string that is not one falls back to English');
    assert.strictEqual(parsed.entryCount, 1000);
    assert.strictEqual(parsed.imageCost, 7);
    for (const imageCost of [undefined, 0, -6, NaN, '7', Infinity]) {
      assert.strictEqual(parseGalleryBoot(boot({ imageCost }))?.imageCost, 6, `${String(imageCost)}: the default price`);
    }
    assert.strictEqual(parseGalleryBoot(boot({ entries: [], thumbnails: [], entryCount: null }))?.entryCount, null, 'a shell set while the store loads');
    assert.strictEqual(parseGalleryBoot(boot({ entryCount: null }))?.entries.length, 1, 'while the store loads, with the first-screen file\'s entries');
    const many = Array.from({ length: BOOT_ENTRIES }, (_, i) => ({ ...entry, id: `e${i}` }));
    // The whole budget, in thumbnails of the largest size.
    const perThumbnail = Math.floor(THUMBNAIL_MAX_BYTES / 3) * 3;
    const fitting = Math.floor(BOOT_THUMBNAIL_BUDGET / perThumbnail);
    assert.ok(parseGalleryBoot(boot({ entries: many, entryCount: BOOT_ENTRIES, thumbnails: many.slice(0, fitting).map((e) => ({ entryId: e.id, webp: base64(perThumbnail) })) })));
    for (const patch of [
      { strings: null },
      { locale: 5 },
      { defaults: [] },
      { totalCredits: NaN },
      { entries: {} },
      { entries: [...many, { ...entry, id: 'one-too-many' }] },
      { entries: [{ ...entry, id: '' }] },
      { entryCount: 0 },
      { entryCount: 1.5 },
      { entryCount: '1' },
      { thumbnails: [{ entryId: 'e1', webp: 'not base64!' }] },
      { thumbnails: [{ entryId: 'e1', webp: 'UklGR' }] },
      { thumbnails: [{ entryId: 'e1', webp: base64(THUMBNAIL_MAX_BYTES + 3) }] },
      { thumbnails: many.slice(0, fitting + 1).map((e) => ({ entryId: e.id, webp: base64(perThumbnail) })), entries: many, entryCount: BOOT_ENTRIES },
      { thumbnails: [{ entryId: 'e1', webp: 'UklGRg==', extra: 1 }] },
      { thumbnails: [{ entryId: 'e 1', webp: 'UklGRg==' }] },
      { codiconStylesheet: undefined },
    ]) {
      assert.strictEqual(parseGalleryBoot(boot(patch)), undefined, JSON.stringify(patch).slice(0, 80));
    }
    for (const raw of [null, [], 'boot', 5]) assert.strictEqual(parseGalleryBoot(raw), undefined);
  });

  it('survives hostile objects (throwing getters, proxies)', () => {
    const throwing = { id: '1', method: 'entry/insert', params: {} as Record<string, unknown> };
    Object.defineProperty(throwing.params, 'entryId', { enumerable: true, get: () => { throw new Error('boom'); } });
    rejected(throwing);
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    rejected(proxy);
  });

  it('fuzz: 2,000 random or malformed messages are rejected or parsed into exactly the declared shape', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
    const methods = [...Object.keys(SHAPES), 'gallery/nope', '', 'ENTRY/INSERT', 'hasOwnProperty'];
    const scalars = (): unknown =>
      pick([
        () => undefined,
        () => null,
        () => true,
        () => Math.floor(rand() * 200) - 50,
        () => rand(),
        () => NaN,
        () => Infinity,
        () => 2 ** 53 + 2,
        () => '',
        () => 'x'.repeat(Math.floor(rand() * 3000)),
        () => pick(['16:9', '1:1', '2:1', 'jpg', 'png', 'gif', 'https://example.com/a.png', 'ftp://x', '../', 'CON', '<b>', 'a'.repeat(64), 'a'.repeat(65)]),
        () => `${THUMBNAIL_DATA_URL_PREFIX}${'QUJD'.repeat(Math.floor(rand() * 10))}`,
        () => [],
        () => ({}),
      ])();
    const randomOptions = (): unknown => {
      const o: Record<string, unknown> = { ...goodOptions };
      const fields = ['prompt', 'aspectRatio', 'outputFormat', 'outputQuality', 'raw', 'seed', 'imagePrompt', 'imagePromptStrength', 'webhookUrl', 'x'];
      const changes = Math.floor(rand() * 3);
      for (let i = 0; i < changes; i++) {
        const f = pick(fields);
        if (rand() < 0.2) delete o[f];
        else o[f] = scalars();
      }
      return rand() < 0.05 ? scalars() : o;
    };
    const randomParams = (method: string): unknown => {
      if (rand() < 0.1) return scalars();
      const shape = SHAPES[method as CommandMethod | RequestMethod] ?? { entryId: 'id' };
      const p: Record<string, unknown> = {};
      for (const [declared, kind] of Object.entries(shape)) {
        const key = declared.replace(/\?$/, '');
        if (rand() < (declared.endsWith('?') ? 0.5 : 0.1)) continue;
        if (kind === 'ids' || kind === 'compareIds') {
          const length = Math.floor(rand() * (kind === 'ids' ? 52 : 4));
          p[key] = rand() < 0.7 ? Array.from({ length }, () => (rand() < 0.97 ? `id-${Math.floor(rand() * 99)}` : scalars())) : scalars();
          continue;
        }
        if (kind === 'droppedUri') {
          p[key] = rand() < 0.4 ? pick(GOOD_DROPPED_URIS) : rand() < 0.8 ? pick(BAD_DROPPED_URIS) : scalars();
          continue;
        }
        const good = { id: 'abc-123', string: 'QUJD', boolean: rand() < 0.5, variants: 1 + Math.floor(rand() * 4), options: undefined }[kind];
        p[key] = kind === 'options' ? randomOptions() : rand() < 0.7 ? good : scalars();
        if (key === 'dataUrl' && rand() < 0.7) p[key] = `${THUMBNAIL_DATA_URL_PREFIX}${'QUJD'.repeat(8)}`;
      }
      if (rand() < 0.1) p[pick(['extra', '__proto__', 'constructor'])] = scalars();
      return p;
    };
    let accepted = 0;
    let refused = 0;
    const acceptedMethods = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const method = pick(methods);
      const msg: Record<string, unknown> = { id: rand() < 0.9 ? `m${i}` : scalars(), method, params: randomParams(method) };
      if (rand() < 0.05) delete msg[pick(['id', 'method', 'params'])];
      if (rand() < 0.05) msg.extra = scalars();
      const raw = rand() < 0.03 ? scalars() : msg;
      const result = parseWebviewMessage(raw);
      if (result.ok) {
        assertDeclaredShape(result.msg);
        // Round-trips: what the parser returns it accepts again, unchanged.
        assert.deepStrictEqual(parseWebviewMessage(result.msg), result);
        accepted++;
        acceptedMethods.add(result.msg.method);
      } else {
        assert.strictEqual(typeof result.reason, 'string');
        assert.ok(result.reason.length < 400);
        refused++;
      }
    }
    assert.ok(accepted > 200 && refused > 200, `accepted ${accepted}, refused ${refused}`);
    assert.deepStrictEqual([...acceptedMethods].sort(), Object.keys(SHAPES).sort(), 'every method was accepted at least once');
  });

  it('recognises extension notifications', () => {
    assert.ok(isExtensionMessage({ method: 'gallery/response', params: { requestId: '1', ok: true, result: {} } }));
    assert.ok(!isExtensionMessage({ method: 'gallery/other', params: {} }));
    assert.ok(!isExtensionMessage({ method: 'gallery/init' }));
    assert.ok(!isExtensionMessage(null));
  });
});
