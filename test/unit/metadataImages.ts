// Test images for the metadata tests, made with sharp, and independent little parsers that split a file into
// its parts, so the tests can compare image data without trusting the code under test.
import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import sharp, { Sharp } from 'sharp';
import { promisify } from 'util';

export interface TestImage {
  name: string;
  file: string;
}

const FOREIGN_XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Someone Else</rdf:li></rdf:Seq></dc:creator>' +
  '</rdf:Description></rdf:RDF></x:xmpmeta>';
export const FOREIGN_EXIF = { IFD0: { Make: 'Acme', Model: 'Camera 1', ImageDescription: 'old description' } };

/** A JFIF APP0 segment (version 1.1, 72 × 72 dpi, no thumbnail). */
const JFIF_APP0 = Buffer.from('ffe000104a46494600010101004800480000', 'hex');

/** A small noisy picture (noise, so lossy encoders produce real scan data and pixels are easy to tell apart). */
function picture(alpha: boolean, width = 40, height = 30): Sharp {
  const channels = alpha ? 4 : 3;
  const raw = Buffer.alloc(width * height * channels);
  for (let index = 0; index < raw.length; index++) raw[index] = (index * 7919 + (index >> 5) * 104729) % 251;
  return sharp(raw, { raw: { width, height, channels } });
}

/** Every kind of input the writer must handle, written into `dir`. */
export async function makeImages(dir: string): Promise<TestImage[]> {
  const plain = await picture(false).jpeg({ quality: 80 }).toBuffer();
  const images: Array<[string, Promise<Buffer> | Buffer]> = [
    ['plain.png', picture(false).png().toBuffer()],
    ['alpha.png', picture(true).png().toBuffer()],
    ['with-metadata.png', picture(false).png().withExif(FOREIGN_EXIF).withXmp(FOREIGN_XMP).toBuffer()],
    ['plain.jpg', plain],
    ['jfif.jpg', Buffer.concat([plain.subarray(0, 2), JFIF_APP0, plain.subarray(2)])],
    ['with-metadata.jpg', picture(false).jpeg().withExif(FOREIGN_EXIF).withMetadata({ orientation: 6 }).withXmp(FOREIGN_XMP).withIccProfile('p3').toBuffer()],
    ['lossy.webp', picture(false).webp({ quality: 70 }).toBuffer()],
    ['lossless.webp', picture(false).webp({ lossless: true }).toBuffer()],
    ['lossless-alpha.webp', picture(true).webp({ lossless: true }).toBuffer()],
    ['lossy-alpha.webp', picture(true).webp({ quality: 70 }).toBuffer()],
    ['with-metadata.webp', picture(false).webp().withExif(FOREIGN_EXIF).withXmp(FOREIGN_XMP).toBuffer()],
  ];
  return Promise.all(
    images.map(async ([name, bytes]) => {
      const file = path.join(dir, name);
      await fs.writeFile(file, await bytes);
      return { name, file };
    }),
  );
}

/** A PNG of about `megabytes` MB (incompressible noise). */
export async function largePng(file: string, megabytes: number): Promise<void> {
  const side = Math.round(Math.sqrt((megabytes * 1024 * 1024) / 3));
  const raw = randomBytes(side * side * 3);
  await sharp(raw, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 1 }).toFile(file);
}

export interface Part {
  /** PNG chunk type, JPEG marker as "ffe1"…, WebP fourcc. */
  kind: string;
  /** The whole part (header included). */
  bytes: Buffer;
}

export function pngChunks(file: Buffer): Part[] {
  const parts: Part[] = [];
  for (let offset = 8; offset < file.length; ) {
    const end = offset + 12 + file.readUInt32BE(offset);
    parts.push({ kind: file.toString('latin1', offset + 4, offset + 8), bytes: file.subarray(offset, end) });
    offset = end;
  }
  return parts;
}

/** Segments up to the first SOS, then everything from SOS to the end as one part of kind "scan". */
export function jpegParts(file: Buffer): Part[] {
  const parts: Part[] = [];
  for (let offset = 2; offset < file.length; ) {
    if (file[offset + 1] === 0xda) {
      parts.push({ kind: 'scan', bytes: file.subarray(offset) });
      break;
    }
    const end = offset + 2 + file.readUInt16BE(offset + 2);
    parts.push({ kind: file.subarray(offset, offset + 2).toString('hex'), bytes: file.subarray(offset, end) });
    offset = end;
  }
  return parts;
}

export function webpChunks(file: Buffer): Part[] {
  const parts: Part[] = [];
  for (let offset = 12; offset < file.length; ) {
    const size = file.readUInt32LE(offset + 4);
    const end = offset + 8 + size + (size % 2);
    parts.push({ kind: file.toString('latin1', offset, offset + 4), bytes: file.subarray(offset, end) });
    offset = end;
  }
  return parts;
}

/** exiftool's JSON for several files in one run (group-1 names, e.g. "XMP-fluxstudio:Model"). */
export async function exiftool(files: string[]): Promise<Array<Record<string, unknown>>> {
  try {
    const { stdout } = await promisify(execFile)('exiftool', ['-json', '-G1', '-a', '-all', '-validate', ...files], { maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as Array<Record<string, unknown>>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error('exiftool is not installed: `apt-get install -y libimage-exiftool-perl` (scripts/setup-vscode.mjs installs it)');
  }
}

export async function pixels(file: string): Promise<Buffer> {
  return sharp(file).raw().toBuffer();
}
