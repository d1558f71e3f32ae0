// One window works on a job at a time. A window holds a lease per job it polls or downloads
// (leases/<id>.json: owner and a first expiry) and gives it up when done or closing. While it holds any, it
// renews one heartbeat (leases/<owner>.beat) every few seconds: a lease is held while its owner's heartbeat
// (or its own first expiry) is fresh and its owner process lives. So a renewal costs one write however many
// jobs run (renewing 10,000 lease files one by one took 24 s, past their 10 s expiry). Only a window whose
// heartbeat may have lapsed (it stalled) checks each lease again, and gives up those taken over meanwhile.
// Acquiring and checking a lease happen under a short cross-process file lock.
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { isDeadOwner, parseJsonOrUndefined, readIfExists, thisProcess, withFileLock, writeFileAtomic } from '../gallery/files';
import { ENTRY_FILE } from '../gallery/feed';
import type { Clock } from './clock';

export interface LeaseTiming {
  /** A lease not renewed for this long is free. */
  ttlMs: number;
  /** The heartbeat is renewed this often (well under ttlMs). */
  renewMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 10_000, renewMs: 3_000 };

interface LeaseRecord {
  owner: string;
  host: string;
  pid: number;
  started?: string;
  expiresAt: number;
}

/** A heartbeat must land this long before the previous one expires, or the held leases are checked again. */
const LAPSE_MARGIN = 0.25;

export class LeaseManager {
  /** Unique per manager: two engines in one process (tests) are two owners. */
  readonly owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private readonly held = new Set<string>();
  private renewing: AbortController | undefined;
  /** The renewal pass under way, which releaseAll waits for (it could rewrite a lease just released). */
  private renewal: Promise<void> = Promise.resolve();
  /** When this manager's last written heartbeat expires (0: none written). */
  private beatExpiresAt = 0;

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
    // A fresh heartbeat before the lease, so the lease is never without one.
    if (this.beatExpiresAt - this.clock.now() < this.timing.ttlMs * (1 - LAPSE_MARGIN)) await this.beat();
    const acquired = await this.locked(id, async () => {
      const current = await this.read(id);
      if (current && current.owner !== this.owner && (await this.isHeldByOther(current))) return false;
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
    this.beatExpiresAt = 0;
    await fs.rm(this.beatFile(this.owner), { force: true }).catch(() => undefined);
  }

  /** Renews every held lease now; a lease someone else holds meanwhile is given up and reported. */
  renewAll(): Promise<void> {
    this.renewal = this.renewal.then(() => this.renewHeld());
    return this.renewal;
  }

  private async renewHeld(): Promise<void> {
    if (this.held.size === 0) return; // all released while the pass waited: nothing to keep alive
    const previousExpiry = this.beatExpiresAt;
    try {
      await this.beat();
    } catch (error) {
      // Keep working: the heartbeat stays valid until it expires, and the next renewal may succeed.
      return this.onError(`renewing the heartbeat failed: ${describe(error)}`);
    }
    // Landed well before the previous beat expired: no other window could have taken a lease meanwhile.
    if (this.clock.now() < previousExpiry - this.timing.ttlMs * LAPSE_MARGIN) return;
    await this.recheckHeld();
  }

  /** After a possible lapse: gives up the leases another window took over, and rewrites the others. */
  private async recheckHeld(): Promise<void> {
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
        // Keep working: the heartbeat holds the lease, and the next check may succeed.
        this.onError(`checking the lease of ${id} failed: ${describe(error)}`);
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

  private beatFile(owner: string): string {
    return path.join(this.directory, `${owner}.beat`);
  }

  /** Someone else's lease still counts: its owner process lives, and its first expiry or its owner's heartbeat is ahead. */
  private async isHeldByOther(lease: LeaseRecord): Promise<boolean> {
    if (isDeadOwner(lease)) return false;
    const now = this.clock.now();
    if (lease.expiresAt > now) return true;
    // Owner names are made by LeaseManager; anything else in a lease file is damage, not a path to follow.
    if (!/^[0-9]+-[0-9a-f]{12}$/.test(lease.owner)) return false;
    const raw = await readIfExists(this.beatFile(lease.owner));
    const expiresAt = (parseJsonOrUndefined(raw) as Partial<LeaseRecord> | undefined)?.expiresAt;
    return typeof expiresAt === 'number' && expiresAt > now;
  }

  private async beat(): Promise<void> {
    const expiresAt = this.clock.now() + this.timing.ttlMs;
    await writeFileAtomic(this.beatFile(this.owner), JSON.stringify({ owner: this.owner, ...thisProcess(), expiresAt }));
    this.beatExpiresAt = expiresAt;
  }

  private locked<T>(id: string, action: () => Promise<T>): Promise<T> {
    return withFileLock(path.join(this.directory, `${id}.lock`), action);
  }

  private async read(id: string): Promise<LeaseRecord | undefined> {
    const raw = await readIfExists(this.file(id));
    if (raw === undefined) return undefined;
    // Unreadable: free (leases are rewritten whole, so this is damage, not a writer mid-way).
    const record = parseJsonOrUndefined(raw) as Partial<LeaseRecord> | undefined;
    return typeof record?.owner === 'string' && typeof record.expiresAt === 'number' ? (record as LeaseRecord) : undefined;
  }

  private async write(id: string): Promise<void> {
    const record: LeaseRecord = { owner: this.owner, ...thisProcess(), expiresAt: this.clock.now() + this.timing.ttlMs };
    await writeFileAtomic(this.file(id), JSON.stringify(record));
  }
}


function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
