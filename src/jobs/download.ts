// Streams a result image to disk (never holding the whole file in memory, never more than the client's
// size cap), then proves it is a complete image before it takes its final name. A bad download leaves
// nothing behind. Failures to write on this computer are StorageErrors, not API errors.
import { createWriteStream, promises as fs } from 'fs';
import * as path from 'path';
import { Transform } from 'stream';
import { pipeline } from 'stream/promises';
import type { ApiframeApi } from '../api/client';
import { ApiError, isApiError } from '../api/errors';
import { renameReplacing, tempSiblingPath } from '../gallery/files';
import { ImageInfo, hasImageTrailer, sniffImage } from '../shared/imageInfo';

export interface StoredImage extends ImageInfo {
  fileName: string;
  byteSize: number;
}

const HEAD_BYTES = 256 * 1024;
const TAIL_BYTES = 16;

/** Keeps the first and last bytes of a stream as it passes through, and counts it, copying little. */
class Sampler extends Transform {
  private readonly headParts: Buffer[] = [];
  private headLength = 0;
  tail = Buffer.alloc(0);
  length = 0;

  get head(): Buffer {
    return Buffer.concat(this.headParts);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    if (this.headLength < HEAD_BYTES) {
      const part = Buffer.from(chunk.subarray(0, HEAD_BYTES - this.headLength));
      this.headParts.push(part);
      this.headLength += part.length;
    }
    // Only the last bytes matter: join the previous tail with at most TAIL_BYTES of this chunk.
    this.tail = Buffer.concat([this.tail, chunk.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES);
    this.length += chunk.length;
    this.push(chunk);
    callback();
  }
}

/** File-system error codes that mean "this computer cannot store the file", not "the network failed". */
const STORAGE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOENT', 'EISDIR', 'EMFILE']);

/**
 * Saving on this computer failed (disk full, folder not writable…): not a problem of the API, and the paid
 * job is kept. `code` is the system error code (ENOSPC, EACCES…); `kind` lets a UI tell it from an ApiError.
 */
export class StorageError extends Error {
  readonly kind = 'storage';

  constructor(readonly code: string) {
    const what = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : 'the storage folder is not writable';
    super(`Could not save the image on this computer: ${what} (${code}). Free some space or check the folder, then retry: the job is kept.`);
    this.name = 'StorageError';
  }
}

/** A StorageError for a file-system failure, or undefined for anything else. */
export function storageError(error: unknown): StorageError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code && STORAGE_CODES.has(code) ? new StorageError(code) : undefined;
}

export async function downloadImage(
  api: ApiframeApi,
  url: string,
  directory: string,
  baseName: string,
  signal?: AbortSignal,
): Promise<StoredImage> {
  const response = await api.fetchImage(url, { signal });
  const temp = tempSiblingPath(path.join(directory, baseName), 'part');
  const sampler = new Sampler();
  try {
    try {
      await pipeline(response.body, sampler, createWriteStream(temp), { signal });
    } catch (error) {
      if (signal?.aborted) throw new ApiError('cancelled', 'Cancelled.');
      // Typed by the client: over the size cap.
      if (isApiError(error)) throw error;
      throw storageError(error) ?? new ApiError('network', 'The image download was interrupted. Retrying.');
    }
    if (response.contentLength !== undefined && sampler.length !== response.contentLength) {
      throw new ApiError('network', `The image download was incomplete (${sampler.length} of ${response.contentLength} bytes). Retrying.`);
    }
    const head = sampler.head;
    const info = sniffImage(head);
    const riffLength = info?.format === 'webp' ? head.readUInt32LE(4) : undefined;
    if (!info || !hasImageTrailer(info.format, sampler.tail, sampler.length, riffLength)) {
      throw new ApiError('server', 'The server sent something that is not a complete image. Retrying.');
    }
    const fileName = `${baseName}.${info.format}`;
    try {
      await renameReplacing(temp, path.join(directory, fileName));
    } catch (error) {
      throw storageError(error) ?? error;
    }
    return { ...info, fileName, byteSize: sampler.length };
  } finally {
    // When the folder itself is unusable (ENOTDIR…) there is nothing to remove, and the first error is the one to report.
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}
