// Writes the generation record into a PNG, JPEG or WebP file without touching its image data, and reads it
// back. Pure Node (no `vscode`): the job engine calls it on a downloaded result, the insert on a workspace copy.
import { MetadataError } from './errors';
import { Embedding, FormatHandler, ImageFile, rewriteImage, withImageFile } from './file';
import { jpeg } from './jpeg';
import { png } from './png';
import { GenerationRecord, SOFTWARE_NAME } from './record';
import { webp } from './webp';
import { buildXmpPacket, parseXmpPacket, portableText } from './xmp';

export { MetadataError } from './errors';
export type { MetadataErrorKind } from './errors';
export { MAX_IMAGE_BYTES } from '../shared/media';
export { optionsFromRecord, recordFromEntry } from './record';
export type { GenerationRecord } from './record';

const HANDLERS: Readonly<Record<ImageFile['format'], FormatHandler>> = { png, jpg: jpeg, webp };

/**
 * Writes `target` as `source` plus the generation record (`target` may equal `source`). The image data is
 * copied byte for byte; an earlier record of ours is replaced. Throws MetadataError for a file that is not a
 * complete PNG/JPEG/WebP (the target is then left as it was), and the file system's errors as they are.
 */
export async function embedMetadata(source: string, target: string, record: GenerationRecord, appVersion: string): Promise<void> {
  const software = portableText(`${SOFTWARE_NAME} ${appVersion}`);
  const embedding: Embedding = {
    xmp: Buffer.from(buildXmpPacket(record, software), 'utf8'),
    description: portableText(record.prompt),
    software,
    createdAt: record.createdAt,
  };
  await rewriteImage(source, target, (file) => HANDLERS[file.format].plan(file, embedding));
}

/**
 * The record Flux Studio wrote into an image, or undefined when there is none (another tool's metadata, no
 * metadata, not an image, a damaged file). Reads headers only, never the image data. File system errors
 * (missing file, no permission) are thrown as they are.
 */
export async function readMetadata(filePath: string): Promise<GenerationRecord | undefined> {
  try {
    const packet = await withImageFile(filePath, (file) => HANDLERS[file.format].readXmp(file));
    return packet === undefined ? undefined : parseXmpPacket(packet.toString('utf8'));
  } catch (error) {
    if (error instanceof MetadataError) return undefined;
    throw error;
  }
}
