// Disk problems at the store and engine level (plain Node). Tests run as root in CI, where chmod does not block
// writes, so an unwritable folder is made with a FILE where the folder should be (ENOTDIR), and a full disk is
// simulated by a write stream / writeFile that stores part of the data and then fails with ENOSPC.
// Expected every time: a clear error, the paid job kept (paused with the reason, never "failed"), the previous
// entry file intact, and nothing half-written left behind (no *.tmp / *.part files).
import { SILENT_LOG } from '../../src/shared/log';
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import sharp from 'sharp';
import { writeFileAtomic } from '../../src/gallery/files';
import { GalleryStore } from '../../src/gallery/store';
import { EngineEvent, JobEngine } from '../../src/jobs/engine';
import { DurationModel } from '../../src/jobs/schedule';
import type { GenerationOptions } from '../../src/shared/options';
import { FakeApi } from '../support/fakeApi';
import { FakeClock } from '../support/fakeClock';

const OPTIONS: GenerationOptions = { prompt: 'a lighthouse, disk test', aspectRatio: '16:9', outputFormat: 'png', outputQuality: 90, raw: false };

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

/**
 * The *.tmp / *.part files under `dir` that are still there half a second later: a write in flight (the
 * lease heartbeat renames its temporary file within milliseconds) is not a leftover; a real one stays.
 */
async function lastingLeftovers(dir: string): Promise<string[]> {
  const first = leftovers(dir);
  if (first.length === 0) return first;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const later = leftovers(dir);
  return first.filter((file) => later.includes(file));
}

/** Every *.tmp / *.part file under `dir`. */
function leftovers(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const item of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, item.name);
      if (item.isDirectory()) walk(full);
      else if (/\.(tmp|part)$/.test(item.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

// The module object itself (`import * as` gives a read-only namespace copy): download.ts calls
// fs.createWriteStream through it at call time, so replacing the property here reaches the real code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fsModule: { createWriteStream: typeof fs.createWriteStream } = require('fs');

/** Replaces fs.createWriteStream for paths matching `match` with one that writes `okBytes` and then fails with ENOSPC. */
function fullDiskForStreams(match: RegExp, okBytes = 40): () => void {
  const real = fsModule.createWriteStream;
  fsModule.createWriteStream = ((file: fs.PathLike, options?: unknown) => {
    if (!match.test(String(file))) return real(file, options as never);
    const inner = real(file, options as never);
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (written + chunk.length > okBytes) {
          inner.end(chunk.subarray(0, Math.max(0, okBytes - written)), () => callback(enospc()));
          return;
        }
        written += chunk.length;
        inner.write(chunk, callback);
      },
      final(callback) {
        inner.end(callback);
      },
    });
  }) as typeof fs.createWriteStream;
  return () => {
    fsModule.createWriteStream = real;
  };
}

/** Replaces fs.promises.writeFile for paths matching `match`: writes half the data, then fails with ENOSPC. */
function fullDiskForWriteFile(match: RegExp): () => void {
  const real = fs.promises.writeFile;
  (fs.promises as { writeFile: unknown }).writeFile = (async (file: fs.PathLike, data: string | Uint8Array, options?: unknown) => {
    if (!match.test(String(file))) return real(file, data, options as never);
    const bytes = Buffer.from(data as never);
    await real(file, bytes.subarray(0, bytes.length >> 1));
    throw enospc();
  }) as typeof fs.promises.writeFile;
  return () => {
    (fs.promises as { writeFile: unknown }).writeFile = real;
  };
}

