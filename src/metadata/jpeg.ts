// JPEG: after SOI and a leading JFIF APP0 (with its JFXX extension) come our APP1 Exif (merged with an existing
// one, see exif.ts) and our APP1 XMP; then every other segment in its order, and the scan data onwards byte for
// byte. An existing XMP packet (and its extended-XMP parts) is replaced: a file holds one packet, and ours
// describes how this image was made. Every other segment — ICC profile, Adobe, comments, C2PA — is kept.
import { MetadataError, malformed } from './errors';
import { EXIF_HEADER, MAX_APP1_PAYLOAD, buildExif } from './exif';
import { Embedding, FormatHandler, ImageFile, Piece } from './file';

const XMP_HEADER = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const EXTENDED_XMP_HEADER = Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1');
const APP0 = 0xe0;
const APP1 = 0xe1;
const SOS = 0xda;
/** Enough to tell the kinds of APP segments apart. */
const SIGNATURE_BYTES = EXTENDED_XMP_HEADER.length;
const MAX_SEGMENTS_BEFORE_SCAN = 1000;

interface Segment {
  marker: number;
  start: number;
  end: number;
  /** The first bytes of the payload. */
  signature: Buffer;
}

/** The segments between SOI and the first SOS, and where that SOS starts. Reads segment headers only. */
async function headSegments(file: ImageFile): Promise<{ segments: Segment[]; scan: number }> {
  if (file.size < 4) throw file.truncated();
  const end = await file.read(file.size - 2, 2);
  if (end[0] !== 0xff || end[1] !== 0xd9) throw file.truncated();
  const segments: Segment[] = [];
  for (let start = 2; segments.length <= MAX_SEGMENTS_BEFORE_SCAN; ) {
    if (start === file.size - 2) throw malformed('JPEG', 'no image data');
    const header = await file.read(start, 4);
    const marker = header[1];
    if (header[0] !== 0xff) throw malformed('JPEG', 'bytes between segments');
    if (marker === SOS) return { segments, scan: start };
    // No stand-alone markers (SOI, EOI, RSTn, TEM) or fill bytes belong in the head.
    if (marker === 0xff || marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) throw malformed('JPEG', 'a marker out of place');
    const length = header.readUInt16BE(2);
    if (length < 2) throw malformed('JPEG', 'a segment length under 2');
    const segmentEnd = start + 2 + length;
    if (segmentEnd > file.size - 2) throw file.truncated();
    const signature = marker === APP0 || marker === APP1 ? await file.read(start + 4, Math.min(length - 2, SIGNATURE_BYTES)) : Buffer.alloc(0);
    segments.push({ marker, start, end: segmentEnd, signature });
    start = segmentEnd;
  }
  throw malformed('JPEG', `more than ${MAX_SEGMENTS_BEFORE_SCAN} segments before the image data`);
}

function startsWith(segment: Segment, marker: number, header: Buffer): boolean {
  return segment.marker === marker && segment.signature.subarray(0, header.length).equals(header);
}

const isJfif = (segment: Segment) => segment.marker === APP0 && /^JF(IF|XX)\0/.test(segment.signature.toString('latin1', 0, 5));
const isExif = (segment: Segment) => startsWith(segment, APP1, EXIF_HEADER);
const isXmp = (segment: Segment) => startsWith(segment, APP1, XMP_HEADER) || startsWith(segment, APP1, EXTENDED_XMP_HEADER);

function app1(payload: Buffer): Buffer {
  const header = Buffer.from([0xff, APP1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

export const jpeg: FormatHandler = {
  async plan(file: ImageFile, embedding: Embedding): Promise<Piece[]> {
    const { segments, scan } = await headSegments(file);
    const xmpPayload = Buffer.concat([XMP_HEADER, embedding.xmp]);
    if (xmpPayload.length > MAX_APP1_PAYLOAD) {
      throw new MetadataError('tooLarge', 'The prompt is too long to fit in a JPEG metadata block, so its generation details were not added.');
    }
    const leading = segments.findIndex((segment) => !isJfif(segment));
    const jfif = leading < 0 ? segments : segments.slice(0, leading);
    const rest = segments.slice(jfif.length).filter((segment) => !isXmp(segment));
    const oldExif = rest.find(isExif);
    const exif = buildExif(embedding.description, embedding.software, oldExif && (await file.read(oldExif.start + 4, oldExif.end - oldExif.start - 4)));
    // An EXIF block we cannot merge stays where it was, untouched; the XMP packet still carries the record.
    const others = exif === undefined ? rest : rest.filter((segment) => segment !== oldExif);
    return [
      { start: 0, end: 2 },
      ...jfif.map(({ start, end }) => ({ start, end })),
      ...(exif === undefined ? [] : [app1(exif)]),
      app1(xmpPayload),
      ...others.map(({ start, end }) => ({ start, end })),
      { start: scan, end: file.size },
    ];
  },

  async readXmp(file: ImageFile): Promise<Buffer | undefined> {
    const segment = (await headSegments(file)).segments.find((item) => startsWith(item, APP1, XMP_HEADER));
    if (segment === undefined) return undefined;
    return (await file.read(segment.start + 4, segment.end - segment.start - 4)).subarray(XMP_HEADER.length);
  },
};
