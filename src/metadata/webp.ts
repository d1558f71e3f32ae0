// WebP: the XMP packet goes into an "XMP " chunk at the end of the file, where the container specification
// places metadata, and the VP8X header gets its XMP flag. A simple file (a lone VP8 or VP8L image chunk) is
// converted to the extended format: a VP8X chunk with the canvas size (and the alpha flag when a lossless
// image declares alpha) goes in front of the image chunk. Earlier "XMP " chunks are dropped (one per file);
// every other chunk, the image data first of all, is copied byte for byte. Chunks are walked by their 8-byte
// headers, so even the packet at the end is found without reading the image data.
import { malformed } from './errors';
import { Embedding, FormatHandler, ImageFile, MAX_BLOCK_BYTES, Piece } from './file';

const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
const VP8X_PAYLOAD_BYTES = 10;
/** Bits of the VP8X header's flag byte. */
const VP8X_FLAGS = { alpha: 0x10, xmp: 0x04 } as const;
/** An animation has a chunk per frame; this is far above real ones and stops a file of empty chunks. */
const MAX_CHUNKS = 100_000;

interface Chunk {
  fourcc: string;
  start: number;
  end: number;
}

async function allChunks(file: ImageFile): Promise<Chunk[]> {
  if (file.size < RIFF_HEADER_BYTES + CHUNK_HEADER_BYTES) throw file.truncated();
  const riffEnd = (await file.read(4, 4)).readUInt32LE(0) + 8;
  if (riffEnd > file.size) throw file.truncated();
  if (riffEnd < file.size) throw malformed('WebP', 'data after the end of the RIFF container');
  const chunks: Chunk[] = [];
  for (let start = RIFF_HEADER_BYTES; start < file.size; ) {
    if (chunks.length >= MAX_CHUNKS) throw malformed('WebP', `more than ${MAX_CHUNKS} chunks`);
    const header = await file.read(start, CHUNK_HEADER_BYTES);
    const fourcc = header.toString('latin1', 0, 4);
    if (!/^[\x20-\x7e]{4}$/.test(fourcc)) throw malformed('WebP', 'a chunk with an invalid name');
    const size = header.readUInt32LE(4);
    const end = start + CHUNK_HEADER_BYTES + size + (size % 2); // payloads are padded to an even length
    if (end > file.size) throw file.truncated();
    chunks.push({ fourcc, start, end });
    start = end;
  }
  if (!['VP8X', 'VP8 ', 'VP8L'].includes(chunks[0]?.fourcc)) throw malformed('WebP', 'no image header');
  return chunks;
}

/** The VP8X chunk for a simple file: canvas size from the image chunk's own header. */
async function vp8xFor(file: ImageFile, image: Chunk): Promise<Buffer> {
  const data = await file.read(image.start + CHUNK_HEADER_BYTES, Math.min(10, image.end - image.start - CHUNK_HEADER_BYTES));
  let width: number;
  let height: number;
  let flags = 0;
  if (image.fourcc === 'VP8L') {
    if (data.length < 5 || data[0] !== 0x2f) throw malformed('WebP', 'a lossless image without its signature');
    const bits = data.readUInt32LE(1);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
    if ((bits >>> 28) & 1) flags |= VP8X_FLAGS.alpha;
  } else {
    if (data.length < 10 || data[0] & 1 || data.readUIntBE(3, 3) !== 0x9d012a) throw malformed('WebP', 'a lossy image without a key frame');
    width = data.readUInt16LE(6) & 0x3fff;
    height = data.readUInt16LE(8) & 0x3fff;
  }
  const chunk = Buffer.alloc(CHUNK_HEADER_BYTES + VP8X_PAYLOAD_BYTES);
  chunk.write('VP8X', 0, 'latin1');
  chunk.writeUInt32LE(VP8X_PAYLOAD_BYTES, 4);
  chunk[8] = flags;
  chunk.writeUIntLE(width - 1, 12, 3);
  chunk.writeUIntLE(height - 1, 15, 3);
  return chunk;
}

function xmpChunk(packet: Buffer): Buffer {
  const header = Buffer.alloc(CHUNK_HEADER_BYTES);
  header.write('XMP ', 0, 'latin1');
  header.writeUInt32LE(packet.length, 4);
  return Buffer.concat([header, packet, Buffer.alloc(packet.length % 2)]);
}

export const webp: FormatHandler = {
  async plan(file: ImageFile, embedding: Embedding): Promise<Piece[]> {
    const chunks = (await allChunks(file)).filter((chunk) => chunk.fourcc !== 'XMP ');
    const [first] = chunks;
    let vp8x: Buffer;
    if (first.fourcc === 'VP8X') {
      if (first.end - first.start < CHUNK_HEADER_BYTES + VP8X_PAYLOAD_BYTES) throw malformed('WebP', 'a short VP8X header');
      vp8x = await file.read(first.start, first.end - first.start);
      chunks.shift();
    } else {
      vp8x = await vp8xFor(file, first);
    }
    vp8x[8] |= VP8X_FLAGS.xmp;
    const xmp = xmpChunk(embedding.xmp);
    const riffSize = 4 + vp8x.length + chunks.reduce((sum, chunk) => sum + chunk.end - chunk.start, 0) + xmp.length;
    const header = Buffer.alloc(RIFF_HEADER_BYTES);
    header.write('RIFFxxxxWEBP', 0, 'latin1');
    header.writeUInt32LE(riffSize, 4);
    return [header, vp8x, ...chunks.map(({ start, end }) => ({ start, end })), xmp];
  },

  async readXmp(file: ImageFile): Promise<Buffer | undefined> {
    const chunk = (await allChunks(file)).find((item) => item.fourcc === 'XMP ');
    if (chunk === undefined) return undefined;
    const size = (await file.read(chunk.start + 4, 4)).readUInt32LE(0);
    return size > MAX_BLOCK_BYTES ? undefined : file.read(chunk.start + CHUNK_HEADER_BYTES, size);
  },
};
