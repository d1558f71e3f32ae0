// A "window" in its own process for the multi-process storage tests (run with child_process.fork).
// Modes (argv[2]):
//   fuzz <dir> <index>   creates, updates and removes its own entries, increments shared counters, updates
//                        entries another worker removes; then waits for the parent's "check" and reports
//                        what its own store sees once it matches the expected final state (or after 3 s).
//   churn <dir>          writes as fast as it can until killed (the crash test).
//   lease <dir> <id> <ttlMs> <renewMs>   holds the lease on <id>, renewing it, and reports losing it.
import { GalleryStore } from '../../src/gallery/store';
import { systemClock } from '../../src/jobs/clock';
import { LeaseManager } from '../../src/jobs/lease';
import * as path from 'path';
import { FUZZ, WorkerView, entry, removedAtEnd } from './storeFixtures';

async function fuzz(dir: string, index: number): Promise<void> {
  const store = new GalleryStore(dir, { rescanMs: 500 });
  await store.load();
  const own = Array.from({ length: FUZZ.ownEntries }, (_, j) => `w${index}-${j}`);
  const work: Array<() => Promise<unknown>> = [];
  for (const id of own) work.push(() => store.create(entry(id, { state: 'processing', progress: 0 })));
  for (let step = 1; step <= FUZZ.updatesPerEntry; step++) {
    for (const id of own) work.push(() => store.update(id, { progress: step }));
    for (let k = 0; k < FUZZ.sharedCounters; k++) {
      for (let n = 0; n < FUZZ.increments / FUZZ.updatesPerEntry; n++) {
        work.push(() => store.update(`shared-${k}`, (current) => ({ creditCost: (current.creditCost ?? 0) + 1 })));
      }
    }
    for (let k = 0; k < FUZZ.doomed; k++) work.push(() => store.update(`doomed-${k}`, (current) => ({ progress: current.progress + 1 })));
    if (index === 0 && step === 2) for (let k = 0; k < FUZZ.doomed; k++) work.push(() => store.remove(`doomed-${k}`));
  }
  own.forEach((id, j) => removedAtEnd(j) && work.push(() => store.remove(id)));
  // Several operations in flight at once, as in a real window (engine, gallery panel, user).
  for (let i = 0; i < work.length; i += 4) await Promise.all(work.slice(i, i + 4).map((run) => run()));
  process.send!({ done: true });
  const expected = await new Promise<WorkerView>((resolve) => process.on('message', (message: { check: WorkerView }) => resolve(message.check)));
  // Other processes' last writes arrive through the change feed: wait (bounded) until this view has them all.
  const view = (): WorkerView => Object.fromEntries(store.list().map((e) => [e.id, { progress: e.progress, creditCost: e.creditCost }]));
  const canonical = (v: WorkerView) => JSON.stringify(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && canonical(view()) !== canonical(expected)) await new Promise((r) => setTimeout(r, 20));
  process.send!({ view: view() });
  store.dispose();
}

async function churn(dir: string): Promise<void> {
  const store = new GalleryStore(dir, { watch: false });
  await store.load();
  process.send!({ ready: true });
  for (let n = 0; ; n++) {
    const id = `churn-${n % 20}`;
    if (!store.get(id)) await store.create(entry(id, { progress: 0 }));
    else await store.update(id, (current) => ({ progress: (current.progress + 1) % 100 }));
  }
}

async function holdLease(dir: string, id: string, ttlMs: number, renewMs: number): Promise<void> {
  const leases = new LeaseManager(path.join(dir, 'leases'), systemClock, { ttlMs, renewMs }, (lost) => process.send!({ lost }));
  process.send!({ held: await leases.tryAcquire(id) });
}

const [mode, dir, ...rest] = process.argv.slice(2);
const run = mode === 'fuzz' ? fuzz(dir, Number(rest[0])) : mode === 'churn' ? churn(dir) : holdLease(dir, rest[0], Number(rest[1]), Number(rest[2]));
run.catch((error) => {
  process.send!({ error: String(error && error.stack) });
  process.exitCode = 1;
});
