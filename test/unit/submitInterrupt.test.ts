// A submit is never interrupted: whenever the user stops waiting (in this window, or in another window
// sharing the gallery), the POST in flight completes and its job id is recorded, so Resume collects that
// job instead of paying for a second one. The simulator here ignores the Idempotency-Key (no Apiframe
// document promises it for every case) and answers each submit late, after it created the job.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiframeClient } from '../../src/api/client';
import { GalleryStore } from '../../src/gallery/store';
import { JobEngine } from '../../src/jobs/engine';
import { DurationModel } from '../../src/jobs/schedule';
import type { GalleryEntry } from '../../src/shared/entry';
import type { GenerationOptions } from '../../src/shared/options';
import { Simulator, startSimulator } from '../simulator/server';

const OPTIONS: GenerationOptions = { prompt: 'a kite over dunes', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 60, raw: false, seed: 3 };
const STOP_TIMES_MS = Array.from({ length: 41 }, (_, i) => i * 25); // 0, 25, … 1,000
const SUBMIT_REPLY_DELAY_MS = 400;
const BACKOFF = { baseMs: 5, capMs: 50, maxAttempts: 4 };

interface Window {
  store: GalleryStore;
  engine: JobEngine;
}

describe('A submit is never interrupted (simulator that ignores the Idempotency-Key)', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let dir: string;
  let windows: Window[];

  beforeEach(async () => {
    sim = await startSimulator({ timeScale: 0.005, seed: 11, honourIdempotencyKey: false, submitReplyDelayMs: SUBMIT_REPLY_DELAY_MS, apiKeys: { afk_test_key: { credits: 100_000 } } });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-submit-'));
    windows = [await openWindow(), await openWindow()];
  });

  afterEach(async () => {
    for (const { engine, store } of windows) {
      await engine.dispose();
      store.dispose();
    }
    await sim.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function openWindow(): Promise<Window> {
    const store = new GalleryStore(dir, { rescanMs: 50 });
    await store.load();
    const api = new ApiframeClient({ baseUrl: sim.url, getApiKey: async () => 'afk_test_key', timeoutMs: 5_000 });
    const engine = new JobEngine({ api, store, durations: new DurationModel(), backoff: BACKOFF, lease: { ttlMs: 2_000, renewMs: 500 } });
    return { store, engine };
  }

  async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Starts one job per stop time in window 0, stops waiting from `stopper` at that time, then resumes from `stopper`. */
  async function stopAndResume(stopper: Window): Promise<GalleryEntry[]> {
    const [first] = windows;
    const entries = await Promise.all(STOP_TIMES_MS.map(() => first.engine.start(OPTIONS)));
    await Promise.all(
      entries.map(async (entry, i) => {
        await new Promise((resolve) => setTimeout(resolve, STOP_TIMES_MS[i]));
        await stopper.engine.stopWaiting(entry.id);
      }),
    );
    for (const entry of entries) {
      // The stopping window may resume only once the first window's run has ended (it held the lease).
      await until(async () => stopper.store.get(entry.id)?.state === 'completed' || (await stopper.engine.resume(entry.id)), `resume of ${entry.id}`);
    }
    await until(() => entries.every((entry) => first.store.get(entry.id)?.state === 'completed'), 'every image');
    return entries.map((entry) => first.store.get(entry.id)!);
  }

  async function assertOneJobEach(entries: GalleryEntry[]): Promise<void> {
    const created = sim.stats().jobs;
    for (const entry of entries) {
      const jobs = created.filter((job) => job.idempotencyKey === entry.id);
      assert.strictEqual(jobs.length, 1, `entry ${entry.id} made ${jobs.length} jobs`);
      assert.strictEqual(entry.jobId, jobs[0].id);
      await fs.access(windows[0].store.imagePath(entry.imageFile!));
    }
    assert.strictEqual(sim.stats().jobsCreated, entries.length);
  }

  it('stopping waiting at 0–1,000 ms (every 25 ms) in this window: exactly one job per request, image collected', async () => {
    await assertOneJobEach(await stopAndResume(windows[0]));
  });

  it('a pause written by a second window at 0–1,000 ms: exactly one job per request, image collected', async () => {
    await assertOneJobEach(await stopAndResume(windows[1]));
  });
});
