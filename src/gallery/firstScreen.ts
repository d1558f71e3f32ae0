// The gallery's newest entries in one small file (first-screen.json beside entries/), so a gallery opened
// before the store has read its thousands of entry files can show its first screen at once. It is a cache:
// rewritten (atomically) by whichever window's loaded store changes, read only to draw a first screen that
// the full list then replaces. A stale or damaged file costs at most a moment of an old card, never an entry.
import * as path from 'path';
import { BOOT_ENTRIES } from '../protocol/gallery';
import { normalizeEntry, type GalleryEntry } from '../shared/entry';
import type { Log } from '../shared/log';
import { parseJsonOrUndefined, readSmallText, writeFileAtomic } from './files';

/** 24 entries of ~1–3 KB each; a larger file is not ours to trust. */
const FIRST_SCREEN_MAX_BYTES = 256 * 1024;
/** Changes come in bursts (a load, a batch of jobs): one write after they settle. */
const WRITE_DELAY_MS = 500;
const FORMAT_VERSION = 1;

export class FirstScreenCache {
  readonly file: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastWritten: string | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    root: string,
    private readonly newest: (count: number) => GalleryEntry[],
    private readonly log: Log,
  ) {
    this.file = path.join(root, 'first-screen.json');
  }

  /** The newest entries as last written by any window; empty when there is no usable file. */
  async read(): Promise<GalleryEntry[]> {
    const parsed = parseJsonOrUndefined(await readSmallText(this.file, FIRST_SCREEN_MAX_BYTES).catch(() => undefined)) as { version?: unknown; entries?: unknown } | undefined;
    if (parsed?.version !== FORMAT_VERSION || !Array.isArray(parsed.entries)) return [];
    return parsed.entries
      .slice(0, BOOT_ENTRIES)
      .map((value) => normalizeEntry(value))
      .filter((entry): entry is GalleryEntry => entry !== undefined);
  }

  /** The store changed: the file follows once the changes settle. */
  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.writeNow();
    }, WRITE_DELAY_MS);
  }

  /** Writes the newest entries now (after a load), unless the file already says the same. */
  writeNow(): Promise<void> {
    this.writing = this.writing.then(async () => {
      // Without a running job's progress: it changes every second and the full list follows within one anyway.
      const entries = this.newest(BOOT_ENTRIES).map(({ progress: _progress, ...entry }) => entry);
      const text = JSON.stringify({ version: FORMAT_VERSION, entries });
      // Another window may have written the same a moment ago (every loaded store follows every change).
      this.lastWritten ??= await readSmallText(this.file, FIRST_SCREEN_MAX_BYTES).catch(() => undefined);
      if (text === this.lastWritten) return;
      try {
        await writeFileAtomic(this.file, text);
        this.lastWritten = text;
      } catch (error) {
        this.log.warn(`Gallery: could not write ${path.basename(this.file)} (${error instanceof Error ? error.message : String(error)}); the gallery opens without it`);
      }
    });
    return this.writing;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
