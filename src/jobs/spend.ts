// The daily spending ledger: what this machine spent on images today, shared by every window (one file per
// local day in the global storage, changed only under a cross-process lock and written by atomic rename), so
// the spending limit holds across windows and reloads. A request reserves its credits before any job starts
// (check and reservation are one locked step: two windows cannot both take the last credits); a job that
// failed is refunded by Apiframe, so its credits are given back, once per job id.
import { promises as fs } from 'fs';
import * as path from 'path';
import { parseJsonOrUndefined, readIfExists, withFileLock, writeFileAtomic } from '../gallery/files';

/** One local day's spending. */
export interface SpendDay {
  /** Credits reserved today, refunds deducted. */
  spent: number;
  /** Today's limit as the user raised it (over the setting), if they did. */
  raisedLimit?: number;
}

interface DayRecord {
  /** Credits reserved today, before refunds. */
  reserved: number;
  /** Credits given back, per failed attempt of a job (refunded once, whichever window sees it fail). */
  refunds: Record<string, number>;
  raisedLimit?: number;
}

export type Reservation = { ok: true; day: SpendDay } | { ok: false; day: SpendDay; limit: number };

/** Day files kept (older ones are removed when a new day starts). */
const DAYS_KEPT = 7;
/** A day file larger than this is damage, not a day's spending (a refund is ~50 bytes). */
const DAY_FILE_MAX_BYTES = 512 * 1024;
const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.json$/;

export class SpendLedger {
  constructor(
    private readonly directory: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Today's spending (read without the lock: a file is always whole). */
  async today(): Promise<SpendDay> {
    return view(await this.read(this.dayOf(this.now())));
  }

  /**
   * Reserves `credits` unless that takes today's spending past `limit` (the setting; 0 = no limit; a limit the
   * user raised today counts instead when higher). The check and the reservation are one locked step.
   */
  async reserve(credits: number, limit: number): Promise<Reservation> {
    const day = this.dayOf(this.now());
    return this.change(day, (record) => {
      const effective = limit === 0 ? 0 : Math.max(limit, record.raisedLimit ?? 0);
      if (effective > 0 && view(record).spent + credits > effective) return { ok: false, day: view(record), limit: effective };
      record.reserved += credits;
      return { ok: true, day: view(record) };
    });
  }

  /**
   * Gives back credits reserved at `reservedAt` for images that never became a job (the request was refused
   * before anything was sent): nothing was paid, so they do not count. Never below zero.
   */
  async release(credits: number, reservedAt: number): Promise<SpendDay> {
    return this.change(this.dayOf(reservedAt), (record) => {
      record.reserved = Math.max(0, record.reserved - credits);
      return view(record);
    });
  }

  /** Raises today's limit to `limit` (never lowers it); tomorrow the setting holds again. */
  async raiseToday(limit: number): Promise<SpendDay> {
    return this.change(this.dayOf(this.now()), (record) => {
      record.raisedLimit = Math.max(record.raisedLimit ?? 0, limit);
      return view(record);
    });
  }

  /**
   * Gives back a failed attempt's credits on the day it was started (`startedAt`); an attempt already
   * refunded (`attempt`: the job id and when it failed, as a job retried after failing is paid again), or a
   * day with nothing left to refund, changes nothing. Resolves whether it refunded now.
   */
  async refund(attempt: string, credits: number, startedAt: number): Promise<boolean> {
    return this.change(this.dayOf(startedAt), (record) => {
      if (Object.prototype.hasOwnProperty.call(record.refunds, attempt) || view(record).spent === 0) return false;
      record.refunds[attempt] = Math.min(credits, view(record).spent);
      return true;
    });
  }

  private async change<T>(day: string, update: (record: DayRecord) => T): Promise<T> {
    await fs.mkdir(this.directory, { recursive: true });
    return withFileLock(path.join(this.directory, 'ledger.lock'), async () => {
      const record = await this.read(day);
      const before = JSON.stringify(record);
      const result = update(record);
      if (JSON.stringify(record) !== before) {
        await writeFileAtomic(this.file(day), JSON.stringify(record));
        await this.removeOldDays();
      }
      return result;
    });
  }

  private async read(day: string): Promise<DayRecord> {
    const file = this.file(day);
    const size = (await fs.stat(file).catch(() => undefined))?.size ?? 0;
    const raw = size > DAY_FILE_MAX_BYTES ? undefined : await readIfExists(file);
    return parseDay(raw);
  }

  private async removeOldDays(): Promise<void> {
    const names = (await fs.readdir(this.directory)).filter((name) => DAY_FILE.test(name)).sort();
    for (const name of names.slice(0, Math.max(0, names.length - DAYS_KEPT))) await fs.rm(path.join(this.directory, name), { force: true });
  }

  private file(day: string): string {
    return path.join(this.directory, `${day}.json`);
  }

  /** The local calendar day (the user's "today"). */
  private dayOf(time: number): string {
    const date = new Date(time);
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function view(record: DayRecord): SpendDay {
  const refunded = Object.values(record.refunds).reduce((sum, credits) => sum + credits, 0);
  return { spent: Math.max(0, record.reserved - refunded), ...(record.raisedLimit ? { raisedLimit: record.raisedLimit } : {}) };
}

const isCredits = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * A day file as written by `change`; anything else counts as an empty day, except that a damaged file keeps
 * no raised limit (it can only be raised by the user again).
 */
export function parseDay(raw: string | undefined): DayRecord {
  const empty: DayRecord = { reserved: 0, refunds: {} };
  const parsed = parseJsonOrUndefined(raw);
  if (typeof parsed !== 'object' || parsed === null) return empty;
  const { reserved, refunds, raisedLimit } = parsed as Record<string, unknown>;
  const record: DayRecord = { reserved: isCredits(reserved) ? reserved : 0, refunds: {} };
  if (typeof refunds === 'object' && refunds !== null && !Array.isArray(refunds)) {
    for (const [id, credits] of Object.entries(refunds)) if (isCredits(credits)) record.refunds[id] = credits;
  }
  if (isCredits(raisedLimit) && raisedLimit > 0) record.raisedLimit = raisedLimit;
  return record;
}
