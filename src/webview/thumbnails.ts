// Thumbnails are made once, here, the first time a card without one scrolls into view: the stored
// image is loaded into an offscreen <img> (crossOrigin, so the canvas stays untainted — VS Code's
// resource service worker answers with Access-Control-Allow-Origin: *), drawn ~320 px wide and posted
// back as WebP; the extension stores it in thumbs/ and sends the entry again with its thumbUri.
// If that fails (tainted canvas, no WebP encoder, too large), the card shows the full image scaled down.
import {
  THUMBNAIL_DATA_URL_MAX_LENGTH,
  THUMBNAIL_DATA_URL_PREFIX,
  THUMBNAIL_WIDTH,
  ThumbnailFailedCommand,
  ThumbnailRequest,
  type EntryView,
} from '../protocol/gallery';
import { request, send } from './vscodeApi';

const CONCURRENCY = 2;

export class ThumbnailMaker {
  private readonly observer: IntersectionObserver;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly sources = new Map<string, string>();
  private readonly failed = new Set<string>();
  private active = 0;

  constructor(private readonly onFailed: (id: string) => void) {
    this.observer = new IntersectionObserver((records) => this.onIntersect(records), { rootMargin: '400px 0px' });
  }

  /** True when this entry's thumbnail could not be made: show the full image. */
  hasFailed(id: string): boolean {
    return this.failed.has(id);
  }

  /** Watches a card that needs a thumbnail; it is made when the card comes near the viewport. */
  watch(card: HTMLElement, entry: EntryView): void {
    if (entry.thumbUri || !entry.imageUri || this.failed.has(entry.id)) return;
    this.sources.set(entry.id, entry.imageUri);
    this.observer.observe(card);
  }

  unwatch(card: HTMLElement): void {
    this.observer.unobserve(card);
  }

  private onIntersect(records: IntersectionObserverEntry[]): void {
    for (const record of records) {
      if (!record.isIntersecting) continue;
      const card = record.target as HTMLElement;
      this.observer.unobserve(card);
      const id = card.dataset.id;
      if (!id || this.queued.has(id) || this.failed.has(id)) continue;
      this.queued.add(id);
      this.queue.push(id);
    }
    this.pump();
  }

  private pump(): void {
    while (this.active < CONCURRENCY && this.queue.length) {
      const id = this.queue.shift()!;
      const src = this.sources.get(id);
      if (!src) continue;
      this.active++;
      void this.make(id, src).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async make(id: string, src: string): Promise<void> {
    const img = new Image();
    img.crossOrigin = 'anonymous';
    img.decoding = 'async';
    img.src = src;
    try {
      await img.decode();
      const width = Math.min(THUMBNAIL_WIDTH, img.naturalWidth);
      const height = Math.max(1, Math.round((img.naturalHeight * width) / img.naturalWidth));
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d canvas');
      context.imageSmoothingQuality = 'high';
      context.drawImage(img, 0, 0, width, height);
      let dataUrl = canvas.toDataURL('image/webp', 0.8);
      if (dataUrl.length > THUMBNAIL_DATA_URL_MAX_LENGTH) dataUrl = canvas.toDataURL('image/webp', 0.5);
      if (!dataUrl.startsWith(THUMBNAIL_DATA_URL_PREFIX)) throw new Error('no WebP encoder');
      if (dataUrl.length > THUMBNAIL_DATA_URL_MAX_LENGTH) throw new Error('thumbnail too large');
      void request(ThumbnailRequest, { entryId: id, dataUrl }).then(
        ({ stored }) => stored || this.fail(id, 'the extension did not store the thumbnail', false),
        () => this.fail(id, 'the extension did not store the thumbnail', false),
      );
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.fail(id, reason, true);
    } finally {
      img.src = '';
    }
  }

  private fail(id: string, reason: string, report: boolean): void {
    this.failed.add(id);
    if (report) send(ThumbnailFailedCommand, { entryId: id, reason: reason.slice(0, 400) });
    this.onFailed(id);
  }
}
