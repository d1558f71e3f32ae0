// The generation record written into PNG, JPEG and WebP files: read by exiftool (an independent reader), read
// back by us, and the image data untouched — compared part by part with independent parsers and decoded.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GenerationRecord, embedMetadata, readMetadata } from '../../src/metadata';
import { portableText } from '../../src/metadata/xmp';
import { MODEL_ID } from '../../src/shared/options';
import { Part, TestImage, exiftool, jpegParts, makeImages, pixels, pngChunks, webpChunks } from './metadataImages';

/** Everything XML can carry that tends to break writers: scripts, emoji, bidi, markup, CR, C1 and DEL. */
const HOSTILE_PROMPT = [
  '등대가 있는 바닷가 🌊🏝️ 👩🏽‍🚀',
  '\u202Eevil\u202C \u200Fمرحبا\u200E',
  '& &amp; <b>bold</b> ]]> <![CDATA[x]]> <?xpacket end="w"?> </rdf:li> "double" \'single\'',
  'line\r\nbreaks\rand\ttabs\n\u0085\u007F',
].join('\n');

export const RECORD: GenerationRecord = {
  prompt: HOSTILE_PROMPT + ' padding'.repeat(Math.floor((2000 - HOSTILE_PROMPT.length) / 8)),
  originalPrompt: '바닷가 절벽 위의 빨간 등대 <b>&amp;</b> "저녁"',
  model: MODEL_ID,
  seed: 4242,
  aspectRatio: '3:4',
  raw: true,
  imagePrompt: 'https://example.com/ref.png?a=1&b=<2>',
  imagePromptStrength: 0.35,
  outputFormat: 'webp',
  outputQuality: 85,
  jobId: 'job_01HXYZ',
  createdAt: '2026-11-25T10:20:30.000Z',
};
const VERSION = '9.8.7';

/** Our APP1 Exif/XMP segments, our PNG text chunks and WebP's VP8X/XMP are what may change; nothing else. */
function imageParts(name: string, bytes: Buffer): Part[] {
  if (name.endsWith('.png')) return pngChunks(bytes).filter((part) => !['tEXt', 'iTXt', 'zTXt'].includes(part.kind));
  if (name.endsWith('.jpg')) return jpegParts(bytes).filter((part) => part.kind !== 'ffe1');
  return webpChunks(bytes).filter((part) => !['VP8X', 'XMP '].includes(part.kind));
}

