// Several windows are several processes: real child processes write one gallery folder at once, and one
// is killed mid-write. Nothing may be lost, resurrected, half-written or left behind.
import * as assert from 'assert';
import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GalleryStore } from '../../src/gallery/store';
import { FUZZ, WorkerView, entry, filesMatching, removedAtEnd, tempGallery } from '../support/storeFixtures';

const WORKER = path.resolve(__dirname, '..', 'support', 'storeWorker.js');

interface Worker {
  child: ChildProcess;
  next(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function startWorker(args: string[]): Worker {
  const child = fork(WORKER, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: Array<Record<string, unknown>> = [];
  const waiting: Array<() => void> = [];
  child.on('message', (message: Record<string, unknown>) => {
    messages.push(message);
    for (const wake of waiting.splice(0)) wake();
  });
  return {
    child,
    async next(predicate) {
      for (;;) {
        const error = messages.find((m) => m.error);
        if (error) throw new Error(`worker failed: ${error.error}`);
        const found = messages.find(predicate);
        if (found) return found;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
  };
}

describe('gallery storage shared by several processes', function () {
  this.timeout(30_000);
  let dir: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = tempGallery('flux-procs-');
  });

  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`fuzz: ${FUZZ.workers} processes × ~${FUZZ.ownEntries * (FUZZ.updatesPerEntry + 1) + FUZZ.sharedCounters * FUZZ.increments + FUZZ.doomed * FUZZ.updatesPerEntry} writes each: every entry present with its last write, nothing lost, resurrected or left behind`, async () => {
    const setup = new GalleryStore(dir, { watch: false });
    await setup.load();
    for (let k = 0; k < FUZZ.sharedCounters; k++) await setup.create(entry(`shared-${k}`, { creditCost: 0 }));
    for (let k = 0; k < FUZZ.doomed; k++) await setup.create(entry(`doomed-${k}`, { progress: 0 }));
    setup.dispose();
    const started = Date.now();
    const workers = Array.from({ length: FUZZ.workers }, (_, index) => startWorker(['fuzz', dir, String(index)]));
    children.push(...workers.map((w) => w.child));
    await Promise.all(workers.map((w) => w.next((m) => m.done === true)));
    const writesMs = Date.now() - started;

    const expected: WorkerView = {};
    for (let k = 0; k < FUZZ.sharedCounters; k++) expected[`shared-${k}`] = { progress: 100, creditCost: FUZZ.workers * FUZZ.increments };
    for (let index = 0; index < FUZZ.workers; index++) {
      for (let j = 0; j < FUZZ.ownEntries; j++) if (!removedAtEnd(j)) expected[`w${index}-${j}`] = { progress: FUZZ.updatesPerEntry, creditCost: undefined };
    }

    // On disk: exactly the expected entries, each with its last write.
    const check = new GalleryStore(dir, { watch: false });
    await check.load();
    const onDisk: WorkerView = {};
    for (const e of check.list()) onDisk[e.id] = { progress: e.progress, creditCost: e.creditCost };
    check.dispose();
    assert.deepStrictEqual(sorted(onDisk), sorted(expected));
    assert.deepStrictEqual(filesMatching(dir, /\.(tmp|part|lock|break)$|\.corrupt-/), [], 'nothing half-written or left behind');
    for (const name of fs.readdirSync(path.join(dir, 'entries'))) JSON.parse(fs.readFileSync(path.join(dir, 'entries', name), 'utf8'));

    // Every process's own store shows the same, through its change feed.
    for (const w of workers) w.child.send({ check: expected });
    const views = await Promise.all(workers.map((w) => w.next((m) => !!m.view)));
    views.forEach((message, index) => assert.deepStrictEqual(sorted(message.view as WorkerView), sorted(expected), `worker ${index}'s view`));
    console.log(`      ${FUZZ.workers} processes wrote in ${writesMs} ms; all views agreed after ${Date.now() - started - writesMs} ms`);
  });

  it('a process killed in the middle of writes leaves nothing that stops the next start, loses nothing, blocks nothing', async () => {
    const worker = startWorker(['churn', dir]);
    children.push(worker.child);
    await worker.next((m) => m.ready === true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    worker.child.kill('SIGKILL');
    await new Promise((resolve) => worker.child.once('exit', resolve));
    const leftBehind = filesMatching(dir, /\.(tmp|lock)$/);

    const store = new GalleryStore(dir, { watch: false });
    await store.load();
    assert.ok(store.list().length > 0, 'the entries written before the kill are there');
    assert.deepStrictEqual(filesMatching(dir, /\.corrupt-/), [], 'no entry was half-written');
    assert.deepStrictEqual(filesMatching(dir, /\.tmp$/), [], 'temporary files of the dead process are cleaned at start');
    // A lock the dead process held (if the kill came mid-update) does not block the next writer.
    const started = Date.now();
    for (const e of store.list()) assert.ok(await store.update(e.id, { progress: 100 }));
    assert.ok(Date.now() - started < 2_000, `updates took ${Date.now() - started} ms`);
    assert.deepStrictEqual(filesMatching(dir, /\.lock$/), []);
    store.dispose();
    console.log(`      left by the kill: ${leftBehind.length ? leftBehind.join(', ') : 'nothing'}; ${store.list().length} entries intact`);
  });
});

function sorted(view: WorkerView): Array<[string, number, number | undefined]> {
  return Object.entries(view)
    .map(([id, v]): [string, number, number | undefined] => [id, v.progress, v.creditCost])
    .sort((a, b) => a[0].localeCompare(b[0]));
}
