// The picture a language model agent gets back from the image tool: a JPEG no larger than 1024 px on its
// long side (vision models scale larger images down anyway, and a 4-megapixel original would cost the
// agent's context far more than it shows it). Pure JavaScript (jpeg-js) for the JPEG originals this
// extension makes by default; PNG and WebP originals give no picture until the WebAssembly codecs of the
// document copies are wired in here (one function to swap: `agentImage`).
import * as jpeg from 'jpeg-js';
import type { OutputFormat } from '../shared/options';

export const AGENT_IMAGE_MAX_SIDE = 1024;
const AGENT_IMAGE_QUALITY = 80;
/** Flux images are about 4 megapixels; anything far larger is not ours and is not decoded. */
const MAX_DECODED_MEGAPIXELS = 16;

export interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The downscaled JPEG for the agent, or undefined when this format cannot be read here (or the file is damaged). */
export function agentImage(bytes: Uint8Array, format: OutputFormat): Uint8Array | undefined {
  if (format !== 'jpg') return undefined;
  let decoded: Pixels;
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_DECODED_MEGAPIXELS, maxMemoryUsageInMB: 256 });
  } catch {
    return undefined;
  }
  const scaled = shrinkToFit(decoded, AGENT_IMAGE_MAX_SIDE);
  return new Uint8Array(jpeg.encode({ ...scaled, data: Buffer.from(scaled.data.buffer, scaled.data.byteOffset, scaled.data.byteLength) }, AGENT_IMAGE_QUALITY).data);
}

/** Averages each output pixel's whole footprint (a box filter: no aliasing when shrinking by any factor). */
export function shrinkToFit(image: Pixels, maxSide: number): Pixels {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  if (scale === 1) return image;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const top = Math.floor((y * image.height) / height);
    const bottom = Math.max(top + 1, Math.floor(((y + 1) * image.height) / height));
    for (let x = 0; x < width; x++) {
      const left = Math.floor((x * image.width) / width);
      const right = Math.max(left + 1, Math.floor(((x + 1) * image.width) / width));
      const sums = [0, 0, 0, 0];
      for (let sy = top; sy < bottom; sy++) {
        for (let sx = left, i = (sy * image.width + left) * 4; sx < right; sx++, i += 4) {
          sums[0] += image.data[i];
          sums[1] += image.data[i + 1];
          sums[2] += image.data[i + 2];
          sums[3] += image.data[i + 3];
        }
      }
      const count = (bottom - top) * (right - left);
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) data[o + c] = Math.round(sums[c] / count);
    }
  }
  return { data, width, height };
}