describe('metadata: the generation record in the file', function () {
  this.timeout(30_000);
  let dir: string;
  let images: TestImage[];
  const output = (image: TestImage) => path.join(dir, `out-${image.name}`);

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-metadata-'));
    images = await makeImages(dir);
    for (const image of images) await embedMetadata(image.file, output(image), RECORD, VERSION);
  });

  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('exiftool reads the prompt, the model and every other field in all three formats, and finds nothing to fault', async () => {
    const reports = await exiftool(images.map(output));
    assert.strictEqual(reports.length, images.length);
    for (const [index, report] of reports.entries()) {
      const name = images[index].name;
      const expect = (tag: string, value: unknown) => assert.deepStrictEqual(report[tag], value, `${name} ${tag}`);
      expect('XMP-dc:Description', RECORD.prompt);
      expect('XMP-fluxstudio:Model', MODEL_ID);
      expect('XMP-fluxstudio:OriginalPrompt', RECORD.originalPrompt);
      expect('XMP-fluxstudio:Seed', 4242);
      expect('XMP-fluxstudio:AspectRatio', '3:4');
      expect('XMP-fluxstudio:Raw', true);
      expect('XMP-fluxstudio:ImagePrompt', RECORD.imagePrompt);
      expect('XMP-fluxstudio:ImagePromptStrength', 0.35);
      expect('XMP-fluxstudio:OutputFormat', 'webp');
      expect('XMP-fluxstudio:OutputQuality', 85);
      expect('XMP-fluxstudio:JobId', 'job_01HXYZ');
      expect('XMP-xmp:CreatorTool', 'Flux Studio 9.8.7');
      expect('XMP-xmp:CreateDate', '2026:11:25 10:20:30.000Z');
      if (name.endsWith('.jpg')) {
        expect('IFD0:ImageDescription', RECORD.prompt);
        expect('IFD0:Software', 'Flux Studio 9.8.7');
      }
      if (name.endsWith('.png')) {
        expect('PNG:Description', RECORD.prompt);
        expect('PNG:Software', 'Flux Studio 9.8.7');
        expect('PNG:CreationTime', '2026:11:25 10:20:30+00:00');
      }
      if (name.endsWith('.webp')) expect('RIFF:WebP_Flags', name === 'with-metadata.webp' ? 'XMP, EXIF' : /alpha/.test(name) ? 'XMP, Alpha' : 'XMP');
      // Input files sharp wrote with an odd EXIF header keep that header (we do not touch WebP EXIF).
      if (name !== 'with-metadata.webp') expect('ExifTool:Validate', 'OK');
    }
  });

  it('reads the record back exactly', async () => {
    for (const image of images) assert.deepStrictEqual(await readMetadata(output(image)), RECORD, image.name);
  });

  it('copies the image data byte for byte and decodes to the same pixels', async () => {
    for (const image of images) {
      const [before, after] = await Promise.all([fs.readFile(image.file), fs.readFile(output(image))]);
      assert.notDeepStrictEqual(after, before, `${image.name} was not changed at all`);
      assert.deepStrictEqual(imageParts(image.name, after), imageParts(image.name, before), image.name);
      assert.ok((await pixels(output(image))).equals(await pixels(image.file)), `${image.name} decodes differently`);
    }
  });

  it('keeps other metadata: EXIF tags and sub-IFDs merged, ICC profile kept; a foreign XMP packet is replaced', async () => {
    const [jpeg, png, webp] = await exiftool(['with-metadata.jpg', 'with-metadata.png', 'with-metadata.webp'].map((name) => path.join(dir, `out-${name}`)));
    assert.strictEqual(jpeg['IFD0:Make'], 'Acme');
    assert.strictEqual(jpeg['IFD0:Model'], 'Camera 1');
    assert.strictEqual(jpeg['IFD0:Orientation'], 'Rotate 90 CW');
    assert.strictEqual(jpeg['ExifIFD:ExifImageWidth'], 40);
    assert.strictEqual(jpeg['ICC_Profile:ProfileDescription'], 'sP3C');
    for (const report of [jpeg, png, webp]) {
      assert.strictEqual(report['XMP-dc:Creator'], undefined, 'the foreign packet is gone');
      assert.strictEqual(report['XMP-fluxstudio:Model'], MODEL_ID);
    }
    assert.strictEqual(png['IFD0:Make'], 'Acme', 'PNG eXIf chunk kept');
    assert.strictEqual(webp['IFD0:Make'], 'Acme', 'WebP EXIF chunk kept');
  });

  it('writing again replaces our record in place and does not grow the file', async () => {
    const again: GenerationRecord = { ...RECORD, prompt: 'a second prompt' };
    delete again.seed;
    for (const image of images) {
      const copy = path.join(dir, `again-${image.name}`);
      await embedMetadata(output(image), copy, RECORD, VERSION);
      // A merged foreign EXIF block grows by one IFD per write (see exif.ts); everything else is identical.
      if (image.name !== 'with-metadata.jpg') assert.ok((await fs.readFile(copy)).equals(await fs.readFile(output(image))), image.name);
      await embedMetadata(copy, copy, again, VERSION);
      assert.deepStrictEqual(await readMetadata(copy), again, image.name);
      assert.deepStrictEqual(imageParts(image.name, await fs.readFile(copy)), imageParts(image.name, await fs.readFile(image.file)), image.name);
    }
    const reports = await exiftool(images.map((image) => path.join(dir, `again-${image.name}`)));
    for (const report of reports) {
      assert.strictEqual(report['XMP-dc:Description'], 'a second prompt', String(report.SourceFile));
      assert.strictEqual(report['XMP-fluxstudio:Seed'], undefined, String(report.SourceFile));
      assert.doesNotMatch(JSON.stringify(report), /Duplicate|padding/, String(report.SourceFile));
    }
  });

  it('prompts XML cannot carry (NUL, other C0 controls, unpaired surrogates, U+FFFF) keep every other character', async () => {
    const prompt = 'before\u0000after\u0001\u001b[31m\uFFFF\uD800 lone \uDC00 pair \uD83D\uDE00 end';
    const expected = 'before\uFFFDafter\uFFFD\uFFFD[31m\uFFFD\uFFFD lone \uFFFD pair \uD83D\uDE00 end';
    assert.strictEqual(portableText(prompt), expected);
    const files = await Promise.all(
      ['plain.png', 'plain.jpg', 'lossy.webp'].map(async (name) => {
        const file = path.join(dir, `controls-${name}`);
        await embedMetadata(path.join(dir, name), file, { ...RECORD, prompt }, VERSION);
        assert.strictEqual((await readMetadata(file))?.prompt, expected, name);
        return file;
      }),
    );
    for (const report of await exiftool(files)) {
      assert.strictEqual(report['XMP-dc:Description'], expected);
      assert.strictEqual(report['ExifTool:Validate'], 'OK');
    }
  });

  it('leaves out what is not known: no seed, no reference, no job id', async () => {
    const minimal: GenerationRecord = { prompt: 'a fox', model: MODEL_ID, aspectRatio: '16:9', raw: false, outputFormat: 'png', createdAt: RECORD.createdAt };
    const file = path.join(dir, 'minimal.png');
    await embedMetadata(path.join(dir, 'plain.png'), file, minimal, VERSION);
    assert.deepStrictEqual(await readMetadata(file), minimal);
    const [report] = await exiftool([file]);
    assert.deepStrictEqual(
      Object.keys(report).filter((key) => key.startsWith('XMP-fluxstudio:')),
      ['XMP-fluxstudio:Model', 'XMP-fluxstudio:AspectRatio', 'XMP-fluxstudio:Raw', 'XMP-fluxstudio:OutputFormat'],
    );
  });

  it('reads nothing from files that carry no record of ours', async () => {
    for (const image of images) assert.strictEqual(await readMetadata(image.file), undefined, image.name);
  });
});