describe('disk problems', () => {
  let dir: string;
  let restore: Array<() => void>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-disk-'));
    restore = [];
  });

  afterEach(() => {
    for (const undo of restore.splice(0)) undo();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('writeFileAtomic', () => {
    it('replaces an existing file whole', async () => {
      const target = path.join(dir, 'index.json');
      fs.writeFileSync(target, 'old');
      await writeFileAtomic(target, 'new content');
      assert.strictEqual(fs.readFileSync(target, 'utf8'), 'new content');
      assert.deepStrictEqual(leftovers(dir), []);
    });

    it('a target whose parent is a file (ENOTDIR) or missing (ENOENT) fails with the system code', async () => {
      fs.writeFileSync(path.join(dir, 'file'), 'x');
      await assert.rejects(writeFileAtomic(path.join(dir, 'file', 'index.json'), 'data'), { code: 'ENOTDIR' });
      await assert.rejects(writeFileAtomic(path.join(dir, 'missing', 'index.json'), 'data'), { code: 'ENOENT' });
      assert.deepStrictEqual(leftovers(dir), []);
    });

    it('a full disk (ENOSPC half-way) keeps the previous file intact and removes the temporary file', async () => {
      const target = path.join(dir, 'index.json');
      fs.writeFileSync(target, '{"version":1,"entries":[]}');
      restore.push(fullDiskForWriteFile(/\.tmp$/));
      await assert.rejects(writeFileAtomic(target, JSON.stringify({ version: 1, entries: new Array(100).fill('x') })), { code: 'ENOSPC' });
      assert.strictEqual(fs.readFileSync(target, 'utf8'), '{"version":1,"entries":[]}');
      assert.deepStrictEqual(leftovers(dir), []);
    });

    it('a directory in the way of the target fails without touching it', async () => {
      const target = path.join(dir, 'index.json');
      fs.mkdirSync(target);
      await assert.rejects(writeFileAtomic(target, 'data'));
      assert.ok(fs.statSync(target).isDirectory());
      assert.deepStrictEqual(leftovers(dir), []);
    });
  });

  describe('GalleryStore', () => {
    it('a failed entry write rejects; the file on disk keeps the last good state, the other entries are untouched', async () => {
      const store = new GalleryStore(dir, { watch: false });
      await store.load();
      await store.create({ id: 'a', options: OPTIONS, state: 'completed', progress: 100, createdAt: 1 });
      await store.create({ id: 'b', options: OPTIONS, state: 'queued', progress: 0, createdAt: 2, jobId: 'job-b' });
      restore.push(fullDiskForWriteFile(/[bc]\.json\.\d+\.[0-9a-f]+\.tmp$/));
      await assert.rejects(store.update('b', { state: 'processing', progress: 40 }), { code: 'ENOSPC' });
      await assert.rejects(store.create({ id: 'c', options: OPTIONS, state: 'queued', progress: 0, createdAt: 3 }), { code: 'ENOSPC' });
      assert.strictEqual(store.get('b')?.state, 'queued', 'memory follows the disk, not the failed write');
      restore.pop()!();
      const reloaded = new GalleryStore(dir, { watch: false });
      await reloaded.load();
      assert.deepStrictEqual(reloaded.list().map((e) => [e.id, e.state]), [['b', 'queued'], ['a', 'completed']]);
      // Space freed: the next write goes through.
      await store.update('b', { state: 'processing', progress: 40 });
      assert.strictEqual(store.get('b')?.state, 'processing');
      assert.deepStrictEqual(leftovers(dir), []);
      store.dispose();
      reloaded.dispose();
    });
  });

  describe('JobEngine storing a paid image', () => {
    let clock: FakeClock;
    let api: FakeApi;
    let store: GalleryStore;
    let engine: JobEngine;
    let events: EngineEvent[];

    beforeEach(async () => {
      const image = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#336699' } }).png().toBuffer();
      clock = new FakeClock();
      api = new FakeApi(clock, image);
      store = new GalleryStore(dir, { watch: false });
      await store.load();
      engine = new JobEngine({ api, store, durations: new DurationModel(), clock, log: { ...SILENT_LOG, warn: (m) => void (process.env.DEBUG_ENGINE && console.log(m)) }, backoff: { baseMs: 500, capMs: 5_000, maxAttempts: 3, random: () => 0.5 } });
      events = [];
      engine.onEvent((event) => events.push(event));
    });

    afterEach(async () => {
      await clock.runUntil(engine.dispose());
      store.dispose();
    });

    async function generate() {
      const entry = await engine.start(OPTIONS);
      return clock.runUntil(engine.whenSettled(entry.id));
    }

    /** After the disk is fixed, "Retry" collects the same job: completed, charged once, nothing left over. */
    async function recoversAfterFix(id: string): Promise<void> {
      assert.strictEqual(await engine.resume(id), true);
      const done = await clock.runUntil(engine.whenSettled(id));
      assert.strictEqual(done?.state, 'completed', JSON.stringify(done?.reason));
      assert.ok(fs.existsSync(store.imagePath(done!.imageFile!)));
      assert.strictEqual(api.jobs.size, 1, 'the same job, never submitted again');
      assert.deepStrictEqual(await lastingLeftovers(dir), []);
    }

    async function assertPausedWithClearError(entry: Awaited<ReturnType<typeof generate>>): Promise<void> {
      assert.ok(entry?.jobId, 'the paid job id is kept');
      assert.strictEqual(entry?.state, 'paused', `a paid job must not be failed for a local disk problem (${JSON.stringify(entry?.reason)})`);
      assert.strictEqual(entry?.reason?.kind, 'storage', 'the reason names the disk problem');
      const event = events.find((e) => e.entry.id === entry!.id);
      assert.strictEqual(event?.kind, 'needsAttention', 'the user is told');
      assert.deepStrictEqual(await lastingLeftovers(dir), [], 'no *.part or *.tmp files');
    }

    it('image folder replaced by a file (ENOTDIR): paused with a clear error, then stored once the folder is back', async () => {
      fs.rmSync(store.imagesDir, { recursive: true });
      fs.writeFileSync(store.imagesDir, 'not a folder');
      const entry = await generate();
      await assertPausedWithClearError(entry);
      fs.rmSync(store.imagesDir);
      fs.mkdirSync(store.imagesDir);
      await recoversAfterFix(entry!.id);
    });

    it('disk full while writing the image (ENOSPC): paused with a clear error, the partial file removed', async () => {
      restore.push(fullDiskForStreams(/\.part$/));
      const entry = await generate();
      await assertPausedWithClearError(entry);
      restore.pop()!();
      await recoversAfterFix(entry!.id);
    });

    it('disk full while recording the accepted job: the user is told, and the job is collected once space is back', async () => {
      // The first entry write (the entry itself) succeeds; the one recording the job id fails.
      let writes = 0;
      const real = fs.promises.writeFile;
      (fs.promises as { writeFile: unknown }).writeFile = (async (file: fs.PathLike, data: never, options?: never) => {
        if (/entries[\\/][^\\/]+\.json\.\d+\.[0-9a-f]+\.tmp$/.test(String(file)) && ++writes >= 2) {
          await real(file, Buffer.from(data).subarray(0, 10));
          throw enospc();
        }
        return real(file, data, options);
      }) as typeof fs.promises.writeFile;
      restore.push(() => ((fs.promises as { writeFile: unknown }).writeFile = real));
      const entry = await generate();
      const event = events.find((e) => e.entry.id === entry!.id);
      assert.ok(event, 'an event tells the user something went wrong (not a silent stop)');
      assert.strictEqual(event.kind, 'needsAttention');
      assert.deepStrictEqual(event.entry.reason, { kind: 'storage', params: { code: 'ENOSPC' } });
      restore.pop()!();
      await recoversAfterFix(entry!.id);
    });
  });
});
