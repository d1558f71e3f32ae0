// EXIF for JPEG: an APP1 "Exif\0\0" block whose IFD0 holds ImageDescription (the prompt) and Software.
//
// ImageDescription is ASCII by the Exif specification. We write the portable prompt (no NUL, which would end
// it early) as UTF-8, as the Metadata Working Group guidelines recommend and as exiftool, Windows and macOS
// read it, so a Korean prompt stays readable there; a strictly-ASCII reader shows mojibake for non-ASCII
// characters. The exact prompt is in the XMP packet, which is what Flux Studio reads back.
//
// An existing EXIF block is merged, never dropped (it may hold the orientation, which changes how the pixels
// are shown): its bytes stay as they are, so every offset inside stays valid, and a new IFD0 with the old
// entries plus ours is appended; the old IFD0 becomes unused bytes (so each re-write of a merged block grows it
// by one IFD; one that would outgrow its segment is left as it was). A block we wrote from scratch is rebuilt
// from scratch, so writing our own files again does not grow them.
import { SOFTWARE_NAME } from './record';

export const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
/** An APP1 segment's payload limit (65535 minus the length field). */
export const MAX_APP1_PAYLOAD = 65533;

const IMAGE_DESCRIPTION = 0x010e;
const SOFTWARE = 0x0131;
const ASCII = 2;
const SHORT = 3;
const RATIONAL = 5;
const ENTRY_BYTES = 12;
/** Tags we write into a new block. */
const OUR_TAGS = new Set([IMAGE_DESCRIPTION, SOFTWARE, 0x011a, 0x011b, 0x0128, 0x0213]);

class Tiff {
  constructor(
    readonly bytes: Buffer,
    readonly littleEndian: boolean,
  ) {}
  u16(offset: number): number {
    return this.littleEndian ? this.bytes.readUInt16LE(offset) : this.bytes.readUInt16BE(offset);
  }
  u32(offset: number): number {
    return this.littleEndian ? this.bytes.readUInt32LE(offset) : this.bytes.readUInt32BE(offset);
  }
}

interface Ifd0 {
  /** Raw 12-byte entries other than the two we replace. */
  kept: Buffer[];
  next: number;
  /** Written by us from scratch earlier (our tags only, our Software): rebuilt rather than merged. */
  ours: boolean;
}

function readIfd0(tiff: Tiff): Ifd0 | undefined {
  const { bytes } = tiff;
  if (bytes.length < 8 || tiff.u16(2) !== 42) return undefined;
  const ifd0 = tiff.u32(4);
  if (ifd0 < 8 || ifd0 + 2 > bytes.length) return undefined;
  const count = tiff.u16(ifd0);
  const nextOffset = ifd0 + 2 + count * ENTRY_BYTES;
  if (nextOffset + 4 > bytes.length) return undefined;
  const kept: Buffer[] = [];
  let software = '';
  let onlyOurTags = true;
  for (let offset = ifd0 + 2; offset < nextOffset; offset += ENTRY_BYTES) {
    const tag = tiff.u16(offset);
    onlyOurTags &&= OUR_TAGS.has(tag);
    if (tag === SOFTWARE && tiff.u32(offset + 4) > 4) software = bytes.toString('latin1', tiff.u32(offset + 8), tiff.u32(offset + 8) + SOFTWARE_NAME.length);
    if (tag !== IMAGE_DESCRIPTION && tag !== SOFTWARE) kept.push(bytes.subarray(offset, offset + ENTRY_BYTES));
  }
  const next = tiff.u32(nextOffset);
  return { kept, next, ours: onlyOurTags && next === 0 && software === SOFTWARE_NAME };
}

function existingTiff(existing: Buffer | undefined): Tiff | undefined {
  if (existing === undefined || existing.length < EXIF_HEADER.length + 8 || !existing.subarray(0, EXIF_HEADER.length).equals(EXIF_HEADER)) return undefined;
  const bytes = existing.subarray(EXIF_HEADER.length);
  const order = bytes.toString('latin1', 0, 2);
  return order === 'II' || order === 'MM' ? new Tiff(bytes, order === 'II') : undefined;
}

interface Field {
  tag: number;
  type: number;
  count: number;
  /** The value, already in the block's byte order. */
  bytes: Buffer;
}

