// The gallery's durable record, shared by every VS Code window of a profile: one small JSON file per
// entry (entries/<id>.json), images and thumbnails beside them. No window ever rewrites another's
// entries: a create writes a new file, an update reads, merges and writes one file under that entry's
// cross-process lock, a remove deletes one file. Every write is atomic (temp + rename). Other windows'
// changes arrive through a change feed; list() and get() answer from memory. Free of `vscode`.
import { promises as fs } from 'fs';
import * as path from 'path';
import { GalleryEntry, parseEntry } from '../shared/entry';
import { SILENT_LOG, type Log } from '../shared/log';
import { ChangeFeed, ENTRY_FILE, FeedOptions } from './feed';
import { fileSignature, mapWithLimit, quarantine, readIfExists, removeStaleTempFiles, snapshotFiles, withFileLock, writeFileAtomic, type FileSnapshot } from './files';
import { FirstScreenCache } from './firstScreen';
import { migrateLegacyIndex } from './migrate';

export type GalleryChange =
  | { kind: 'upsert'; entry: GalleryEntry }
  | { kind: 'remove'; id: string };

export type GalleryListener = (change: GalleryChange) => void;

export interface StoreOptions extends Partial<FeedOptions> {
  log?: Log;
}

/** An update computed from the entry as it is on disk now (another window may have changed it). */
export type EntryPatch = Partial<GalleryEntry> | ((current: GalleryEntry) => Partial<GalleryEntry> | undefined);

/** Folder mtimes can be as coarse as 2 s (FAT); within that, an unchanged mtime proves nothing. */
const COARSE_MTIME_MS = 2_500;

export class GalleryStore {
  private readonly entries = new Map<string, GalleryEntry>();
  /** Text of each entry file as last read or written here: tells another window's change from our own. */
  private readonly onDisk = new Map<string, string>();
  /** stat signature of each entry file as last read, so a rescan reads only files that changed. */
  private readonly signatures = new Map<string, string>();
  private readonly listeners = new Set<GalleryListener>();
  /** Operations on one entry run one after another within this process (the file lock spans processes). */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly feed: ChangeFeed;
  private readonly log: Log;
  private scannedFolderMtime = -1;
  private lastScanStartedAt = 0;
  private loading = false;
  private loaded = false;

  readonly imagesDir: string;
  readonly thumbsDir: string;
  readonly entriesDir: string;
  private readonly locksDir: string;
  /** The newest entries in one file, for a gallery opened before this store has loaded (see firstScreen.ts). */
  readonly firstScreen: FirstScreenCache;

  constructor(readonly root: string, private readonly options: StoreOptions = {}) {
    this.imagesDir = path.join(root, 'images');
    this.thumbsDir = path.join(root, 'thumbs');
    this.entriesDir = path.join(root, 'entries');
    this.locksDir = path.join(root, 'locks');
    this.log = options.log ?? SILENT_LOG;
    this.feed = new ChangeFeed(this.entriesDir, (ids) => this.refresh(ids), (message) => this.log.warn(`Gallery: ${message}`));
    this.firstScreen = new FirstScreenCache(root, (count) => this.list().slice(0, count), this.log);
  }

  /** Reads every entry, after cleaning what a crash left and migrating a 0.1.0 index; then follows other windows. */
  async load(): Promise<void> {
    for (const dir of [this.imagesDir, this.thumbsDir, this.entriesDir, this.locksDir]) await fs.mkdir(dir, { recursive: true });
    const folders = (await fs.readdir(this.root, { withFileTypes: true })).filter((item) => item.isDirectory()).map((item) => path.join(this.root, item.name));
    const removed = await removeStaleTempFiles([this.root, ...folders]);
    if (removed.length) this.log.info(`Gallery: removed ${removed.length} temporary files left by an earlier crash`);
    const migration = await migrateLegacyIndex(this.root, (id) => this.entryFile(id), path.join(this.locksDir, '.migrate.lock'));
    if (migration.quarantinedAs) this.log.warn(`Gallery: the old index could not be read; it was moved to ${path.basename(migration.quarantinedAs)}`);
    if (migration.migrated) this.log.info(`Gallery: moved ${migration.migrated} entries from the old index into one file each`);
    if (migration.unreadable) this.log.warn(`Gallery: ${migration.unreadable} entries of the old index were unreadable (kept in its backup)`);
    this.loading = true;
    try {
      await this.refresh();
    } finally {
      this.loading = false;
    }
    this.loaded = true;
    await this.firstScreen.writeNow();
    this.feed.start({ rescanMs: this.options.rescanMs ?? 1_500, watch: this.options.watch ?? true });
  }

