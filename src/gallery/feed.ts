// Tells the store when other windows changed entry files: fs.watch where the platform delivers
// events (changes show within ~50 ms), plus a periodic rescan for where it does not (network drives,
// some containers) or drops events. The rescan is cheap when nothing changed (one stat of the folder).
import { FSWatcher, watch } from 'fs';

export const ENTRY_FILE = /^([A-Za-z0-9_-]{1,64})\.json$/;

export interface FeedOptions {
  /** Rescan interval; keeps "another window's change shows within ~2 s" without fs.watch. */
  rescanMs: number;
  /** Use fs.watch as well (the rescan alone is enough for tests of the fallback). */
  watch: boolean;
}

export class ChangeFeed {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: string,
    /** Re-reads the given entry ids, or every entry when undefined. */
    private readonly refresh: (ids?: string[]) => Promise<void>,
    private readonly onError: (message: string) => void,
  ) {}

  start(options: FeedOptions): void {
    if (options.watch) this.startWatching();
    this.timer = setInterval(() => this.run(undefined), options.rescanMs);
    this.timer.unref();
  }

  private startWatching(): void {
    try {
      this.watcher = watch(this.directory, { persistent: false }, (_event, name) => {
        const id = name ? ENTRY_FILE.exec(String(name))?.[1] : undefined;
        if (!name) return this.run(undefined); // the platform did not say which file: look at all
        if (!id) return; // temporary files, locks, quarantined files
        this.pending.add(id);
        // A write is a rename (two events, sometimes more): read each file once, a moment later.
        this.flushTimer ??= setTimeout(() => {
          this.flushTimer = undefined;
          const ids = [...this.pending];
          this.pending.clear();
          this.run(ids);
        }, 30);
      });
      this.watcher.on('error', () => {
        this.onError('watching the gallery folder failed; other windows\' changes show through the periodic rescan');
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      this.onError('cannot watch the gallery folder here; other windows\' changes show through the periodic rescan');
    }
  }

  /** One refresh at a time, so a slow disk cannot pile rescans up. */
  private run(ids: string[] | undefined): void {
    this.running = this.running
      .then(() => this.refresh(ids))
      .catch((error) => this.onError(`reading other windows' changes failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  dispose(): void {
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.flushTimer);
  }
}