function asciiField(tag: number, text: string): Field {
  const bytes = Buffer.from(`${text}\0`, 'utf8');
  return { tag, type: ASCII, count: bytes.length, bytes };
}

/** Tags the Exif specification requires in a JPEG's IFD0, with the values it tells readers to assume when absent. */
function requiredFields(littleEndian: boolean): Field[] {
  const seventyTwo = Buffer.alloc(8);
  write32(seventyTwo, 0, 72, littleEndian);
  write32(seventyTwo, 4, 1, littleEndian);
  const short = (value: number) => {
    const bytes = Buffer.alloc(2);
    write16(bytes, 0, value, littleEndian);
    return bytes;
  };
  return [
    { tag: 0x011a, type: RATIONAL, count: 1, bytes: seventyTwo }, // XResolution 72
    { tag: 0x011b, type: RATIONAL, count: 1, bytes: seventyTwo }, // YResolution 72
    { tag: 0x0128, type: SHORT, count: 1, bytes: short(2) }, // ResolutionUnit: inches
    { tag: 0x0213, type: SHORT, count: 1, bytes: short(1) }, // YCbCrPositioning: centred
  ];
}

/**
 * The APP1 payload (starting with "Exif\0\0") carrying our tags, merged into `existing` (a previous APP1 Exif
 * payload) when given; undefined when `existing` cannot be merged or the result would not fit one segment.
 */
export function buildExif(description: string, software: string, existing?: Buffer): Buffer | undefined {
  const old = existingTiff(existing);
  if (existing !== undefined && old === undefined) return undefined;
  const ifd0 = old && readIfd0(old);
  if (old && !ifd0) return undefined;
  const merge = old !== undefined && ifd0 !== undefined && !ifd0.ours;
  const littleEndian = merge ? old.littleEndian : false;
  const base = merge ? old.bytes : Buffer.from('MM\0\x2a\0\0\0\0', 'latin1');
  const fields = [asciiField(IMAGE_DESCRIPTION, description), asciiField(SOFTWARE, software), ...(merge ? [] : requiredFields(littleEndian))];
  const kept = merge ? ifd0.kept : [];
  const ifdOffset = base.length + (base.length % 2);
  let valueOffset = ifdOffset + 2 + (kept.length + fields.length) * ENTRY_BYTES + 4;
  const values: Buffer[] = [];
  const entries = fields.map(({ tag, type, count, bytes }) => {
    const entry = Buffer.alloc(ENTRY_BYTES);
    write16(entry, 0, tag, littleEndian);
    write16(entry, 2, type, littleEndian);
    write32(entry, 4, count, littleEndian);
    if (bytes.length <= 4) {
      bytes.copy(entry, 8); // short values sit in the offset field itself
    } else {
      write32(entry, 8, valueOffset, littleEndian);
      values.push(bytes, Buffer.alloc(bytes.length % 2)); // values start on even offsets
      valueOffset += bytes.length + (bytes.length % 2);
    }
    return entry;
  });
  const tagOf = (entry: Buffer) => (littleEndian ? entry.readUInt16LE(0) : entry.readUInt16BE(0));
  const sorted = [...kept, ...entries].sort((a, b) => tagOf(a) - tagOf(b));
  const ifd = Buffer.alloc(2 + sorted.length * ENTRY_BYTES + 4);
  write16(ifd, 0, sorted.length, littleEndian);
  sorted.forEach((entry, index) => entry.copy(ifd, 2 + index * ENTRY_BYTES));
  write32(ifd, ifd.length - 4, merge ? ifd0.next : 0, littleEndian);
  const tiff = Buffer.concat([base, Buffer.alloc(ifdOffset - base.length), ifd, ...values]);
  write32(tiff, 4, ifdOffset, littleEndian);
  const payload = Buffer.concat([EXIF_HEADER, tiff]);
  return payload.length <= MAX_APP1_PAYLOAD ? payload : undefined;
}

function write16(buffer: Buffer, offset: number, value: number, littleEndian: boolean): void {
  if (littleEndian) buffer.writeUInt16LE(value, offset);
  else buffer.writeUInt16BE(value, offset);
}

function write32(buffer: Buffer, offset: number, value: number, littleEndian: boolean): void {
  if (littleEndian) buffer.writeUInt32LE(value, offset);
  else buffer.writeUInt32BE(value, offset);
}
