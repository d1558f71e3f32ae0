// The document copy's JPEG encoder, read back by two independent decoders: MozJPEG (WebAssembly, what the
// extension decodes with) and libjpeg-turbo (native, through sharp), and held to libjpeg-turbo's own encoder
// at the same quality (same tables, 4:2:0). Sizes that are not whole MCUs, flat and extreme images
// (one-symbol Huffman tables, 0xFF bytes to stuff), quality that buys fidelity.
import * as assert from 'assert';
import * as path from 'path';
import sharp from 'sharp';
import { loadCodecs, type Codecs, type Pixels } from '../../../src/insert/docImage/codecs';
import { encodeJpeg, JPEG_MAX_SIDE } from '../../../src/insert/docImage/jpegEncoder';
import { WASM_FILES } from '../../../src/insert/docImage/wasmFiles';
import { sniffImage } from '../../../src/shared/imageInfo';

const NODE_MODULES = path.resolve(__dirname, '..', '..', '..', '..', 'node_modules');

/** A photo-like test image: gradients, a hard-edged disc and noise. */
function photo(width: number, height: number): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  let noise = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      noise = (noise * 1103515245 + 12345) & 0x7fffffff;
      const n = ((noise >> 16) % 17) - 8;
      const inDisc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      const p = (y * width + x) * 4;
      data[p] = (inDisc ? 230 : (255 * x) / width) + n;
      data[p + 1] = (inDisc ? 40 : (255 * y) / height) + n;
      data[p + 2] = (inDisc ? 60 : 128) + n;
      data[p + 3] = 255;
    }
  }
  return { data, width, height };
}

function solid(width: number, height: number, rgb: [number, number, number]): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < data.length; p += 4) data.set([...rgb, 255], p);
  return { data, width, height };
}

/** Peak signal-to-noise ratio over R, G and B, in dB (Infinity when equal). */
function psnr(a: { data: ArrayLike<number> }, aChannels: number, b: { data: ArrayLike<number> }, bChannels: number, pixels: number): number {
  let squared = 0;
  for (let i = 0; i < pixels; i++) for (let c = 0; c < 3; c++) squared += (a.data[i * aChannels + c] - b.data[i * bChannels + c]) ** 2;
  return 10 * Math.log10((255 * 255) / (squared / (pixels * 3)));
}

describe('JPEG encoder', function () {
  this.timeout(60_000);
  let codecs: Codecs;
  before(async () => {
    codecs = await loadCodecs((file) => path.join(NODE_MODULES, WASM_FILES[file]));
  });

  /** Decoded by MozJPEG and by libjpeg-turbo; the fidelity of each against `pixels` (they must agree). */
  async function readBack(pixels: Pixels, jpeg: Uint8Array): Promise<number> {
    const { width, height } = pixels;
    assert.deepStrictEqual(sniffImage(jpeg), { format: 'jpg', width, height });
    const moz = await codecs.decode(jpeg, 'jpg');
    assert.deepStrictEqual([moz.width, moz.height], [width, height]);
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    assert.deepStrictEqual([info.width, info.height, info.channels], [width, height, 3]);
    const fromMoz = psnr(pixels, 4, moz, 4, width * height);
    const fromTurbo = psnr(pixels, 4, { data }, 3, width * height);
    assert.ok(fromMoz === fromTurbo || Math.abs(fromMoz - fromTurbo) < 1, `the two decoders disagree: ${fromMoz.toFixed(2)} against ${fromTurbo.toFixed(2)} dB`);
    return fromMoz;
  }

  /** libjpeg-turbo's encoder (sharp: the standard tables, 4:2:0, optimised Huffman tables) on the same pixels. */
  async function reference(pixels: Pixels, quality: number): Promise<{ bytes: number; fidelity: number }> {
    const { data, width, height } = pixels;
    const jpeg = await sharp(Buffer.from(data.buffer), { raw: { width, height, channels: 4 } }).removeAlpha().jpeg({ quality }).toBuffer();
    const decoded = await sharp(jpeg).raw().toBuffer();
    return { bytes: jpeg.length, fidelity: psnr(pixels, 4, { data: decoded }, 3, width * height) };
  }

  it('reads back in both decoders as faithfully as libjpeg-turbo encodes, in about as many bytes, whole MCUs or not', async () => {
    for (const [width, height, quality] of [
      [400, 225, 82],
      [1, 1, 90],
      [17, 9, 90],
      [37, 21, 90],
      [8, 300, 60],
    ]) {
      const pixels = photo(width, height);
      const jpeg = encodeJpeg(pixels, quality);
      const ours = { bytes: jpeg.length, fidelity: await readBack(pixels, jpeg) };
      const turbo = await reference(pixels, quality);
      const what = `${width}×${height} at ${quality}: ${JSON.stringify({ ours, turbo })}`;
      assert.ok(ours.fidelity > turbo.fidelity - 0.5, what);
      assert.ok(ours.bytes <= turbo.bytes * 1.05 + 64, what);
    }
  });

  it('flat images (a single symbol per table) and black-and-white extremes (0xFF bytes stuffed) decode exactly enough', async () => {
    for (const rgb of [
      [0, 0, 0],
      [255, 255, 255],
      [12, 200, 99],
    ] as [number, number, number][]) {
      const pixels = solid(48, 32, rgb);
      assert.ok((await readBack(pixels, encodeJpeg(pixels, 75))) > 40, `solid ${rgb}`);
    }
    const checker = solid(64, 64, [0, 0, 0]);
    for (let p = 0; p < checker.data.length; p += 4) if ((((p / 4) % 64) ^ Math.floor(p / 4 / 64)) & 1) checker.data.set([255, 255, 255], p);
    assert.ok((await readBack(checker, encodeJpeg(checker, 100))) > 20);
    const noise = solid(64, 64, [0, 0, 0]);
    let seed = 1;
    for (let i = 0; i < noise.data.length; i++) if (i % 4 !== 3) noise.data[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16;
    const jpeg = encodeJpeg(noise, 100);
    const scan = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xda);
    assert.ok(jpeg.subarray(scan).some((b, i, data) => b === 0xff && data[i + 1] === 0), 'no stuffed 0xFF byte in the entropy-coded data');
    assert.ok((await readBack(noise, jpeg)) > 20);
  });

  it('more quality gives more fidelity and more bytes; out-of-range qualities are clamped', async () => {
    const pixels = photo(160, 120);
    const at = async (quality: number) => {
      const jpeg = encodeJpeg(pixels, quality);
      return { bytes: jpeg.length, fidelity: await readBack(pixels, jpeg) };
    };
    const [low, mid, high] = [await at(30), await at(75), await at(95)];
    assert.ok(low.bytes < mid.bytes && mid.bytes < high.bytes, JSON.stringify({ low, mid, high }));
    assert.ok(low.fidelity < mid.fidelity && mid.fidelity < high.fidelity, JSON.stringify({ low, mid, high }));
    assert.deepStrictEqual(encodeJpeg(pixels, 0), encodeJpeg(pixels, 1));
    assert.deepStrictEqual(encodeJpeg(pixels, 250), encodeJpeg(pixels, 100));
  });

  it('refuses sizes a JPEG cannot state', () => {
    assert.throws(() => encodeJpeg({ data: new Uint8ClampedArray(0), width: 0, height: 0 }, 80), /cannot be 0×0/);
    assert.throws(() => encodeJpeg({ data: new Uint8ClampedArray(4 * (JPEG_MAX_SIDE + 1)), width: JPEG_MAX_SIDE + 1, height: 1 }, 80), /cannot be/);
  });
});
