// The gallery's stored thumbnails, as the webview needs them. It draws one for each completed entry
// without one; those are saved here only when WebP of at most THUMBNAIL_MAX_BYTES, written atomically
// to thumbs/<id>.webp, then recorded as the entry's thumbFile. And it shows them from their bytes, read here.
import * as crypto from 'crypto';
import { readSmallBytes, writeFileAtomic } from '../../gallery/files';
import type { GalleryStore } from '../../gallery/store';
import { THUMBNAIL_DATA_URL_PREFIX, THUMBNAIL_MAX_BYTES, type ThumbnailBytes } from '../../protocol/gallery';
import { isWebp } from '../../protocol/validate';
import type { GalleryEntry } from '../../shared/entry';
import type { Log } from '../../shared/log';

export class ThumbnailStore {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly store: GalleryStore,
    private readonly log: Log,
  ) {}

  /** Whether the thumbnail was stored. */
  async save(entry: GalleryEntry, dataUrl: string): Promise<boolean> {
    if (entry.thumbFile || entry.state !== 'completed' || !entry.imageFile || this.inFlight.has(entry.id)) return false;
    const bytes = Buffer.from(dataUrl.slice(THUMBNAIL_DATA_URL_PREFIX.length), 'base64');
    const isWebpFile = isWebp(bytes);
    if (!isWebpFile || bytes.length > THUMBNAIL_MAX_BYTES) {
      this.log.warn(`Gallery: rejected a thumbnail for ${entry.id} (${isWebpFile ? 'too large' : 'not WebP'})`);
      return false;
    }
    this.inFlight.add(entry.id);
    try {
      const fileName = thumbFileName(entry.id);
      await writeFileAtomic(this.store.thumbPath(fileName), bytes);
      if (!this.store.get(entry.id)) return false; // deleted meanwhile; its files went with it
      await this.store.update(entry.id, { thumbFile: fileName });
      return true;
    } finally {
      this.inFlight.delete(entry.id);
    }
  }

  /**
   * The stored thumbnails of `entries`, in their order, while they fit `budget` bytes in all; missing,
   * unreadable, oversized or non-WebP files are left out (the webview then falls back to the file's URI).
   */
  async read(entries: readonly GalleryEntry[], budget = Infinity): Promise<ThumbnailBytes[]> {
    const files = await Promise.all(entries.map((entry) => (entry.thumbFile ? readThumbnail(this.store.thumbPath(entry.thumbFile)) : undefined)));
    const thumbnails: ThumbnailBytes[] = [];
    entries.forEach((entry, i) => {
      const bytes = files[i];
      if (!bytes || !isWebp(bytes) || bytes.length > budget) return;
      budget -= bytes.length;
      thumbnails.push({ entryId: entry.id, bytes });
    });
    return thumbnails;
  }
}

/** `<id>.webp` when the id is file-name safe (UUIDs are), else a hash of it. */
function thumbFileName(id: string): string {
  const safe = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : crypto.createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `${safe}.webp`;
}

/** The file's bytes (a fresh array, posted as is) when it holds at most THUMBNAIL_MAX_BYTES, else undefined (also when unreadable). */
async function readThumbnail(file: string): Promise<Uint8Array | undefined> {
  const bytes = await readSmallBytes(file, THUMBNAIL_MAX_BYTES).catch(() => undefined);
  return bytes && new Uint8Array(bytes);
}
