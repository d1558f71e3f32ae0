// Which windows can work on jobs: each window (extension host process) whose SecretStorage holds an API
// key leaves a small marker file — its host and pid, never anything of the key. Code-server keeps each
// window's secrets in memory from the moment the window opened, so a window opened before the key was set
// cannot read it; it hands its new jobs to a window that can (see JobEngine.start's `delegate`). The
// marker of a window that closed or crashed counts for nothing once its process is gone.
import { promises as fs } from 'fs';
import * as path from 'path';
import { isDeadOwner, parseJsonOrUndefined, readIfExists, thisProcess, writeFileAtomic, type ProcessOwner } from '../gallery/files';

export class KeyHolders {
  private readonly ownFile: string;

  constructor(private readonly dir: string) {
    this.ownFile = path.join(dir, `${process.pid}.json`);
  }

  /** This window has a key. */
  async announce(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.ownFile, JSON.stringify(thisProcess()));
  }

  /** This window has no key (any more), or is closing. */
  async withdraw(): Promise<void> {
    await fs.rm(this.ownFile, { force: true });
  }

  /** Whether another live window has a key. */
  async othersHaveKey(): Promise<boolean> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return false;
    }
    for (const name of names) {
      if (!/^\d+\.json$/.test(name) || name === path.basename(this.ownFile)) continue;
      const raw = await readIfExists(path.join(this.dir, name)).catch(() => undefined);
      const owner = parseJsonOrUndefined(raw) as Partial<ProcessOwner> | undefined;
      if (owner && typeof owner.pid === 'number' && !isDeadOwner(owner)) return true;
    }
    return false;
  }
}
