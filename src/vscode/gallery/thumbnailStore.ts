// Stores the thumbnails the webview draws: only for a completed entry without one, only WebP of at most
// THUMBNAIL_MAX_BYTES; written atomically to thumbs/<id>.webp, then recorded as the entry's thumbFile.
import * as crypto from 'crypto';
import { writeFileAtomic } from '../../gallery/files';
import type { GalleryStore } from '../../gallery/store';
import { sniffImage } from '../../jobs/imageInfo';
import { THUMBNAIL_DATA_URL_PREFIX, THUMBNAIL_MAX_BYTES } from '../../protocol/gallery';
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
    const isWebp = sniffImage(bytes)?.format === 'webp';
    if (!isWebp || bytes.length > THUMBNAIL_MAX_BYTES) {
      this.log.warn(`Gallery: rejected a thumbnail for ${entry.id} (${isWebp ? 'too large' : 'not WebP'})`);
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
}

/** `<id>.webp` when the id is file-name safe (UUIDs are), else a hash of it. */
function thumbFileName(id: string): string {
  const safe = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : crypto.createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `${safe}.webp`;
}
