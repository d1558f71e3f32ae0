// Shared helpers for the gallery storage tests (single process, child processes, leases, import).
import type { Log } from '../../src/shared/log';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { GalleryEntry } from '../../src/shared/entry';
import type { GenerationOptions } from '../../src/shared/options';

export const OPTIONS: GenerationOptions = { prompt: 'a lighthouse, storage test', aspectRatio: '16:9', outputFormat: 'png', outputQuality: 90, raw: false };

export function entry(id: string, overrides: Partial<GalleryEntry> = {}): GalleryEntry {
  return { id, options: OPTIONS, state: 'completed', progress: 100, createdAt: 1_700_000_000_000, ...overrides };
}

export function tempGallery(prefix = 'flux-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The pid of a process that has exited (so it certainly is not alive now). */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/** Every file under `dir` whose name matches `pattern`, relative to `dir`. */
export function filesMatching(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const item of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, item.name);
      if (item.isDirectory()) walk(full);
      else if (pattern.test(item.name)) out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** Resolves once `condition` holds, polling every few milliseconds; rejects after `timeoutMs`. */
export async function waitUntil(condition: () => unknown, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
}

export interface LogLines extends Log {
  lines: string[];
}

export function captureLog(): LogLines {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) };
}

/** The multi-process fuzz (storeWorker.ts fuzz mode): N workers × M writes against one folder. */
export const FUZZ = { workers: 4, ownEntries: 12, updatesPerEntry: 5, sharedCounters: 3, increments: 10, doomed: 2 };

/** What a worker's store shows at the end: id → the fields the fuzz writes. */
export type WorkerView = Record<string, { progress: number; creditCost?: number }>;

/** Which of a worker's own entries it removes at the end. */
export function removedAtEnd(j: number): boolean {
  return j % 4 === 3;
}
