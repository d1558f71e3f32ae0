// One window works on a job at a time. A window holds a lease per job it polls or downloads
// (leases/<id>.json: owner and expiry), renews it every few seconds, and gives it up when done or
// closing. A lease that was not renewed in time, or whose owner process is gone, is free: another
// window takes the job over. Acquiring and renewing happen under a short cross-process file lock.
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { isDeadOwner, readIfExists, thisProcess, withFileLock, writeFileAtomic } from '../gallery/files';
import { ENTRY_FILE } from '../gallery/feed';
import type { Clock } from './clock';

export interface LeaseTiming {
  /** A lease not renewed for this long is free. */
  ttlMs: number;
  /** Held leases are renewed this often (well under ttlMs). */
  renewMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 10_000, renewMs: 3_000 };

interface LeaseRecord {
  owner: string;
  host: string;
  pid: number;
  expiresAt: number;
}

export class LeaseManager {
  /** Unique per manager: two engines in one process (tests) are two owners. */
  readonly owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private readonly held = new Set<string>();
  private renewing: AbortController | undefined;
  /** The renewal pass under way, which releaseAll waits for (it could rewrite a lease just released). */
  private renewal: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: string,
    private readonly clock: Clock,
    private readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
    /** Called when a held lease turned out to be someone else's (this window stalled past its expiry). */
    private readonly onLost: (id: string) => void = () => undefined,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  holds(id: string): boolean {
    return this.held.has(id);
  }

  /** Takes the lease when nobody holds it (or its holder is gone). Resolves whether this manager holds it now. */
  async tryAcquire(id: string): Promise<boolean> {
    if (!ENTRY_FILE.test(`${id}.json`)) return false;
    await fs.mkdir(this.directory, { recursive: true });
    const acquired = await this.locked(id, async () => {
      const current = await this.read(id);
      if (current && current.owner !== this.owner && current.expiresAt > this.clock.now() && !isDeadOwner(current)) return false;
      await this.write(id);
      return true;
    });
    if (acquired) {
      this.held.add(id);
      this.keepRenewing();
    }
    return acquired;
  }

  /** Gives the lease up (if held), so another window may take the job at once. */
  async release(id: string): Promise<void> {
    if (!this.held.delete(id)) return;
    await this.locked(id, async () => {
      if ((await this.read(id))?.owner === this.owner) await fs.rm(this.file(id), { force: true });
    }).catch((error) => this.onError(`releasing the lease of ${id} failed: ${describe(error)}`));
  }

  async releaseAll(): Promise<void> {
    this.renewing?.abort();
    this.renewing = undefined;
    await this.renewal;
    await Promise.all([...this.held].map((id) => this.release(id)));
  }

  /** Renews every held lease now; a lease someone else holds meanwhile is given up and reported. */
  renewAll(): Promise<void> {
    this.renewal = this.renewal.then(() => this.renewHeld());
    return this.renewal;
  }

  private async renewHeld(): Promise<void> {
    for (const id of [...this.held]) {
      try {
        const still = await this.locked(id, async () => {
          if (!this.held.has(id)) return true; // released while this pass ran: its file must stay gone
          const current = await this.read(id);
          if (current && current.owner !== this.owner) return false;
          await this.write(id);
          return true;
        });
        if (!still && this.held.delete(id)) this.onLost(id);
      } catch (error) {
        // Keep working: the lease stays valid until it expires, and the next renewal may succeed.
        this.onError(`renewing the lease of ${id} failed: ${describe(error)}`);
      }
    }
  }

  private keepRenewing(): void {
    if (this.renewing) return;
    const controller = new AbortController();
    this.renewing = controller;
    void (async () => {
      while (this.held.size > 0 && !controller.signal.aborted) {
        await this.clock.sleep(this.timing.renewMs, controller.signal);
        await this.renewAll();
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        if (this.renewing === controller) this.renewing = undefined;
      });
  }

  private file(id: string): string {
    return path.join(this.directory, `${id}.json`);
  }

  private locked<T>(id: string, action: () => Promise<T>): Promise<T> {
    return withFileLock(path.join(this.directory, `${id}.lock`), action);
  }

  private async read(id: string): Promise<LeaseRecord | undefined> {
    const raw = await readIfExists(this.file(id));
    if (raw === undefined) return undefined;
    try {
      const record = JSON.parse(raw) as Partial<LeaseRecord>;
      return typeof record.owner === 'string' && typeof record.expiresAt === 'number' ? (record as LeaseRecord) : undefined;
    } catch {
      return undefined; // unreadable: free (leases are rewritten whole, so this is damage, not a writer mid-way)
    }
  }

  private async write(id: string): Promise<void> {
    const record: LeaseRecord = { owner: this.owner, ...thisProcess(), expiresAt: this.clock.now() + this.timing.ttlMs };
    await writeFileAtomic(this.file(id), JSON.stringify(record));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
