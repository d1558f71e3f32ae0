// Stored thumbnails, shown from their bytes: those the page shell carried (as data: URLs), then, for cards
// rendered later, asked of the extension (as blob: URLs) in one request for all the cards near the view. A request
// is sent only when the previous one has been answered, for the cards still rendered then, so a fast
// scroll never queues up images for cards that are long gone. The most recently shown are kept.
import {
  THUMBNAIL_DATA_URL_PREFIX,
  THUMBNAILS_PER_REQUEST,
  ThumbnailsRequest,
  type BootThumbnail,
  type EntryView,
} from '../protocol/gallery';
import { isWebp, parseThumbnailsResult } from '../protocol/validate';
import { request } from './vscodeApi';

/** Thumbnail URLs kept; well above the cards the list renders at once. */
const KEEP = 300;

export interface StoredThumbnailsHost {
  /** Whether the entry's card is in the DOM (only those are asked for). */
  isRendered(id: string): boolean;
  /** The entry's thumbnail arrived, or will not: render its card again. */
  changed(id: string): void;
}

export class StoredThumbnails {
  /**
   * The page shell's thumbnails (base64), shown as data: URLs: a blob: URL costs its bytes decoded in script
   * and the blob registered with the browser process, about 3 ms a thumbnail before the first screen.
   */
  private readonly boot: Map<string, string>;
  /** By entry id, least recently shown first. */
  private readonly urls = new Map<string, string>();
  /** Entries whose thumbnail the extension could not give: their cards use the stored file's URI. */
  private readonly unavailable = new Set<string>();
  private readonly wanted = new Set<string>();
  private requesting = false;

  constructor(
    boot: readonly BootThumbnail[],
    private readonly host: StoredThumbnailsHost,
  ) {
    this.boot = new Map(boot.map(({ entryId, webp }) => [entryId, webp]));
  }

  /** What the card of an entry with a stored thumbnail shows: undefined while its bytes are on their way. */
  src(entry: EntryView): string | undefined {
    const webp = this.boot.get(entry.id);
    if (webp !== undefined) {
      this.boot.delete(entry.id);
      if (isWebp(head(webp))) this.keep(entry.id, THUMBNAIL_DATA_URL_PREFIX + webp);
    }
    const url = this.urls.get(entry.id);
    if (url) {
      this.urls.delete(entry.id);
      this.urls.set(entry.id, url);
      return url;
    }
    if (this.unavailable.has(entry.id)) return entry.thumbUri;
    this.wanted.add(entry.id);
    if (!this.requesting) queueMicrotask(() => void this.ask());
    return undefined;
  }

  /** The entry left the gallery: its image goes too. */
  release(id: string): void {
    this.boot.delete(id);
    revoke(this.urls.get(id));
    this.urls.delete(id);
    this.unavailable.delete(id);
  }

  private async ask(): Promise<void> {
    if (this.requesting) return;
    for (const id of this.wanted) if (!this.host.isRendered(id) || this.urls.has(id)) this.wanted.delete(id);
    const ids = [...this.wanted].slice(0, THUMBNAILS_PER_REQUEST);
    if (!ids.length) return;
    for (const id of ids) this.wanted.delete(id);
    this.requesting = true;
    try {
      const result = parseThumbnailsResult(await request(ThumbnailsRequest, { entryIds: ids }), ids);
      for (const { entryId, bytes } of result ?? []) this.add(entryId, bytes);
    } catch {
      // Answered below like a missing thumbnail: the card falls back to the file's URI.
    } finally {
      this.requesting = false;
    }
    for (const id of ids) {
      if (!this.urls.has(id)) this.unavailable.add(id);
      this.host.changed(id);
    }
    // The rest, and cards rendered meanwhile (those scrolled away by now are not asked for).
    void this.ask();
  }

  private add(id: string, bytes: Uint8Array): void {
    if (!isWebp(bytes)) return;
    // Posted bytes sit in a plain ArrayBuffer (never a shared one).
    this.keep(id, URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/webp' })));
  }

  private keep(id: string, url: string): void {
    this.release(id);
    this.urls.set(id, url);
    for (const [old, oldUrl] of this.urls) {
      if (this.urls.size <= KEEP) break;
      revoke(oldUrl);
      this.urls.delete(old);
    }
  }
}

/** The first 48 bytes of a base64 text: enough to tell a WebP file and its size. */
function head(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64.slice(0, 64)), (c) => c.charCodeAt(0));
}

function revoke(url: string | undefined): void {
  if (url?.startsWith('blob:')) URL.revokeObjectURL(url);
}
