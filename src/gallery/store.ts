// The gallery's durable index: every generation, including unfinished jobs, in one JSON file with
// the images beside it. Writes go to a temporary file first and are renamed into place, so a crash
// never leaves a half-written index. Free of `vscode` so it can be tested in plain Node.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { GalleryEntry } from '../shared/entry';

const INDEX_FILE = 'index.json';
const INDEX_VERSION = 1;

export type GalleryChange =
  | { kind: 'upsert'; entry: GalleryEntry }
  | { kind: 'remove'; id: string };

export type GalleryListener = (change: GalleryChange) => void;

export class GalleryStore {
  private readonly entries = new Map<string, GalleryEntry>();
  private readonly listeners = new Set<GalleryListener>();
  /** Serialises index writes; each write snapshots the latest state. */
  private writeChain: Promise<void> = Promise.resolve();

  readonly imagesDir: string;
  readonly thumbsDir: string;

  constructor(readonly root: string) {
    this.imagesDir = path.join(root, 'images');
    this.thumbsDir = path.join(root, 'thumbs');
  }

  async load(): Promise<void> {
    await fs.mkdir(this.imagesDir, { recursive: true });
    await fs.mkdir(this.thumbsDir, { recursive: true });
    let raw: string;
    try {
      raw = await fs.readFile(path.join(this.root, INDEX_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = JSON.parse(raw) as { version?: number; entries?: GalleryEntry[] };
    for (const entry of parsed.entries ?? []) {
      if (entry && typeof entry.id === 'string') this.entries.set(entry.id, entry);
    }
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

  /** Adds or replaces an entry and resolves once the index is on disk. */
  async put(entry: GalleryEntry): Promise<GalleryEntry> {
    this.entries.set(entry.id, entry);
    this.emit({ kind: 'upsert', entry });
    await this.persist();
    return entry;
  }

  async update(id: string, patch: Partial<GalleryEntry>): Promise<GalleryEntry | undefined> {
    const current = this.entries.get(id);
    if (!current) return undefined;
    return this.put({ ...current, ...patch });
  }

  /**
   * Changes an entry in memory and tells listeners, without writing the index: for values that are
   * cheap to lose in a crash (progress), so polling does not rewrite the file every second.
   */
  updateTransient(id: string, patch: Partial<GalleryEntry>): GalleryEntry | undefined {
    const current = this.entries.get(id);
    if (!current) return undefined;
    const entry = { ...current, ...patch };
    this.entries.set(id, entry);
    this.emit({ kind: 'upsert', entry });
    return entry;
  }

  /** Removes the entry and its stored files. */
  async remove(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.emit({ kind: 'remove', id });
    await this.persist();
    const files = [entry.imageFile && this.imagePath(entry.imageFile), entry.thumbFile && this.thumbPath(entry.thumbFile)];
    await Promise.all(files.filter((file): file is string => !!file).map((file) => fs.rm(file, { force: true })));
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

  private emit(change: GalleryChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private persist(): Promise<void> {
    const write = this.writeChain.then(() => this.writeIndex());
    // Keep the chain alive after a failed write; the caller still sees the error.
    this.writeChain = write.catch(() => undefined);
    return write;
  }

  private async writeIndex(): Promise<void> {
    const body = JSON.stringify({ version: INDEX_VERSION, entries: [...this.entries.values()] });
    await writeFileAtomic(path.join(this.root, INDEX_FILE), body);
  }
}

/** Writes to a temporary sibling and renames it over the target, so readers never see half a file. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
