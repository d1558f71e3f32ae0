// PNG: the record goes into text chunks right after IHDR, before the image data, where a reader of the file's
// head finds it: iTXt "XML:com.adobe.xmp" (the XMP packet, the one read back), "Description" (the prompt),
// "Software" and "Creation Time" (RFC 1123, as the PNG specification recommends), as tEXt when plain ASCII and
// iTXt (UTF-8) otherwise. Text chunks with these keywords before the image data are ours from an earlier
// write, or stale: they are dropped. Every other chunk is copied unchanged, and everything from the first IDAT
// on is copied byte for byte. Text after the image data is neither replaced nor read.
import { crc32 } from 'zlib';
import { malformed } from './errors';
import { Embedding, FormatHandler, ImageFile, MAX_BLOCK_BYTES, Piece } from './file';

const SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');
const IEND_CHUNK = Buffer.from('0000000049454e44ae426082', 'hex');
const IHDR_END = 8 + 8 + 13 + 4;
/** Real files have a handful; the cap stops a file of millions of empty chunks from keeping us busy. */
const MAX_CHUNKS_BEFORE_DATA = 1000;
const XMP_KEYWORD = 'XML:com.adobe.xmp';
const OUR_KEYWORDS = new Set([XMP_KEYWORD, 'Description', 'Software', 'Creation Time']);
const TEXT_TYPES = new Set(['tEXt', 'iTXt', 'zTXt']);
const MAX_KEYWORD_BYTES = 79;

interface Chunk {
  type: string;
  start: number;
  end: number;
}

/** The chunks between IHDR and the first IDAT, and where that IDAT starts. Reads chunk headers only. */
async function headChunks(file: ImageFile): Promise<{ chunks: Chunk[]; imageData: number }> {
  if (file.size < IHDR_END + IEND_CHUNK.length) throw file.truncated();
  const head = await file.read(0, IHDR_END);
  if (!head.subarray(0, 8).equals(SIGNATURE) || head.readUInt32BE(8) !== 13 || head.toString('latin1', 12, 16) !== 'IHDR') {
    throw malformed('PNG', 'it does not start with a valid header');
  }
  if (!(await file.read(file.size - IEND_CHUNK.length, IEND_CHUNK.length)).equals(IEND_CHUNK)) throw file.truncated();
  const chunks: Chunk[] = [];
  for (let start = IHDR_END; chunks.length <= MAX_CHUNKS_BEFORE_DATA; ) {
    const header = await file.read(start, 8);
    const type = header.toString('latin1', 4, 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw malformed('PNG', 'a chunk with an invalid type');
    const end = start + 12 + header.readUInt32BE(0);
    if (end > file.size - IEND_CHUNK.length) throw file.truncated();
    if (type === 'IDAT') return { chunks, imageData: start };
    if (type === 'IEND') throw malformed('PNG', 'no image data');
    chunks.push({ type, start, end });
    start = end;
  }
  throw malformed('PNG', `more than ${MAX_CHUNKS_BEFORE_DATA} chunks before the image data`);
}

async function keyword(file: ImageFile, chunk: Chunk): Promise<string | undefined> {
  if (!TEXT_TYPES.has(chunk.type)) return undefined;
  const data = await file.read(chunk.start + 8, Math.min(chunk.end - chunk.start - 12, MAX_KEYWORD_BYTES + 1));
  const nul = data.indexOf(0);
  return nul > 0 ? data.toString('latin1', 0, nul) : undefined;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(typeAndData.length + 8);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), out.length - 4);
  return out;
}

/** tEXt for plain ASCII, otherwise iTXt (uncompressed, no language tag) whose text is UTF-8. */
function textChunk(key: string, text: string | Buffer): Buffer {
  const name = Buffer.from(key, 'latin1');
  if (typeof text === 'string' && /^[\x20-\x7e\n]*$/.test(text)) return chunk('tEXt', Buffer.concat([name, Buffer.from([0]), Buffer.from(text, 'latin1')]));
  return chunk('iTXt', Buffer.concat([name, Buffer.from([0, 0, 0, 0, 0]), typeof text === 'string' ? Buffer.from(text, 'utf8') : text]));
}

export const png: FormatHandler = {
  async plan(file: ImageFile, embedding: Embedding): Promise<Piece[]> {
    const { chunks, imageData } = await headChunks(file);
    const kept: Piece[] = [];
    for (const item of chunks) {
      if (!OUR_KEYWORDS.has((await keyword(file, item)) ?? '')) kept.push({ start: item.start, end: item.end });
    }
    const ours = [
      textChunk(XMP_KEYWORD, embedding.xmp),
      textChunk('Description', embedding.description),
      textChunk('Software', embedding.software),
      ...(embedding.createdAt === undefined ? [] : [textChunk('Creation Time', new Date(embedding.createdAt).toUTCString())]),
    ];
    return [{ start: 0, end: IHDR_END }, ...ours, ...kept, { start: imageData, end: file.size }];
  },

  async readXmp(file: ImageFile): Promise<Buffer | undefined> {
    for (const item of (await headChunks(file)).chunks) {
      const length = item.end - item.start - 12;
      if (item.type !== 'iTXt' || length > MAX_BLOCK_BYTES || (await keyword(file, item)) !== XMP_KEYWORD) continue;
      const data = await file.read(item.start + 8, length);
      const flags = XMP_KEYWORD.length + 1;
      if (data[flags] !== 0) continue; // compressed: never written by us
      const language = data.indexOf(0, flags + 2);
      const translated = language < 0 ? -1 : data.indexOf(0, language + 1);
      if (translated >= 0) return data.subarray(translated + 1);
    }
    return undefined;
  },
};
