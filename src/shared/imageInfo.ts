// Recognises an image by its signature and reads its pixel size from the header, so a truncated
// download or an HTML error page served as "image/jpeg" is never stored as a result. Plain bytes
// (no Buffer): src/shared is also compiled for the webview.
import type { OutputFormat } from './options';

export interface ImageInfo {
  format: OutputFormat;
  width?: number;
  height?: number;
}

export function sniffImage(bytes: Uint8Array): ImageInfo | undefined {
  const view = dataView(bytes);
  if (bytes.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(4) === 0x0d0a1a0a) {
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { format: 'jpg', ...jpegSize(bytes) };
  }
  if (bytes.length >= 16 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return { format: 'webp', ...webpSize(bytes) };
  }
  return undefined;
}

/** Whether the file ends the way a complete image of this format ends. */
export function hasImageTrailer(format: OutputFormat, bytes: Uint8Array, totalLength: number, riffLength?: number): boolean {
  if (format === 'jpg') return bytes.length >= 2 && bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9;
  if (format === 'png') return bytes.length >= 12 && ascii(bytes, bytes.length - 8, bytes.length - 4) === 'IEND';
  return riffLength !== undefined && riffLength + 8 === totalLength;
}

function jpegSize(bytes: Uint8Array): { width?: number; height?: number } {
  const view = dataView(bytes);
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return {};
    const marker = bytes[offset + 1];
    const length = view.getUint16(offset + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return {};
}

function webpSize(bytes: Uint8Array): { width?: number; height?: number } {
  const view = dataView(bytes);
  const chunk = ascii(bytes, 12, 16);
  if (chunk === 'VP8X' && bytes.length >= 30) {
    return { width: 1 + uint24LE(bytes, 24), height: 1 + uint24LE(bytes, 27) };
  }
  if (chunk === 'VP8 ' && bytes.length >= 30) {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L' && bytes.length >= 25) {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return {};
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

function uint24LE(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16);
}
