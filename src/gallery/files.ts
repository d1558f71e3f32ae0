// File primitives for storage that several VS Code windows (processes) share: atomic writes, a short
// cross-process lock, quarantine of unreadable files, and cleanup of temporary files a crash left.
// Temporary names carry the writer's pid, so a cleanup never removes what a live window is writing.
import { randomBytes } from 'crypto';
import { promises as fs, readFileSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The temporary sibling a write goes to before renameReplacing puts it in place: `<target>.<pid>.<random>.tmp`
 * (`.part` for a download still streaming) — the shape removeStaleTempFiles recognises.
 */
export function tempSiblingPath(target: string, kind: 'tmp' | 'part' = 'tmp'): string {
  return `${target}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`;
}

/** Writes to a temporary sibling, flushes it, and renames it over the target: readers see the old or the new file, never half. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempSiblingPath(target);
  try {
    await fs.writeFile(temp, data, { flush: true });
    await renameReplacing(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/**
 * Renames `from` over `to`, the one way every atomic write ends. Windows refuses a rename for a moment while
 * another process (a reader, a virus scanner) has the target open: retried a few times there.
 */
export async function renameReplacing(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 10 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw error;
      await delay(10 * attempt);
    }
  }
}

/** What identifies one version of a file cheaply (a rewrite changes the inode, the time or the size). */
export function fileSignature(stat: { ino: number; mtimeMs: number; size: number }): string {
  return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
}

export interface FileSnapshot {
  signature: string;
  text: string;
}

/**
 * Stats and reads many small files synchronously, in batches of a few milliseconds with a yield between
 * them. For 10,000 gallery entries this took 80 ms where the promise API took 580 ms (each readFile is
 * several trips through libuv's 4 threads); the yields keep the extension host responsive. Files that
 * cannot be read are left out (the caller reads them the usual way).
 */
export async function snapshotFiles(files: readonly string[], batchSize = 200): Promise<Map<string, FileSnapshot>> {
  const snapshots = new Map<string, FileSnapshot>();
  for (let start = 0; start < files.length; start += batchSize) {
    for (const file of files.slice(start, start + batchSize)) {
      try {
        snapshots.set(file, { signature: fileSignature(statSync(file)), text: readFileSync(file, 'utf8') });
      } catch {
        // gone or unreadable: left to the caller
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return snapshots;
}

/** A file's text when it holds at most `maxBytes` (reading no more than that), else undefined (also when missing). */
export async function readSmallText(file: string, maxBytes: number): Promise<string | undefined> {
  return (await readSmallBytes(file, maxBytes))?.toString('utf8');
}

/** A file's bytes when it holds at most `maxBytes` (reading no more than that), else undefined (also when missing). */
export async function readSmallBytes(file: string, maxBytes: number): Promise<Buffer | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return undefined;
    // One byte more than the file's size: reading it means the file grew meanwhile, and is refused.
    const buffer = Buffer.alloc(size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return length > size ? undefined : buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** Reads a file, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Moves an unreadable file aside (`<name>.corrupt-<time>`) so it is kept for inspection and never read again. */
export async function quarantine(file: string): Promise<string | undefined> {
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    await fs.rename(file, aside);
    return aside;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // another window moved it first
    throw error;
  }
}

/** True unless the process certainly does not exist (signal 0 only checks; EPERM means it exists). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The owner written into lock and lease files, so another process can tell a crashed owner from a live one. */
export interface ProcessOwner {
  host: string;
  pid: number;
  /** When the process started (kernel clock ticks since boot, where the system tells): a reused pid has another. */
  started?: string;
}

let ownStart: string | undefined;

export function thisProcess(): ProcessOwner {
  ownStart ??= processStartTime(process.pid);
  return { host: os.hostname(), pid: process.pid, ...(ownStart ? { started: ownStart } : {}) };
}

/**
 * A process on this computer that no longer exists, or whose pid now belongs to a process started at another
 * time (pids are reused). Another computer's processes cannot be checked.
 */
export function isDeadOwner(owner: Partial<ProcessOwner> | undefined): boolean {
  if (!owner || owner.host !== os.hostname() || typeof owner.pid !== 'number') return false;
  if (!isProcessAlive(owner.pid)) return true;
  const started = typeof owner.started === 'string' ? processStartTime(owner.pid) : undefined;
  return started !== undefined && started !== owner.started;
}

/** The start time of a process from /proc (Linux); undefined where the system does not say. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: the start time is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** `<name>.<pid>.<anything>.tmp|part`: the temporary names of writeFileAtomic and of image downloads. */
const TEMP_NAME = /\.(\d+)\.[^.]+\.(tmp|part)$/;
/** A temporary file untouched for this long is abandoned even if its pid is alive (pids are reused). */
const ABANDONED_AFTER_MS = 60 * 60_000;

/**
 * Removes temporary files left by a crash: those whose writer process is gone, or that nobody has
 * touched for an hour. A file another live window is writing right now is left alone. Returns the
 * names removed.
 */
export async function removeStaleTempFiles(directories: readonly string[], now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const directory of directories) {
    let names: string[];
    try {
      names = await fs.readdir(directory);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/\.(tmp|part)$/.test(name)) continue;
      const file = path.join(directory, name);
      const pid = TEMP_NAME.exec(name)?.[1];
      const writerGone = pid !== undefined && !isProcessAlive(Number(pid));
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat || (!writerGone && now - stat.mtimeMs < ABANDONED_AFTER_MS)) continue;
      await fs.rm(file, { force: true });
      removed.push(file);
    }
  }
  return removed;
}

