// Stored thumbnails, shown from their bytes through blob: URLs: those the page shell carried, then, for
// cards rendered later, asked of the extension in one request for all the cards near the view. A request
// is sent only when the previous one has been answered, for the cards still rendered then, so a fast
// scroll never queues up images for cards that are long gone. The most recently shown are kept.
import {
  THUMBNAILS_PER_REQUEST,
  ThumbnailsRequest,
  type BootThumbnail,
  type EntryView,
} from '../protocol/gallery';
import { isWebp, parseThumbnailsResult } from '../protocol/validate';
import { request } from './vscodeApi';

/** blob: URLs kept; well above the cards the list renders at once. */
const KEEP = 300;

export interface StoredThumbnailsHost {
  /** Whether the entry's card is in the DOM (only those are asked for). */
  isRendered(id: string): boolean;
  /** The entry's thumbnail arrived, or will not: render its card again. */
  changed(id: string): void;
}

export class StoredThumbnails {
  /** The page shell's thumbnails (base64), decoded when their card is first rendered. */
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
      this.add(entry.id, fromBase64(webp));
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
    const url = this.urls.get(id);
    if (url) URL.revokeObjectURL(url);
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
    this.release(id);
    // Posted or decoded bytes sit in a plain ArrayBuffer (never a shared one).
    this.urls.set(id, URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/webp' })));
    for (const [old, url] of this.urls) {
      if (this.urls.size <= KEEP) break;
      URL.revokeObjectURL(url);
      this.urls.delete(old);
    }
  }
}

function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
