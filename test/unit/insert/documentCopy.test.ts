// The document copy: real WebAssembly codecs on real-size images, the record read back by us and by
// exiftool, the original untouched, and settings from a hand-edited file read safely.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { loadCodecs, type Codecs } from '../../../src/insert/docImage/codecs';
import { WASM_FILES } from '../../../src/insert/docImage/wasmFiles';
import { AGENT_IMAGE, AGENT_IMAGE_MAX_SIDE, DEFAULT_DOCUMENT_COPY, documentCopyPlan, documentCopySettings, makeDocumentCopy } from '../../../src/insert/documentCopy';
import { embedMetadata, readMetadata, type GenerationRecord } from '../../../src/metadata';
import { sniffImage } from '../../../src/shared/imageInfo';
import { exiftool } from '../metadataImages';

const NODE_MODULES = path.resolve(__dirname, '..', '..', '..', '..', 'node_modules');
const RECORD: GenerationRecord = { prompt: 'A red fox in fresh snow, at dawn', model: 'flux-1.1-pro-ultra', seed: 42, aspectRatio: '16:9', raw: false, outputFormat: 'jpg', createdAt: '2026-01-02T03:04:05.000Z' };

describe('document copy', function () {
  this.timeout(60_000);
  let dir: string;
  let codecs: Promise<Codecs>;
  let loads = 0;
  const deps = { appVersion: '9.9.9', codecs: () => (loads++, codecs) };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'doc-copy-'));
    codecs = loadCodecs((file) => path.join(NODE_MODULES, WASM_FILES[file]));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  async function original(format: 'jpg' | 'png', width = 2752, height = 1536, record = true): Promise<string> {
    const raw = Buffer.alloc(width * height * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + (i >> 7) * 31) % 251;
    const image = sharp(raw, { raw: { width, height, channels: 3 } });
    const file = path.join(dir, `original-${format}-${width}-${record}.${format}`);
    await (format === 'jpg' ? image.jpeg({ quality: 90 }) : image.png()).toFile(file);
    if (record) await embedMetadata(file, file, { ...RECORD, outputFormat: format }, '1.0.0');
    return file;
  }

  it('shrinks a 2752×1536 JPEG to 1600 px wide, keeps the format and the record (exiftool reads the prompt), leaves the original as it was', async () => {
    const source = await original('jpg');
    const before = await fs.readFile(source);
    const copy = await makeDocumentCopy(source, DEFAULT_DOCUMENT_COPY, deps);
    assert.deepStrictEqual({ format: copy.format, width: copy.width, height: copy.height }, { format: 'jpg', width: 1600, height: 893 });
    assert.deepStrictEqual(sniffImage(copy.bytes), { format: 'jpg', width: 1600, height: 893 });
    assert.ok(copy.bytes.length < before.length / 2, `copy ${copy.bytes.length} B, original ${before.length} B`);
    assert.ok((await fs.readFile(source)).equals(before), 'the original changed');
    const file = path.join(dir, 'copy.jpg');
    await fs.writeFile(file, copy.bytes);
    assert.deepStrictEqual(await readMetadata(file), { ...RECORD, outputFormat: 'jpg' });
    const [report] = await exiftool([file]);
    assert.strictEqual(report['XMP-dc:Description'], RECORD.prompt);
    assert.strictEqual(report['File:ImageWidth'], 1600);
  });

  it('converts a PNG to WebP and to JPEG at the quality asked for', async () => {
    const source = await original('png', 2048, 1152);
    const webp = await makeDocumentCopy(source, { maxWidth: 1024, format: 'webp', quality: 70 }, deps);
    assert.deepStrictEqual(sniffImage(webp.bytes), { format: 'webp', width: 1024, height: 576 });
    const low = await makeDocumentCopy(source, { maxWidth: 1024, format: 'jpeg', quality: 30 }, deps);
    const high = await makeDocumentCopy(source, { maxWidth: 1024, format: 'jpeg', quality: 95 }, deps);
    assert.strictEqual(sniffImage(low.bytes)?.format, 'jpg');
    assert.ok(low.bytes.length < high.bytes.length, 'quality is not applied');
    const file = path.join(dir, 'copy.webp');
    await fs.writeFile(file, webp.bytes);
    assert.strictEqual((await readMetadata(file))?.prompt, RECORD.prompt);
  });

  it('gives the original bytes back, without loading the codecs, when nothing needs to change', async () => {
    const source = await original('jpg', 800, 600);
    const loadsBefore = loads;
    const copy = await makeDocumentCopy(source, DEFAULT_DOCUMENT_COPY, deps);
    assert.ok(Buffer.from(copy.bytes).equals(await fs.readFile(source)));
    const full = await makeDocumentCopy(await original('jpg'), { ...DEFAULT_DOCUMENT_COPY, maxWidth: 0 }, deps);
    assert.strictEqual(full.width, 2752);
    assert.strictEqual(loads, loadsBefore);
  });

  it('a forced format (a quick fix writes to the path the document links) wins over the setting', async () => {
    const copy = await makeDocumentCopy(await original('jpg', 1000, 500), { maxWidth: 500, format: 'webp', quality: 80 }, deps, 'png');
    assert.deepStrictEqual(sniffImage(copy.bytes), { format: 'png', width: 500, height: 250 });
  });

  it("the agent's picture: a portrait PNG becomes a JPEG 1024 px on its long side, same aspect, well under 5 MB", async () => {
    const copy = await makeDocumentCopy(await original('png', 1536, 2752), AGENT_IMAGE, deps);
    const info = sniffImage(copy.bytes);
    assert.deepStrictEqual([info?.format, info?.width, info?.height], ['jpg', 572, AGENT_IMAGE_MAX_SIDE]);
    assert.ok(copy.bytes.length < 1024 * 1024, `${copy.bytes.length} bytes`);
    assert.deepStrictEqual(documentCopyPlan({ format: 'webp', width: 2752, height: 1536 }, AGENT_IMAGE), { format: 'jpg', width: 1024, height: 572 });
    assert.deepStrictEqual(documentCopyPlan({ format: 'jpg', width: 800, height: 600 }, AGENT_IMAGE), { format: 'jpg', width: 800, height: 600 }, 'small enough: kept');
  });

  it('an image without a record stays without one', async () => {
    const copy = await makeDocumentCopy(await original('png', 1000, 500, false), { maxWidth: 400, format: 'original', quality: 80 }, deps);
    const file = path.join(dir, 'norecord.png');
    await fs.writeFile(file, copy.bytes);
    assert.strictEqual(await readMetadata(file), undefined);
  });

  it('reads hand-edited settings safely', () => {
    assert.deepStrictEqual(documentCopySettings({}), DEFAULT_DOCUMENT_COPY);
    assert.deepStrictEqual(documentCopySettings({ maxWidth: -5, format: 'gif', quality: 'high' }), DEFAULT_DOCUMENT_COPY);
    assert.deepStrictEqual(documentCopySettings({ maxWidth: 1e9, format: 'webp', quality: 0 }), { maxWidth: 16384, format: 'webp', quality: 1 });
    assert.deepStrictEqual(documentCopySettings({ maxWidth: 0, format: 'jpeg', quality: 100.4 }), { maxWidth: 0, format: 'jpeg', quality: 100 });
    assert.deepStrictEqual(documentCopyPlan({ format: 'png', width: 1024, height: 1024 }, { maxWidth: 1600, format: 'jpeg', quality: 82 }), { format: 'jpg', width: 1024, height: 1024 });
  });
});