export interface LockOptions {
  /** A lock older than this is abandoned (its holder hung or crashed). Locks are held for milliseconds. */
  staleMs?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
}

const DEFAULT_LOCK: Required<LockOptions> = { staleMs: 10_000, timeoutMs: 15_000 };
const UNWRITTEN_LOCK_MS = 1_000;

/**
 * Runs `action` while holding a cross-process lock: a file created exclusively (`wx`), holding its
 * owner. A lock whose owner died, or older than `staleMs`, is broken — under a second exclusive
 * "breaker" file, so two waiters cannot both break it and then both hold it.
 */
export async function withFileLock<T>(lockFile: string, action: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { staleMs, timeoutMs } = { ...DEFAULT_LOCK, ...options };
  const token = JSON.stringify({ ...thisProcess(), id: randomBytes(6).toString('hex') });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(lockFile, token, { flag: 'wx' });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw error;
      else if (await isStaleLock(lockFile, staleMs)) await breakLock(lockFile, staleMs);
      else if (Date.now() > deadline) throw Object.assign(new Error(`Timed out waiting for ${path.basename(lockFile)}`), { code: 'ELOCKED' });
      else await delay(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
    }
  }
  try {
    return await action();
  } finally {
    // Only our own lock: if it was broken as stale meanwhile, the file belongs to someone else now.
    if ((await readIfExists(lockFile).catch(() => undefined)) === token) await fs.rm(lockFile, { force: true });
  }
}

/**
 * A file another window wrote, parsed; undefined when missing or not JSON (a writer that died mid-write, or a
 * foreign file): callers treat such a record as absent.
 */
export function parseJsonOrUndefined(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

async function isStaleLock(lockFile: string, staleMs: number): Promise<boolean> {
  const [text, stat] = await Promise.all([readIfExists(lockFile).catch(() => undefined), fs.stat(lockFile).catch(() => undefined)]);
  if (!stat) return false; // released meanwhile: just try again
  const age = Date.now() - stat.mtimeMs;
  let owner: Partial<ProcessOwner>;
  try {
    owner = JSON.parse(text ?? '') as Partial<ProcessOwner>;
  } catch {
    // Created but not written yet: a live owner writes it within microseconds, so after a moment its writer died.
    return age > UNWRITTEN_LOCK_MS;
  }
  return isDeadOwner(owner) || age > staleMs;
}

async function breakLock(lockFile: string, staleMs: number): Promise<void> {
  const breaker = `${lockFile}.break`;
  try {
    await fs.writeFile(breaker, '', { flag: 'wx' });
  } catch {
    // Someone else is breaking it. A breaker left by a crash mid-break is removed once old.
    const stat = await fs.stat(breaker).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > staleMs) await fs.rm(breaker, { force: true });
    return;
  }
  try {
    if (await isStaleLock(lockFile, staleMs)) await fs.rm(lockFile, { force: true });
  } finally {
    await fs.rm(breaker, { force: true });
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `action` over `items` with at most `limit` running at once. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, action: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await action(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
