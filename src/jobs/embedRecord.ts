// "The prompt lives in the file": once a result is downloaded and verified, and before its entry becomes
// `completed`, the generation record (prompt, model, the seed we sent, ratio, job id…) is written into the
// stored image in place. The image is paid for, so this never risks it: embedMetadata swaps the file only
// once the new one is complete, and any failure is logged and leaves the file exactly as downloaded.
import { promises as fs } from 'fs';
import { embedMetadata, recordFromEntry } from '../metadata';
import type { GalleryStore } from '../gallery/store';
import type { Log } from '../shared/log';

export interface MetadataEmbedding {
  /** Asked at each download: the user may turn it off at any time (fluxStudio.embedMetadata). */
  enabled(): boolean;
  /** Written after "Flux Studio" in the Software tag. */
  appVersion: string;
}

export interface EmbedContext {
  store: GalleryStore;
  log: Log;
  /** Absent: images are stored as downloaded. */
  metadata?: MetadataEmbedding;
}

/** Writes the record into the entry's stored image; resolves the file's new size, or undefined when nothing was written. */
export async function embedRecord(ctx: EmbedContext, entryId: string, jobId: string, fileName: string, completedAt: number): Promise<number | undefined> {
  const { store, metadata, log } = ctx;
  const entry = store.get(entryId);
  if (!metadata?.enabled() || !entry) return undefined;
  const file = store.imagePath(fileName);
  try {
    await embedMetadata(file, file, recordFromEntry({ ...entry, jobId: entry.jobId ?? jobId, completedAt }), metadata.appVersion);
    return (await fs.stat(file)).size;
  } catch (error) {
    const why = (error as { code?: unknown } | undefined)?.code ?? (error instanceof Error ? error.message : 'unexpected error');
    log.warn(`job ${jobId}: the generation record was not written into the image (${String(why)}); the image is kept as downloaded`);
    return undefined;
  }
}
