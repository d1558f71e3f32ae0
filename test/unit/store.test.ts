// The gallery store shared by several windows (here: several stores on one folder in one process; the
// multi-process fuzz is in storeProcesses.test.ts): create vs update vs remove, merging, no resurrection,
// the change feed, the 0.1.0 migration, and damage contained (corrupt files, stale temp files, stale locks).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileSignature, removeStaleTempFiles, snapshotFiles, withFileLock } from '../../src/gallery/files';
import { GalleryChange, GalleryStore, StoreOptions } from '../../src/gallery/store';
import { captureLog, deadPid, entry, filesMatching, tempGallery, waitUntil } from '../support/storeFixtures';

describe('GalleryStore (one file per entry)', () => {
  let dir: string;
  const stores: GalleryStore[] = [];

  async function open(options: StoreOptions = {}): Promise<GalleryStore> {
    const store = new GalleryStore(dir, { watch: false, ...options });
    await store.load();
    stores.push(store);
    return store;
  }

  function entryFile(id: string): string {
    return path.join(dir, 'entries', `${id}.json`);
  }

  beforeEach(() => {
    dir = tempGallery();
  });

  afterEach(() => {
    for (const store of stores.splice(0)) store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('writes from several windows', () => {
    it('create never overwrites an existing entry', async () => {
      const a = await open();
      const b = await open();
      await a.create(entry('one', { progress: 1 }));
      await assert.rejects(b.create(entry('one', { progress: 2 })), { code: 'EEXIST' });
      assert.strictEqual(JSON.parse(fs.readFileSync(entryFile('one'), 'utf8')).progress, 1);
    });

    it('an update merges into the entry as it is on disk, keeping what another window wrote', async () => {
      const a = await open();
      await a.create(entry('one'));
      const b = await open();
      await a.update('one', { thumbFile: 'one.webp' });
      // b has not heard of a's change (no feed here) and writes another field.
      assert.strictEqual(b.get('one')?.thumbFile, undefined);
      await b.update('one', { creditCost: 6 });
      const stored = JSON.parse(fs.readFileSync(entryFile('one'), 'utf8'));
      assert.strictEqual(stored.thumbFile, 'one.webp');
      assert.strictEqual(stored.creditCost, 6);
      assert.strictEqual(b.get('one')?.thumbFile, 'one.webp', 'memory follows the disk');
    });

    it('a function patch sees the current value on disk: concurrent increments are never lost', async () => {
      const writers = await Promise.all([open(), open(), open()]);
      await writers[0].create(entry('counter', { creditCost: 0 }));
      for (const store of writers) await store.refresh();
      await Promise.all(
        writers.flatMap((store) => Array.from({ length: 10 }, () => store.update('counter', (current) => ({ creditCost: (current.creditCost ?? 0) + 1 })))),
      );
      assert.strictEqual(JSON.parse(fs.readFileSync(entryFile('counter'), 'utf8')).creditCost, 30);
    });

    it('an update never brings back an entry another window removed', async () => {
      const a = await open();
      await a.create(entry('gone', { state: 'processing', progress: 10 }));
      const b = await open();
      assert.ok(b.get('gone'));
      assert.strictEqual(await a.remove('gone'), true);
      const result = await b.update('gone', { progress: 50 });
      assert.strictEqual(result, undefined);
      assert.strictEqual(fs.existsSync(entryFile('gone')), false);
      assert.strictEqual(b.get('gone'), undefined, 'b learns of the removal from its failed update');
    });

    it('remove deletes the entry file, its image and its thumbnail, whichever window set them', async () => {
      const a = await open();
      await a.create(entry('pic', { imageFile: 'pic.png' }));
      fs.writeFileSync(a.imagePath('pic.png'), 'image');
      const b = await open();
      fs.writeFileSync(b.thumbPath('pic.webp'), 'thumb');
      await b.update('pic', { thumbFile: 'pic.webp' });
      assert.strictEqual(await a.remove('pic'), true, 'a removes with its stale copy (no thumbnail known)');
      assert.deepStrictEqual(filesMatching(dir, /^pic\./), []);
    });

    it('refuses ids that are not safe file names', async () => {
      const a = await open();
      await assert.rejects(a.create(entry('../escape')), /valid entry id/);
      assert.strictEqual(await a.update('../escape', { progress: 1 }), undefined);
    });
  });

  describe('windows see each other', () => {
    for (const watch of [true, false]) {
      it(`another store sees creates, updates and removes within 2 s (${watch ? 'fs.watch' : 'periodic rescan only'})`, async () => {
        const writer = await open();
        const reader = await open({ watch, rescanMs: 300 });
        const changes: GalleryChange[] = [];
        reader.onDidChange((change) => changes.push(change));
        await writer.create(entry('fox', { state: 'processing', progress: 0, createdAt: 2 }));
        const created = await waitUntil(() => reader.get('fox'), 2_000, 'create seen');
        await writer.update('fox', { state: 'completed', imageFile: 'fox.png' });
        const updated = await waitUntil(() => reader.get('fox')?.state === 'completed', 2_000, 'update seen');
        await writer.remove('fox');
        const removed = await waitUntil(() => !reader.get('fox'), 2_000, 'remove seen');
        assert.deepStrictEqual(
          changes.map((c) => (c.kind === 'remove' ? 'remove' : `upsert ${c.entry.state}`)),
          ['upsert processing', 'upsert completed', 'remove'],
          'the same events as local changes, once each',
        );
        console.log(`      seen after ${created} / ${updated} / ${removed} ms`);
      });
    }

    it('a rescan with nothing changed reads no entry file', async () => {
      const writer = await open();
      for (let i = 0; i < 20; i++) await writer.create(entry(`e${i}`));
      const reader = await open();
      // Last written a while ago (older than the window in which a coarse folder mtime proves nothing).
      const aWhileAgo = new Date(Date.now() - 10_000);
      fs.utimesSync(path.join(dir, 'entries'), aWhileAgo, aWhileAgo);
      const realRead = fs.promises.readFile;
      let reads = 0;
      (fs.promises as { readFile: unknown }).readFile = ((...args: Parameters<typeof realRead>) => {
        reads++;
        return realRead(...args);
      }) as typeof realRead;
      try {
        await reader.refresh();
        await reader.refresh();
      } finally {
        (fs.promises as { readFile: unknown }).readFile = realRead;
      }
      assert.strictEqual(reads, 0);
    });
  });

  describe('migration from 0.1.0 (index.json)', () => {
    const legacy = {
      version: 1,
      entries: [
        entry('11111111-0000-4000-8000-000000000001', { createdAt: 1 }),
        { ...entry('11111111-0000-4000-8000-000000000002', { state: 'processing', jobId: 'job-2', createdAt: 2 }), detached: true },
        { ...entry('11111111-0000-4000-8000-000000000003', { state: 'processing', jobId: 'job-3', createdAt: 3 }), detached: true, error: 'Apiframe refused the API key.' },
        { ...entry('11111111-0000-4000-8000-000000000004', { state: 'failed', createdAt: 4 }), error: 'Content policy.' },
        { ...entry('11111111-0000-4000-8000-000000000005', { state: 'processing', jobId: 'job-5', createdAt: 5 }), error: 'Offline (was retrying).' },
        { id: 'not-an-entry' },
      ],
    };

    it('moves every entry into its own file once, maps old fields, and keeps the index as a backup', async () => {
      fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(legacy));
      const log = captureLog();
      const store = await open({ log });
      assert.deepStrictEqual(store.list().map((e) => e.id.slice(-1)), ['5', '4', '3', '2', '1']);
      assert.deepStrictEqual(store.get('11111111-0000-4000-8000-000000000002')?.state, 'paused');
      assert.deepStrictEqual(store.get('11111111-0000-4000-8000-000000000002')?.reason, { kind: 'stoppedWaiting' });
      assert.deepStrictEqual(store.get('11111111-0000-4000-8000-000000000003')?.reason, { kind: 'legacyMessage', params: { message: 'Apiframe refused the API key.' } });
      assert.deepStrictEqual(store.get('11111111-0000-4000-8000-000000000004')?.reason, { kind: 'legacyMessage', params: { message: 'Content policy.' } });
      const running = store.get('11111111-0000-4000-8000-000000000005');
      assert.deepStrictEqual([running?.state, running?.reason], ['processing', undefined], 'a job running at close is resumed, without a stale reason');
      assert.strictEqual(fs.existsSync(path.join(dir, 'index.json')), false);
      assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'index.json.migrated'), 'utf8')), legacy);
      assert.ok(log.lines.some((l) => /moved 5 entries/.test(l)), log.lines.join('\n'));
      assert.ok(log.lines.some((l) => /1 entries of the old index were unreadable/.test(l)), log.lines.join('\n'));
    });

    it('two windows starting at once migrate once, and a later change is not overwritten by a second migration', async () => {
      fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(legacy));
      const [a, b] = await Promise.all([open(), open()]);
      assert.strictEqual(a.list().length, 5);
      assert.strictEqual(b.list().length, 5);
      await a.update('11111111-0000-4000-8000-000000000001', { thumbFile: 'new.webp' });
      // A crash before the index was renamed: the migration runs again and keeps the newer file.
      fs.copyFileSync(path.join(dir, 'index.json.migrated'), path.join(dir, 'index.json'));
      const c = await open();
      assert.strictEqual(c.get('11111111-0000-4000-8000-000000000001')?.thumbFile, 'new.webp');
    });
  });

  describe('damage contained', () => {
    it('a corrupt entry file is moved aside and logged; every other entry loads', async () => {
      const writer = await open();
      for (const id of ['a', 'b', 'c']) await writer.create(entry(id));
      fs.writeFileSync(entryFile('b'), '{"id":"b","options":{"prom');
      fs.writeFileSync(entryFile('d'), JSON.stringify({ id: 'not-d', state: 'completed' }));
      const log = captureLog();
      const store = await open({ log });
      assert.deepStrictEqual(store.list().map((e) => e.id).sort(), ['a', 'c']);
      assert.deepStrictEqual(filesMatching(path.join(dir, 'entries'), /\.corrupt-/).map((f) => f.split('.')[0]), ['b', 'd']);
      assert.strictEqual(log.lines.filter((l) => /could not be read/.test(l)).length, 2, log.lines.join('\n'));
    });

    it('fields are type-checked one by one: a wrong type quarantines that entry only, unknown fields are dropped', async () => {
      const writer = await open();
      for (const id of ['a', 'b', 'c', 'd']) await writer.create(entry(id));
      const stored = (id: string) => JSON.parse(fs.readFileSync(entryFile(id), 'utf8'));
      fs.writeFileSync(entryFile('b'), JSON.stringify({ ...stored('b'), imageFile: 5 }));
      fs.writeFileSync(entryFile('c'), JSON.stringify({ ...stored('c'), thumbFile: '../../outside.webp' }));
      fs.writeFileSync(entryFile('d'), JSON.stringify({ ...stored('d'), surprise: { nested: true }, options: { ...stored('d').options, extra: 1 } }));
      const store = await open({ log: captureLog() });
      assert.deepStrictEqual(store.list().map((e) => e.id).sort(), ['a', 'd']);
      assert.deepStrictEqual(filesMatching(path.join(dir, 'entries'), /\.corrupt-/).map((f) => f.split('.')[0]).sort(), ['b', 'c']);
      assert.ok(!('surprise' in store.get('d')!) && !('extra' in store.get('d')!.options));
      for (const e of store.list()) if (e.imageFile) store.imagePath(e.imageFile);
    });

    it('an entry damaged while a window has it in memory is restored from that copy', async () => {
      const store = await open();
      await store.create(entry('kept', { creditCost: 6 }));
      fs.writeFileSync(entryFile('kept'), 'garbage');
      await store.refresh(['kept']);
      assert.strictEqual(JSON.parse(fs.readFileSync(entryFile('kept'), 'utf8')).creditCost, 6);
      assert.strictEqual(filesMatching(path.join(dir, 'entries'), /^kept\.json\.corrupt-/).length, 1);
    });

    it('a corrupt 0.1.0 index is moved aside, logged, and does not stop the load', async () => {
      const writer = await open();
      await writer.create(entry('already-migrated'));
      fs.writeFileSync(path.join(dir, 'index.json'), '{"version":1,"entries":[{"id":"a"');
      const log = captureLog();
      const store = await open({ log });
      assert.deepStrictEqual(store.list().map((e) => e.id), ['already-migrated']);
      assert.strictEqual(filesMatching(dir, /^index\.json\.corrupt-/).length, 1);
      assert.ok(log.lines.some((l) => /old index could not be read/.test(l)));
    });

    it('temporary files of a crashed writer are removed at start; those of a live writer are kept unless abandoned', async () => {
      fs.mkdirSync(path.join(dir, 'entries'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'leases'), { recursive: true });
      const dead = deadPid();
      const crashed = [`entries/x.json.${dead}.ab12cd34.tmp`, `images/x.${dead}.1700000000000.part`, `index.json.${dead}.1700000000000.tmp`, `leases/x.json.${dead}.ab12cd34.tmp`];
      const live = [`entries/y.json.${process.pid}.ab12cd34.tmp`, `images/y.${process.pid}.1700000000000.part`];
      const abandoned = `images/z.${process.pid}.1600000000000.part`;
      for (const name of [...crashed, ...live, abandoned]) fs.writeFileSync(path.join(dir, name), 'half');
      const hoursAgo = new Date(Date.now() - 2 * 3600_000);
      fs.utimesSync(path.join(dir, abandoned), hoursAgo, hoursAgo);
      await open();
      assert.deepStrictEqual(filesMatching(dir, /\.(tmp|part)$/), live.sort());
    });

    it('a lock left by a crashed process is broken; a live one is waited for', async () => {
      const locks = path.join(dir, 'locks');
      fs.mkdirSync(locks);
      fs.writeFileSync(path.join(locks, 'stale.lock'), JSON.stringify({ host: os.hostname(), pid: deadPid() }));
      const started = Date.now();
      assert.strictEqual(await withFileLock(path.join(locks, 'stale.lock'), async () => 'ran'), 'ran');
      // Killed between creating the lock file and writing its owner into it.
      fs.writeFileSync(path.join(locks, 'unwritten.lock'), '');
      const aMomentAgo = new Date(Date.now() - 1_500);
      fs.utimesSync(path.join(locks, 'unwritten.lock'), aMomentAgo, aMomentAgo);
      assert.strictEqual(await withFileLock(path.join(locks, 'unwritten.lock'), async () => 'ran'), 'ran');
      assert.ok(Date.now() - started < 1_000, 'not waiting for the stale timeout');
      const order: string[] = [];
      const first = withFileLock(path.join(locks, 'busy.lock'), async () => {
        order.push('first in');
        await new Promise((resolve) => setTimeout(resolve, 100));
        order.push('first out');
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
      await withFileLock(path.join(locks, 'busy.lock'), async () => order.push('second'));
      await first;
      assert.deepStrictEqual(order, ['first in', 'first out', 'second']);
      assert.deepStrictEqual(fs.readdirSync(locks), [], 'locks are removed on release');
    });

    it('removeStaleTempFiles ignores folders that do not exist', async () => {
      assert.deepStrictEqual(await removeStaleTempFiles([path.join(dir, 'missing')]), []);
    });
  });

  describe('the first-screen file (a gallery opened before its store has loaded)', () => {
    const firstScreenIds = async (store: GalleryStore) => (await store.firstScreen.read()).map((e) => e.id);

    it('holds the newest 24 entries once a store has loaded, without progress; another window reads them before its own load', async () => {
      const a = await open();
      for (let i = 0; i < 30; i++) await a.create(entry(`e${i}`, { createdAt: 1_700_000_000_000 + i, state: i === 29 ? 'processing' : 'completed', progress: i === 29 ? 40 : 100 }));
      await a.firstScreen.writeNow();
      const unloaded = new GalleryStore(dir, { watch: false });
      stores.push(unloaded);
      const first = await unloaded.firstScreen.read();
      assert.deepStrictEqual(first.map((e) => e.id), Array.from({ length: 24 }, (_, i) => `e${29 - i}`));
      assert.strictEqual(first[0].state, 'processing');
      assert.strictEqual(first[0].progress, 0, 'progress is not kept (it changes every second)');
      assert.strictEqual(unloaded.list().length, 0, 'nothing else was read');
    });

    it('follows changes once they settle: a new entry comes first, a removed one goes', async () => {
      const a = await open();
      await a.create(entry('old', { createdAt: 1 }));
      await a.create(entry('gone', { createdAt: 2 }));
      await a.firstScreen.writeNow();
      await a.create(entry('new', { createdAt: 3 }));
      await a.remove('gone');
      const started = Date.now();
      let ids = await firstScreenIds(a);
      while (ids.join() !== 'new,old' && Date.now() - started < 5_000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ids = await firstScreenIds(a);
      }
      assert.deepStrictEqual(ids, ['new', 'old']);
    });

    it('a damaged, foreign, oversized or missing file gives no entries (the gallery then waits for the full list)', async () => {
      const a = await open();
      const file = a.firstScreen.file;
      for (const text of ['{"version":1,"entries":[', '{"version":2,"entries":[]}', '[1,2]', 'null', JSON.stringify({ version: 1, entries: [{ id: 'x', note: 'x'.repeat(300_000) }] })]) {
        fs.writeFileSync(file, text);
        assert.deepStrictEqual(await a.firstScreen.read(), [], text.slice(0, 40));
      }
      fs.writeFileSync(file, JSON.stringify({ version: 1, entries: [{ id: 'not an entry' }, entry('ok')] }));
      assert.deepStrictEqual(await firstScreenIds(a), ['ok'], 'what is not an entry is left out');
      fs.rmSync(file);
      assert.deepStrictEqual(await a.firstScreen.read(), []);
    });
  });
});

describe('snapshotFiles (the first scan of the gallery)', () => {
  it('reads every readable file with its signature, leaves out the rest, and yields between batches', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-snapshot-'));
    try {
      const files = Array.from({ length: 450 }, (_, i) => path.join(dir, `${i}.json`));
      files.forEach((file, i) => fs.writeFileSync(file, `{"n":${i}}`));
      fs.mkdirSync(path.join(dir, 'folder.json'));
      let turns = 0;
      const ticker = setInterval(() => turns++, 0);
      const snapshots = await snapshotFiles([...files, path.join(dir, 'missing.json'), path.join(dir, 'folder.json')], 100);
      clearInterval(ticker);
      assert.strictEqual(snapshots.size, 450);
      for (const [i, file] of files.entries()) {
        assert.deepStrictEqual(snapshots.get(file), { signature: fileSignature(fs.statSync(file)), text: `{"n":${i}}` });
      }
      assert.ok(turns >= 2, `other work ran between the batches (${turns} timer turns)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
