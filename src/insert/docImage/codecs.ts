// The image codecs: WebAssembly builds of Squoosh's MozJPEG decoder, libwebp, the png crate and its resize
// filters (repackaged by @jsquash), and our own JPEG encoder (jpegEncoder.ts: why not MozJPEG's). No
// native binary, so the .vsix stays one platform-neutral package. This
// module is its own bundle (dist/codecs.js, built by esbuild.js) and is loaded on the first insert,
// never at activation; the wasm files sit beside it in dist/codecs/.
import jpegDecode, { init as initJpegDecode } from '@jsquash/jpeg/decode.js';
import pngDecode, { init as initPngDecode } from '@jsquash/png/decode.js';
import pngEncode from '@jsquash/png/encode.js';
import resize, { initResize } from '@jsquash/resize';
import webpDecode, { init as initWebpDecode } from '@jsquash/webp/decode.js';
import webpEncode, { init as initWebpEncode } from '@jsquash/webp/encode.js';
import { promises as fs } from 'fs';
import type { OutputFormat } from '../../shared/options';
import { encodeJpeg } from './jpegEncoder';
import type { WasmFile } from './wasmFiles';

export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface Codecs {
  decode(bytes: Uint8Array, format: OutputFormat): Promise<Pixels>;
  /**
   * Triangle (bilinear with the full footprint when shrinking), in sRGB: measured on 2752×1536 → 1600 px,
   * 85 ms against 130 ms for Lanczos3 and 420 ms for Lanczos3 in linear light; at the ≤ 2× shrink of a
   * document copy the difference is not visible, and the time budget for the whole copy is 400 ms.
   */
  resize(pixels: Pixels, width: number, height: number): Promise<Pixels>;
  /** `quality` 1–100; ignored for PNG (lossless). */
  encode(pixels: Pixels, format: OutputFormat, quality: number): Promise<Uint8Array>;
}

// The compiler's library has no DOM and no WebAssembly types; these are the parts used here.
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<never> };
type ImageData = Parameters<typeof webpEncode>[0];

/** Node has no ImageData; the codecs only construct it and read its three fields. */
class NodeImageData implements Pixels {
  readonly colorSpace = 'srgb';
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}

/** Compiles and instantiates every codec; `locate` gives the path of a wasm file. */
export async function loadCodecs(locate: (file: WasmFile) => string): Promise<Codecs> {
  const g = globalThis as { ImageData?: unknown };
  g.ImageData ??= NodeImageData;
  const compile = async (file: WasmFile) => WebAssembly.compile(await fs.readFile(locate(file)));
  const [jpegDec, png, resizer, webpDec, webpEnc] = await Promise.all((['jpegDecode', 'png', 'resize', 'webpDecode', 'webpEncode'] as const).map(compile));
  await Promise.all([
    initJpegDecode(jpegDec),
    initPngDecode(png),
    initResize(resizer),
    initWebpDecode(webpDec),
    initWebpEncode(webpEnc),
  ]);
  return {
    async decode(bytes, format) {
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      if (format === 'jpg') return jpegDecode(buffer);
      if (format === 'png') return pngDecode(buffer);
      return webpDecode(buffer);
    },
    async resize(pixels, width, height) {
      return resize(pixels as ImageData, { width, height, method: 'triangle', fitMethod: 'stretch', premultiply: false, linearRGB: false });
    },
    async encode(pixels, format, quality) {
      const image = pixels as ImageData;
      if (format === 'jpg') return encodeJpeg(pixels, quality);
      if (format === 'png') return new Uint8Array(await pngEncode(image));
      return new Uint8Array(await webpEncode(image, { quality }));
    },
  };
}
