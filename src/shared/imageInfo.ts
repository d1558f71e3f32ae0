// Recognises an image by its signature and reads its pixel size from the header, so a truncated
// download or an HTML error page served as "image/jpeg" is never stored as a result. Plain Uint8Array and
// DataView (no Node Buffer), so src/shared stays importable by the webview.
import type { OutputFormat } from './options';

export interface ImageInfo {
  format: OutputFormat;
  width?: number;
  height?: number;
}

export function sniffImage(head: Uint8Array): ImageInfo | undefined {
  const bytes = view(head);
  if (bytes.byteLength >= 24 && bytes.getUint32(0) === 0x89504e47 && bytes.getUint32(4) === 0x0d0a1a0a) {
    return { format: 'png', width: bytes.getUint32(16), height: bytes.getUint32(20) };
  }
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return { format: 'jpg', ...jpegSize(bytes) };
  }
  if (head.length >= 16 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') {
    return { format: 'webp', ...webpSize(head) };
  }
  return undefined;
}

/** Whether the file ends the way a complete image of this format ends. */
export function hasImageTrailer(format: OutputFormat, tail: Uint8Array, totalLength: number, riffLength?: number): boolean {
  const end = tail.length;
  if (format === 'jpg') return end >= 2 && tail[end - 2] === 0xff && tail[end - 1] === 0xd9;
  if (format === 'png') return end >= 12 && ascii(tail, end - 8, end - 4) === 'IEND';
  return riffLength !== undefined && riffLength + 8 === totalLength;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

function jpegSize(bytes: DataView): { width?: number; height?: number } {
  let offset = 2;
  while (offset + 9 < bytes.byteLength) {
    if (bytes.getUint8(offset) !== 0xff) return {};
    const marker = bytes.getUint8(offset + 1);
    const length = bytes.getUint16(offset + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.getUint16(offset + 5), width: bytes.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return {};
}

function webpSize(head: Uint8Array): { width?: number; height?: number } {
  const bytes = view(head);
  const chunk = ascii(head, 12, 16);
  const uint24 = (offset: number) => bytes.getUint16(offset, true) + (bytes.getUint8(offset + 2) << 16);
  if (chunk === 'VP8X' && head.length >= 30) {
    return { width: 1 + uint24(24), height: 1 + uint24(27) };
  }
  if (chunk === 'VP8 ' && head.length >= 30) {
    return { width: bytes.getUint16(26, true) & 0x3fff, height: bytes.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L' && head.length >= 25) {
    const bits = bytes.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return {};
}
