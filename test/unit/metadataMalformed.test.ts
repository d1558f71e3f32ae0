// Hostile and broken inputs for the metadata writer and reader: every one ends in a typed error (writer) or
// undefined (reader), quickly, with the target left as it was and no temporary file behind. Plus the memory
// bound on a large file and the reader's tolerance for packets other tools have rewritten.
import * as assert from 'assert';
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { crc32 } from 'zlib';
import { GenerationRecord, MAX_IMAGE_BYTES, MetadataError, MetadataErrorKind, embedMetadata, optionsFromRecord, readMetadata, recordFromEntry } from '../../src/metadata';
import { FLUX_STUDIO_NS, buildXmpPacket, parseXmpPacket } from '../../src/metadata/xmp';
import type { GalleryEntry } from '../../src/shared/entry';
import { MODEL_ID } from '../../src/shared/options';
import { largePng, makeImages } from './metadataImages';

const RECORD: GenerationRecord = { prompt: 'a red fox', model: MODEL_ID, seed: 7, aspectRatio: '1:1', raw: false, outputFormat: 'jpg', outputQuality: 90, createdAt: '2026-11-25T10:20:30.000Z' };
const TARGET_BEFORE = Buffer.from('the target as it was');

function pngChunk(type: string, data: Buffer, declaredLength = data.length): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(declaredLength);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** `png` with `chunks` inserted right after IHDR (which ends at byte 33). */
function afterIhdr(png: Buffer, ...chunks: Buffer[]): Buffer {
  return Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]);
}

/** `png` with its single IDAT chunk split in two (still a valid PNG), cut in the middle of the second one. */
function cutInSecondIdat(png: Buffer): Buffer {
  const idat = png.indexOf('IDAT', 0, 'latin1') - 4;
  const data = png.subarray(idat + 8, idat + 8 + png.readUInt32BE(idat));
  const half = data.length >> 1;
  const split = Buffer.concat([png.subarray(0, idat), pngChunk('IDAT', data.subarray(0, half)), pngChunk('IDAT', data.subarray(half)), png.subarray(-12)]);
  return split.subarray(0, split.length - 20);
}

function withUInt32LE(bytes: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(value, offset);
  return copy;
}

