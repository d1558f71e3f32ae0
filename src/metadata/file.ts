// "Rewrite the head, stream the rest": a format module plans the new file as a list of pieces (new bytes, or
// byte ranges of the source), and this module writes them into a temporary sibling of the target through one
// reused buffer, then renames it into place. Memory stays at the new metadata bytes plus COPY_BUFFER_BYTES
// whatever the image's size, and a failure at any point leaves the target as it was and no temporary file.
import { promises as fs } from 'fs';
import { renameReplacing, tempSiblingPath } from '../gallery/files';
import { sniffImage } from '../shared/imageInfo';
import { MAX_IMAGE_BYTES } from '../shared/media';
import type { OutputFormat } from '../shared/options';
import { MetadataError, malformed } from './errors';

/** Largest block a format module may read at once (a metadata chunk), so a lying length never allocates much. */
export const MAX_BLOCK_BYTES = 1024 * 1024;
const COPY_BUFFER_BYTES = 256 * 1024;

export interface ByteRange {
  start: number;
  end: number;
}
export type Piece = Uint8Array | ByteRange;

/** An open image file read in bounded blocks. */
export class ImageFile {
  private constructor(
    private readonly handle: fs.FileHandle,
    readonly size: number,
    readonly format: OutputFormat,
  ) {}

  static async open(filePath: string): Promise<ImageFile> {
    const handle = await fs.open(filePath, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_IMAGE_BYTES) {
        throw new MetadataError('tooLarge', `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB, so its generation details were not added.`);
      }
      const head = Buffer.alloc(Math.min(size, 32));
      await handle.read(head, 0, head.length, 0);
      const format = sniffImage(head)?.format;
      if (format === undefined) throw new MetadataError('notAnImage', 'The file is not a PNG, JPEG or WebP image.');
      return new ImageFile(handle, size, format);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Exactly `length` bytes at `position`, or a typed error when the file ends first. */
  async read(position: number, length: number): Promise<Buffer> {
    if (length > MAX_BLOCK_BYTES) throw malformed('image', `a ${length}-byte header block`);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = position + length <= this.size ? await this.handle.read(buffer, 0, length, position) : { bytesRead: -1 };
    if (bytesRead !== length) throw this.truncated();
    return buffer;
  }

  truncated(): MetadataError {
    return new MetadataError('truncated', 'The image file ends early (an incomplete download or copy?), so its generation details were not added.');
  }

  async writePieces(pieces: readonly Piece[], target: string): Promise<void> {
    const out = await fs.open(target, 'wx');
    try {
      const buffer = Buffer.alloc(COPY_BUFFER_BYTES);
      for (const piece of pieces) {
        if (piece instanceof Uint8Array) {
          await writeAll(out, piece);
          continue;
        }
        for (let position = piece.start; position < piece.end; ) {
          const { bytesRead } = await this.handle.read(buffer, 0, Math.min(buffer.length, piece.end - position), position);
          if (bytesRead === 0) throw this.truncated(); // the file shrank after it was planned
          await writeAll(out, buffer.subarray(0, bytesRead));
          position += bytesRead;
        }
      }
      await out.datasync();
    } finally {
      await out.close();
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

async function writeAll(out: fs.FileHandle, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    offset += (await out.write(bytes, offset, bytes.length - offset)).bytesWritten;
  }
}

/**
 * Writes `target` from the pieces `plan` returns for `source`. `target` may be `source` itself (rewritten in
 * place). The target appears complete or not at all: temporary sibling, then rename.
 */
export async function rewriteImage(source: string, target: string, plan: (file: ImageFile) => Promise<Piece[]>): Promise<void> {
  const file = await ImageFile.open(source);
  const temp = tempSiblingPath(target);
  let open = true;
  try {
    await file.writePieces(await plan(file), temp);
    // Closed before the rename: Windows refuses to replace a file that is still open.
    open = false;
    await file.close();
    await renameReplacing(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  } finally {
    if (open) await file.close();
  }
}

/** Runs `read` on the file, closing it afterwards. */
export async function withImageFile<T>(filePath: string, read: (file: ImageFile) => Promise<T>): Promise<T> {
  const file = await ImageFile.open(filePath);
  try {
    return await read(file);
  } finally {
    await file.close();
  }
}

/** What every format writes: the XMP packet plus the plain fields that format has a standard place for. */
export interface Embedding {
  /** The XMP packet, UTF-8. */
  xmp: Buffer;
  /** The prompt as portable text (see portableText). */
  description: string;
  /** "Flux Studio <version>". */
  software: string;
  /** ISO 8601. */
  createdAt?: string;
}

export interface FormatHandler {
  /** The pieces of the new file: the source's bytes with the embedding in, any earlier one of ours out. */
  plan(file: ImageFile, embedding: Embedding): Promise<Piece[]>;
  /** The XMP packet found where this format keeps it, reading headers only. */
  readXmp(file: ImageFile): Promise<Buffer | undefined>;
}