  /** Every entry has been read once (list() before that is empty, not the gallery). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  dispose(): void {
    this.feed.dispose();
    this.firstScreen.dispose();
    this.listeners.clear();
  }

  onDidChange(listener: GalleryListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Newest first. */
  list(): GalleryEntry[] {
    return [...this.entries.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): GalleryEntry | undefined {
    return this.entries.get(id);
  }

  findByJobId(jobId: string): GalleryEntry | undefined {
    for (const entry of this.entries.values()) if (entry.jobId === jobId) return entry;
    return undefined;
  }

  /** Adds a new entry; rejects (code EEXIST) if one with this id exists, so nothing is overwritten. */
  create(entry: GalleryEntry): Promise<GalleryEntry> {
    const file = this.entryFile(entry.id);
    if (!file) return Promise.reject(new Error(`Not a valid entry id: ${JSON.stringify(entry.id)}`));
    return this.serial(entry.id, () =>
      this.locked(entry.id, async () => {
        if ((await readIfExists(file)) !== undefined) throw Object.assign(new Error(`Entry ${entry.id} exists`), { code: 'EEXIST' });
        return this.write(entry);
      }),
    );
  }

  /**
   * Merges `patch` into the entry as it is on disk (so another window's fields are kept) and writes it.
   * Resolves undefined, writing nothing, when the entry no longer exists: an update never brings back
   * an entry another window removed. A function patch may return undefined to write nothing.
   */
  update(id: string, patch: EntryPatch): Promise<GalleryEntry | undefined> {
    const file = this.entryFile(id);
    if (!file) return Promise.resolve(undefined);
    return this.serial(id, () =>
      this.locked(id, async () => {
        const current = await this.readCurrent(id, file);
        if (!current) return undefined;
        const changes = typeof patch === 'function' ? patch(current) : patch;
        return changes ? this.write({ ...current, ...changes, id }) : current;
      }),
    );
  }

  /**
   * Changes an entry in memory and tells listeners, without writing: for values that are cheap to
   * lose in a crash (progress), so polling does not rewrite the file every second.
   */
  updateTransient(id: string, patch: Partial<GalleryEntry>): GalleryEntry | undefined {
    const current = this.entries.get(id);
    if (!current) return undefined;
    const entry = { ...current, ...patch, id };
    this.entries.set(id, entry);
    this.emit({ kind: 'upsert', entry });
    return entry;
  }

  /**
   * Removes the entry and its stored files. Resolves whether it was removed. `onlyIf` decides on the entry
   * as it is on disk now (a bulk action must not delete what another window starred meanwhile).
   */
  remove(id: string, onlyIf?: (current: GalleryEntry) => boolean): Promise<boolean> {
    const file = this.entryFile(id);
    if (!file) return Promise.resolve(false);
    return this.serial(id, () =>
      this.locked(id, async () => {
        const current = (await this.readCurrent(id, file)) ?? this.entries.get(id);
        if (onlyIf && !(current && onlyIf(current))) return false;
        await fs.rm(file, { force: true });
        this.forget(id);
        if (!current) return false;
        const files = [current.imageFile && this.imagePath(current.imageFile), current.thumbFile && this.thumbPath(current.thumbFile)];
        await Promise.all(files.filter((f): f is string => !!f).map((f) => fs.rm(f, { force: true })));
        return true;
      }),
    );
  }

  /** Deletes a stored image that no entry refers to (it arrived after its entry was removed). */
  async removeImageFile(fileName: string): Promise<void> {
    await fs.rm(this.imagePath(fileName), { force: true });
  }

  imagePath(fileName: string): string {
    return path.join(this.imagesDir, path.basename(fileName));
  }

  thumbPath(fileName: string): string {
    return path.join(this.thumbsDir, path.basename(fileName));
  }

  totalCreditsSpent(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.creditCost ?? 0;
    return total;
  }

  /**
   * Brings memory up to date with the entry files: the given ids, or every file (a rescan, cheap
   * when the folder has not changed since the last one).
   */
  async refresh(ids?: string[]): Promise<void> {
    if (ids) {
      await Promise.all(ids.map((id) => this.serial(id, () => this.readFromDisk(id, false))));
      return;
    }
    const folder = await fs.stat(this.entriesDir);
    if (folder.mtimeMs === this.scannedFolderMtime && this.lastScanStartedAt - folder.mtimeMs > COARSE_MTIME_MS) return;
    this.scannedFolderMtime = folder.mtimeMs;
    this.lastScanStartedAt = Date.now();
    const present = new Set<string>();
    for (const name of await fs.readdir(this.entriesDir)) {
      const id = ENTRY_FILE.exec(name)?.[1];
      if (id) present.add(id);
    }
    const gone = [...this.entries.keys()].filter((id) => !present.has(id));
    // The first scan reads every entry: batched synchronous reads are ~7× faster there (see snapshotFiles).
    const snapshots = this.entries.size === 0 ? await snapshotFiles([...present].map((id) => this.entryFile(id)!)) : undefined;
    await mapWithLimit([...present, ...gone], 32, (id) => this.serial(id, () => this.readFromDisk(id, true, snapshots?.get(this.entryFile(id)!))));
  }

  private entryFile(id: string): string | undefined {
    return ENTRY_FILE.test(`${id}.json`) ? path.join(this.entriesDir, `${id}.json`) : undefined;
  }

  private locked<T>(id: string, action: () => Promise<T>): Promise<T> {
    return withFileLock(path.join(this.locksDir, `${id}.lock`), action);
  }

  /** Runs operations on one entry in order within this process. */
  private serial<T>(id: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous.then(operation, operation);
    const tail = next.catch(() => undefined);
    this.queues.set(id, tail);
    void tail.then(() => this.queues.get(id) === tail && this.queues.delete(id));
    return next;
  }

  /** The entry as on disk (memory follows it), or undefined once it was removed. Call under the lock. */
  private async readCurrent(id: string, file: string): Promise<GalleryEntry | undefined> {
    const raw = await readIfExists(file);
    if (raw === undefined) {
      this.forget(id);
      return undefined;
    }
    const entry = parseEntry(raw, id);
    if (entry) {
      this.accept(id, raw, entry);
      return entry;
    }
    // Damaged on disk: keep the file aside and continue from the last good copy in memory.
    await this.quarantineEntry(file);
    return this.entries.get(id);
  }

  private async write(entry: GalleryEntry): Promise<GalleryEntry> {
    const raw = JSON.stringify(entry);
    await writeFileAtomic(this.entryFile(entry.id)!, raw);
    const stored = JSON.parse(raw) as GalleryEntry; // exactly what other windows will read
    this.accept(entry.id, raw, stored);
    return stored;
  }

  /** Another window may have changed, created or removed the file: read it and tell listeners. */
  private async readFromDisk(id: string, skipUnchanged: boolean, snapshot?: FileSnapshot): Promise<void> {
    const file = this.entryFile(id)!;
    const stat = snapshot ? undefined : await fs.stat(file).catch(() => undefined);
    const signature = snapshot?.signature ?? (stat && fileSignature(stat));
    if (skipUnchanged && signature && signature === this.signatures.get(id)) return;
    const raw = snapshot?.text ?? (stat && (await readIfExists(file)));
    if (raw === undefined) return this.forget(id);
    this.signatures.set(id, signature!);
    if (raw === this.onDisk.get(id)) return;
    const entry = parseEntry(raw, id);
    if (entry) return this.accept(id, raw, entry);
    await this.locked(id, async () => {
      const again = await readIfExists(file); // it may have been rewritten meanwhile
      if (again === undefined || parseEntry(again, id)) return;
      await this.quarantineEntry(file);
      const lastGood = this.entries.get(id);
      if (lastGood) await this.write(lastGood);
    });
  }

  private async quarantineEntry(file: string): Promise<void> {
    const aside = await quarantine(file);
    if (aside) this.log.warn(`Gallery: ${path.basename(file)} could not be read; moved it to ${path.basename(aside)}, the other entries are unaffected`);
  }

  /** Memory takes the disk's version (dropping transient changes); listeners hear of it if it differs. */
  private accept(id: string, raw: string, entry: GalleryEntry): void {
    this.onDisk.set(id, raw);
    const current = this.entries.get(id);
    if (current && JSON.stringify(current) === raw) return;
    this.entries.set(id, entry);
    this.emit({ kind: 'upsert', entry });
  }

  private forget(id: string): void {
    this.onDisk.delete(id);
    this.signatures.delete(id);
    if (this.entries.delete(id)) this.emit({ kind: 'remove', id });
  }

  private emit(change: GalleryChange): void {
    if (this.loading) return;
    for (const listener of this.listeners) listener(change);
    if (this.loaded) this.firstScreen.schedule();
  }
}