describe('metadata: broken and hostile files', function () {
  this.timeout(30_000);
  let dir: string;
  const valid: Record<'png' | 'jpg' | 'lossy' | 'lossless', Buffer> = {} as never;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-metadata-bad-'));
    const images = await makeImages(dir);
    const read = (name: string) => fs.readFile(images.find((image) => image.name === name)!.file);
    [valid.png, valid.jpg, valid.lossy, valid.lossless] = await Promise.all(['plain.png', 'plain.jpg', 'lossy.webp', 'lossless.webp'].map(read));
  });

  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const cases: Array<[string, () => Buffer, MetadataErrorKind]> = [
    ['text, not an image', () => Buffer.from('<html>502 Bad Gateway</html>'), 'notAnImage'],
    ['an empty file', () => Buffer.alloc(0), 'notAnImage'],
    ['PNG cut in half', () => valid.png.subarray(0, valid.png.length >> 1), 'truncated'],
    ['PNG cut inside its second IDAT chunk', () => cutInSecondIdat(valid.png), 'truncated'],
    ['PNG header only', () => valid.png.subarray(0, 40), 'truncated'],
    ['PNG chunk declaring 4 GB', () => afterIhdr(valid.png, pngChunk('tEXt', Buffer.from('a\0b'), 0xfffffff0)), 'truncated'],
    ['PNG chunk length off by one', () => afterIhdr(valid.png, pngChunk('tEXt', Buffer.from('a\0b'), 4)), 'malformed'],
    ['PNG without IHDR', () => Buffer.concat([valid.png.subarray(0, 8), valid.png.subarray(33)]), 'malformed'],
    ['PNG with IEND before the image data', () => afterIhdr(valid.png, pngChunk('IEND', Buffer.alloc(0))), 'malformed'],
    ['PNG with 5,000 empty chunks before the image data', () => afterIhdr(valid.png, ...Array(5000).fill(pngChunk('abCd', Buffer.alloc(0)))), 'malformed'],
    ['JPEG cut in half', () => valid.jpg.subarray(0, valid.jpg.length >> 1), 'truncated'],
    ['JPEG segment running past the end', () => Buffer.concat([valid.jpg.subarray(0, 2), Buffer.from('ffe1fff0', 'hex'), valid.jpg.subarray(-100)]), 'truncated'],
    ['JPEG segment length 1', () => Buffer.concat([valid.jpg.subarray(0, 2), Buffer.from('ffe10001', 'hex'), valid.jpg.subarray(2)]), 'malformed'],
    ['JPEG garbage between segments', () => Buffer.concat([valid.jpg.subarray(0, 4 + valid.jpg.readUInt16BE(4)), Buffer.from('00112233', 'hex'), valid.jpg.subarray(4 + valid.jpg.readUInt16BE(4))]), 'malformed'],
    ['JPEG without image data', () => Buffer.from('ffd8ffe000104a46494600010101004800480000ffd9', 'hex'), 'malformed'],
    ['WebP cut in half', () => valid.lossy.subarray(0, valid.lossy.length >> 1), 'truncated'],
    ['WebP with data after the RIFF container', () => Buffer.concat([valid.lossy, Buffer.from('trailing')]), 'malformed'],
    ['WebP chunk declaring 4 GB', () => withUInt32LE(valid.lossy, 16, 0xfffffff0), 'truncated'],
    ['WebP lossless chunk without its signature', () => Buffer.concat([valid.lossless.subarray(0, 20), Buffer.from([0]), valid.lossless.subarray(21)]), 'malformed'],
    ['WebP whose first chunk is not an image', () => Buffer.concat([valid.lossy.subarray(0, 12), Buffer.from('JUNK', 'latin1'), valid.lossy.subarray(16)]), 'malformed'],
    ['WebP chunk with a binary name', () => Buffer.concat([valid.lossy.subarray(0, 12), Buffer.from([0, 1, 2, 3]), valid.lossy.subarray(16)]), 'malformed'],
  ];

  for (const [title, make, kind] of cases) {
    it(`${title}: ${kind}, target untouched, nothing left behind, nothing read`, async () => {
      const source = path.join(dir, 'source.bin');
      const target = path.join(dir, 'target.bin');
      await fs.writeFile(source, make());
      await fs.writeFile(target, TARGET_BEFORE);
      const before = await fs.readdir(dir);
      await assert.rejects(embedMetadata(source, target, RECORD, '1.0.0'), (error: unknown) => {
        assert.ok(error instanceof MetadataError, String(error));
        assert.strictEqual(error.kind, kind, error.message);
        assert.doesNotMatch(error.message, /at \w+ \(|\n/);
        return true;
      });
      assert.deepStrictEqual(await fs.readFile(target), TARGET_BEFORE);
      assert.deepStrictEqual(await fs.readdir(dir), before);
      assert.strictEqual(await readMetadata(source), undefined);
    });
  }

  it(`a file over ${MAX_IMAGE_BYTES / 1024 / 1024} MB is refused before anything is read`, async () => {
    const source = path.join(dir, 'huge.png');
    await fs.writeFile(source, valid.png.subarray(0, 64));
    await fs.truncate(source, MAX_IMAGE_BYTES + 1); // sparse: costs no disk
    await assert.rejects(embedMetadata(source, path.join(dir, 'huge-out.png'), RECORD, '1.0.0'), { name: 'MetadataError', kind: 'tooLarge' });
    assert.strictEqual(await readMetadata(source), undefined);
  });

  it('a prompt too long for a JPEG metadata segment is refused; PNG and WebP take it', async () => {
    const record = { ...RECORD, prompt: '&'.repeat(14_000) };
    await fs.writeFile(path.join(dir, 'long.jpg'), valid.jpg);
    await assert.rejects(embedMetadata(path.join(dir, 'long.jpg'), path.join(dir, 'long-out.jpg'), record, '1.0.0'), { kind: 'tooLarge' });
    for (const [name, bytes] of [['long.png', valid.png], ['long.webp', valid.lossy]] as const) {
      await fs.writeFile(path.join(dir, name), bytes);
      await embedMetadata(path.join(dir, name), path.join(dir, name), record, '1.0.0');
      assert.strictEqual((await readMetadata(path.join(dir, name)))?.prompt, record.prompt);
    }
  });

  it('file system errors come as they are: a missing source; a target that cannot be replaced leaves no temporary file', async () => {
    await assert.rejects(embedMetadata(path.join(dir, 'nope.png'), path.join(dir, 'out.png'), RECORD, '1.0.0'), { code: 'ENOENT' });
    await assert.rejects(readMetadata(path.join(dir, 'nope.png')), { code: 'ENOENT' });
    const folder = path.join(dir, 'occupied');
    await fs.mkdir(path.join(folder, 'target.png'), { recursive: true });
    await fs.writeFile(path.join(folder, 'target.png', 'inside'), 'x');
    await fs.writeFile(path.join(folder, 'source.png'), valid.png);
    await assert.rejects(embedMetadata(path.join(folder, 'source.png'), path.join(folder, 'target.png'), RECORD, '1.0.0'), { code: /EISDIR|ENOTEMPTY|EEXIST|EPERM/ });
    assert.deepStrictEqual((await fs.readdir(folder)).sort(), ['source.png', 'target.png']);
  });

  it('a 10 MB PNG is rewritten with bounded memory: the head, then the rest streamed', async () => {
    const source = path.join(dir, 'large.png');
    await largePng(source, 10);
    const size = (await fs.stat(source)).size;
    assert.ok(size > 9 * 1024 * 1024, `the test image is only ${size} bytes`);
    // In a fresh process, so garbage left by other tests cannot hide (or fake) the growth.
    const measure = `
      const { embedMetadata } = require(${JSON.stringify(path.join(__dirname, '../../src/metadata'))});
      global.gc();
      const baseline = process.memoryUsage().arrayBuffers;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1);
      embedMetadata(process.argv[1], process.argv[1], JSON.parse(process.argv[2]), '1.0.0').then(() => {
        clearInterval(sampler);
        console.log(Math.max(peak, process.memoryUsage().arrayBuffers) - baseline);
      });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '-e', measure, source, JSON.stringify(RECORD)]);
    const growth = Number(stdout);
    assert.ok(growth < size / 8, `peak external memory grew by ${growth} bytes for a ${size}-byte file`);
    assert.deepStrictEqual(await readMetadata(source), RECORD);
  });

  it('reads a record back after exiftool rewrote the packet (its quotes, layout and split descriptions)', async () => {
    const file = path.join(dir, 'edited.jpg');
    await fs.writeFile(file, valid.jpg);
    await embedMetadata(file, file, RECORD, '1.0.0');
    await promisify(execFile)('exiftool', ['-overwrite_original', '-XMP-dc:Title=edited elsewhere', file]);
    assert.match((await fs.readFile(file)).toString('latin1'), /edited elsewhere/);
    assert.deepStrictEqual(await readMetadata(file), RECORD);
  });

  it('reads only packets in our namespace, and only fields that make sense', () => {
    const packet = buildXmpPacket(RECORD, 'Flux Studio 1.0.0');
    assert.deepStrictEqual(parseXmpPacket(packet), RECORD);
    assert.strictEqual(parseXmpPacket(packet.replace(FLUX_STUDIO_NS, 'https://example.com/other/')), undefined);
    assert.strictEqual(parseXmpPacket(packet.replace('>1:1<', '>7:5<')), undefined, 'unknown aspect ratio');
    assert.strictEqual(parseXmpPacket(packet.replace('>False<', '>maybe<')), undefined, 'raw not a boolean');
    assert.strictEqual(parseXmpPacket(packet.replace(/<dc:description>.*<\/dc:description>/, '')), undefined, 'no prompt');
    const odd = parseXmpPacket(packet.replace('>7<', '>7.5<').replace('>90<', '>ninety<').replace('2026-11-25T10:20:30.000Z', 'yesterday'));
    assert.deepStrictEqual(odd, { prompt: RECORD.prompt, model: MODEL_ID, aspectRatio: '1:1', raw: false, outputFormat: 'jpg' }, 'bad seed, quality and date dropped');
    const strengthAlone = buildXmpPacket({ ...RECORD, imagePromptStrength: 0.5 }, 'x');
    assert.strictEqual(parseXmpPacket(strengthAlone)?.imagePromptStrength, undefined, 'no strength without a reference');
  });

  it('maps a gallery entry to a record and a record back to options for a re-run', () => {
    const entry: GalleryEntry = {
      id: 'local-1',
      jobId: 'job-9',
      options: { prompt: 'a fox', aspectRatio: '4:3', outputFormat: 'png', outputQuality: 80, raw: true, seed: 11, imagePrompt: 'https://example.com/r.png', imagePromptStrength: 0.2 },
      state: 'completed',
      progress: 100,
      createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      completedAt: Date.UTC(2026, 0, 2, 3, 4, 20),
      originalPrompt: '여우 한 마리',
    };
    const record = recordFromEntry(entry);
    assert.deepStrictEqual(record, {
      prompt: 'a fox',
      originalPrompt: '여우 한 마리',
      model: MODEL_ID,
      seed: 11,
      aspectRatio: '4:3',
      raw: true,
      imagePrompt: 'https://example.com/r.png',
      imagePromptStrength: 0.2,
      outputFormat: 'png',
      outputQuality: 80,
      jobId: 'job-9',
      createdAt: '2026-01-02T03:04:20.000Z',
    });
    assert.deepStrictEqual(optionsFromRecord(record, 90), entry.options);
    const { outputQuality: _ignored, ...withoutQuality } = record;
    assert.strictEqual(optionsFromRecord(withoutQuality, 90).outputQuality, 90);
  });
});
