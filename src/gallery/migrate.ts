// Version 0.1.0 kept the whole gallery in one index.json that each window rewrote whole. On first
// start, its entries move into one file each; the old index stays beside them as a backup. Safe when
// two windows start at once (one lock), and after a crash half-way (an entry file that already exists
// is newer than the index and is kept).
import { promises as fs } from 'fs';
import * as path from 'path';
import { normalizeEntry } from '../shared/entry';
import { quarantine, readIfExists, withFileLock, writeFileAtomic } from './files';

export const LEGACY_INDEX = 'index.json';
export const LEGACY_BACKUP = 'index.json.migrated';

export interface MigrationResult {
  migrated: number;
  /** Entries of the old index that were not entries at all (dropped, kept in the backup). */
  unreadable: number;
  /** Where an index that could not be parsed was moved. */
  quarantinedAs?: string;
}

export async function migrateLegacyIndex(
  root: string,
  entryFile: (id: string) => string | undefined,
  lockFile: string,
): Promise<MigrationResult> {
  const index = path.join(root, LEGACY_INDEX);
  const result: MigrationResult = { migrated: 0, unreadable: 0 };
  if ((await readIfExists(index)) === undefined) return result; // the common case, without a lock
  return withFileLock(lockFile, async () => {
    const raw = await readIfExists(index);
    if (raw === undefined) return result; // another window migrated it while we waited
    let list: unknown[];
    try {
      const parsed = JSON.parse(raw) as { entries?: unknown };
      if (!Array.isArray(parsed.entries)) throw new Error('no entries');
      list = parsed.entries;
    } catch {
      result.quarantinedAs = await quarantine(index);
      return result;
    }
    for (const value of list) {
      const entry = normalizeEntry(value);
      const file = entry && entryFile(entry.id);
      if (!entry || !file) {
        result.unreadable++;
        continue;
      }
      if ((await readIfExists(file)) !== undefined) continue;
      await writeFileAtomic(file, JSON.stringify(entry));
      result.migrated++;
    }
    await fs.rename(index, path.join(root, LEGACY_BACKUP));
    return result;
  });
}
