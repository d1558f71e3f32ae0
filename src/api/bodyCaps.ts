// Size caps on everything a server sends. They are counted on the bytes as they stream in, after any
// gzip/deflate/br decoding (node-fetch decodes before we see the body), so neither an endless body, a
// Content-Length that lies, nor a compression bomb can make the extension host hold or write more than this.
import { Transform, Writable } from 'stream';
import { pipeline } from 'stream/promises';

/**
 * Largest JSON answer read from the API: a page of 100 jobs with 2,000-character prompts is about 0.6 MB even
 * when every character is escaped, and every other answer is a few kilobytes.
 */
export const JSON_BODY_CAP_BYTES = 1024 * 1024;
// The cap on images is MAX_IMAGE_BYTES (src/shared/media.ts), shared with the metadata writer.

/** A body went over its cap (the caller turns it into a typed, user-facing error). */
export class BodyTooLargeError extends Error {
  constructor(readonly capBytes: number) {
    super(`body over ${capBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The declared length of a response, or undefined when absent or unreadable. */
export function declaredLength(headers: { get(name: string): string | null }): number | undefined {
  const value = headers.get('content-length');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/** Passes bytes through, calling `onChunk` for each, and fails with `tooLarge()` once more than `cap` have passed. */
export function byteCap(cap: number, tooLarge: () => Error, onChunk: () => void = () => undefined): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onChunk();
      total += chunk.length;
      if (total > cap) callback(tooLarge());
      else callback(null, chunk);
    },
  });
}

/** The whole body, or a BodyTooLargeError as soon as more than `cap` bytes have arrived. */
export async function readCapped(body: NodeJS.ReadableStream, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await pipeline(body, byteCap(cap, () => new BodyTooLargeError(cap)), collect);
  return Buffer.concat(chunks);
}
