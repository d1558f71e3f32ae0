import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { ApiError } from '../../src/api/errors';
import { GalleryStore } from '../../src/gallery/store';
import { EngineEvent, JobEngine } from '../../src/jobs/engine';
import { DurationModel } from '../../src/jobs/schedule';
import type { GenerationOptions } from '../../src/shared/options';
import { FakeApi } from '../support/fakeApi';
import { FakeClock } from '../support/fakeClock';

const OPTIONS: GenerationOptions = { prompt: 'a lighthouse at dusk', aspectRatio: '16:9', outputFormat: 'png', outputQuality: 90, raw: false };

describe('JobEngine (fake clock)', () => {
  let dir: string;
  let clock: FakeClock;
  let api: FakeApi;
  let store: GalleryStore;
  let engine: JobEngine;
  let events: EngineEvent[];
  let image: Buffer;

  before(async () => {
    image = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#336699' } }).png().toBuffer();
  });

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-engine-'));
    clock = new FakeClock();
    api = new FakeApi(clock, image);
    store = new GalleryStore(dir);
    await store.load();
    engine = newEngine(store);
    events = [];
    engine.onEvent((event) => events.push(event));
  });

  afterEach(async () => {
    await clock.runUntil(engine.dispose());
    store.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  function newEngine(gallery: GalleryStore): JobEngine {
    return new JobEngine({ api, store: gallery, durations: new DurationModel(), clock, backoff: { baseMs: 500, capMs: 20_000, maxAttempts: 6, random: () => 0.5 } });
  }

  /** Runs the clock until `condition` holds (failing once two minutes of job time passed without it). */
  function until(condition: () => unknown): Promise<void> {
    let gaveUp = false;
    const reached = new Promise<void>((resolve) => {
      const check = () => (condition() ? resolve() : gaveUp || setTimeout(check, 1));
      check();
    });
    return clock.runUntil(reached, 120_000).finally(() => (gaveUp = true));
  }

  /** Starts a job and runs the clock until the server has accepted it (the job id is known). */
  async function startAndWaitForAcceptance() {
    const entry = await engine.start(OPTIONS);
    await until(() => store.get(entry.id)?.jobId);
    return entry;
  }

  async function generate(options = OPTIONS) {
    const entry = await engine.start(options);
    return clock.runUntil(engine.whenSettled(entry.id));
  }

  it('submits once, polls, and stores the exact image bytes', async () => {
    const entry = await generate();
    assert.strictEqual(entry?.state, 'completed');
    assert.strictEqual(api.calls.submit, 1);
    const stored = await fs.readFile(store.imagePath(entry!.imageFile!));
    assert.ok(stored.equals(image));
    assert.deepStrictEqual([entry!.width, entry!.height], [64, 36]);
    assert.strictEqual(entry!.creditCost, 6);
    assert.strictEqual(events[0].kind, 'completed');
    const listed = await fs.readdir(store.imagesDir);
    assert.deepStrictEqual(listed, [entry!.imageFile], 'no temporary files left behind');
  });

  it('polls a 15 s job with fewer requests than the documented 2 s loop', async () => {
    await generate();
    assert.ok(api.calls.getJob <= 9, `getJob calls: ${api.calls.getJob}`);
  });

  it('persists the job id the moment the submit is accepted', async () => {
    const entry = await engine.start(OPTIONS);
    const onDisk = async () => {
      const reloaded = new GalleryStore(dir, { watch: false });
      await reloaded.load();
      reloaded.dispose();
      return reloaded.get(entry.id)?.jobId;
    };
    // The clock does not move: the job id reaches the disk before the first poll is even due.
    for (let i = 0; i < 200 && !(await onDisk()); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(await onDisk(), 'job id on disk');
    assert.strictEqual(api.calls.getJob, 0);
    await clock.runUntil(engine.whenSettled(entry.id));
  });

  it('retries 5xx and network errors on submit with the same idempotency key and is charged once', async () => {
    api.fail('submit', new ApiError('server', 'boom', { status: 503 }), 2);
    api.fail('submit', new ApiError('network', 'reset'));
    const entry = await generate();
    assert.strictEqual(entry?.state, 'completed');
    assert.strictEqual(api.calls.submit, 4);
    assert.strictEqual(api.jobs.size, 1);
  });

  it('waits at least Retry-After on 429', async () => {
    api.fail('submit', new ApiError('rateLimited', 'slow down', { status: 429, retryAfterMs: 7_000 }));
    const start = clock.now();
    await generate();
    const [first, second] = api.callTimes.filter((c) => c.op === 'submit');
    assert.strictEqual(first.at, start);
    assert.ok(second.at - first.at >= 7_000, `waited ${second.at - first.at} ms`);
  });

  for (const [kind, status, state] of [['invalidKey', 401, 'paused'], ['insufficientCredits', 402, 'paused'], ['invalidParameters', 400, 'failed']] as const) {
    it(`does not retry ${status} on submit, asks the user, and keeps the reason as data (${state})`, async () => {
      api.fail('submit', new ApiError(kind, 'no', { status }));
      const entry = await generate();
      assert.strictEqual(api.calls.submit, 1);
      assert.strictEqual(entry?.state, state);
      assert.deepStrictEqual(entry?.reason, { kind, params: { status } });
      assert.strictEqual(entry?.options.prompt, OPTIONS.prompt, 'the prompt is kept');
      assert.strictEqual(events[0].kind, 'needsAttention');
    });
  }

  it('keeps the details of an error as parameters, never its English message', async () => {
    api.fail('submit', new ApiError('insufficientCredits', 'Not enough credits, you poor thing', { status: 402, creditsRequired: 6, creditsAvailable: 2 }));
    const entry = await generate();
    assert.deepStrictEqual(entry?.reason, { kind: 'insufficientCredits', params: { status: 402, creditsRequired: 6, creditsAvailable: 2 } });
    assert.ok(!JSON.stringify(await fs.readFile(path.join(dir, 'entries', `${entry!.id}.json`), 'utf8')).includes('poor thing'));
  });

  it('retries a submit that never reached the server with the same key', async () => {
    api.fail('submit', new ApiError('invalidKey', 'no', { status: 401 }));
    const first = await generate();
    assert.strictEqual(await engine.resume(first!.id), true);
    const entry = await clock.runUntil(engine.whenSettled(first!.id));
    assert.strictEqual(entry?.state, 'completed');
    assert.deepStrictEqual([...api.byIdempotencyKey.keys()], [first!.id]);
  });

  it('reports a FAILED job with the server\'s own text as a parameter', async () => {
    api.nextFailure = 'Prompt was flagged by the content policy.';
    const entry = await generate();
    assert.strictEqual(entry?.state, 'failed');
    assert.deepStrictEqual(entry?.reason, { kind: 'jobFailed', params: { message: 'Prompt was flagged by the content policy.' } });
    assert.strictEqual(events[0].kind, 'failed');
  });

  it('keeps polling through transient poll errors', async () => {
    api.fail('getJob', new ApiError('server', 'x', { status: 502 }), 3);
    api.fail('getJob', new ApiError('timeout', 'slow'));
    const entry = await generate();
    assert.strictEqual(entry?.state, 'completed');
  });

  it('retries a truncated download and rejects non-image bytes', async () => {
    api.fail('fetchImage', 'truncate');
    api.fail('fetchImage', 'notImage');
    const entry = await generate();
    assert.strictEqual(entry?.state, 'completed');
    assert.strictEqual(api.calls.fetchImage, 3);
    assert.ok((await fs.readFile(store.imagePath(entry!.imageFile!))).equals(image));
  });

  it('fetches a fresh URL when the result URL expired', async () => {
    api.fail('fetchImage', 'expired');
    const entry = await generate();
    assert.strictEqual(entry?.state, 'completed');
    assert.strictEqual(api.calls.fetchImage, 2);
  });

  it('stopWaiting pauses the job (not resumed on the next start); resume picks the result up later', async () => {
    const entry = await startAndWaitForAcceptance();
    await engine.stopWaiting(entry.id);
    assert.strictEqual(store.get(entry.id)?.state, 'paused');
    assert.deepStrictEqual(store.get(entry.id)?.reason, { kind: 'stoppedWaiting' });
    assert.strictEqual(engine.isActive(entry.id), false);
    // The next start (a new window) does not resume it by itself…
    const reloaded = new GalleryStore(dir, { watch: false });
    await reloaded.load();
    const second = newEngine(reloaded);
    second.resumeAll();
    await clock.runUntil(new Promise((resolve) => setTimeout(resolve, 50)));
    assert.strictEqual(second.isActive(entry.id), false);
    await clock.runUntil(second.dispose());
    reloaded.dispose();
    // …only when the user asks.
    assert.strictEqual(await engine.resume(entry.id), true);
    const done = await clock.runUntil(engine.whenSettled(entry.id));
    assert.strictEqual(done?.state, 'completed');
    assert.strictEqual(api.jobs.size, 1);
  });

  it('a job id that cannot be written (disk full) is logged and kept in memory: Resume polls that job, no second submit', async () => {
    const logged: string[] = [];
    const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
    const full = new JobEngine({ api, store, durations: new DurationModel(), clock, log, backoff: { baseMs: 500, capMs: 20_000, maxAttempts: 6, random: () => 0.5 } });
    const update = store.update.bind(store);
    store.update = (id, patch) => {
      const probe = typeof patch === 'function' ? patch(store.get(id)!) : patch;
      if (probe?.jobId) return Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
      return update(id, patch);
    };
    const entry = await full.start(OPTIONS);
    await clock.runUntil(full.whenSettled(entry.id));
    const jobId = [...api.jobs.keys()][0];
    assert.strictEqual(store.get(entry.id)?.state, 'paused');
    assert.strictEqual(store.get(entry.id)?.jobId, jobId, 'the job id is kept in memory');
    assert.ok(logged.some((line) => line.includes(jobId) && line.includes(entry.id)), 'the job id is logged with its entry');
    store.update = update; // space freed
    assert.strictEqual(await full.resume(entry.id), true);
    const done = await clock.runUntil(full.whenSettled(entry.id));
    await clock.runUntil(full.dispose());
    assert.strictEqual(done?.state, 'completed');
    assert.strictEqual(done?.jobId, jobId);
    assert.strictEqual(api.calls.submit, 1);
  });

  it('resumes unfinished jobs after a restart without submitting again', async () => {
    const entry = await startAndWaitForAcceptance();
    await clock.runUntil(engine.dispose()); // the window goes away mid-job
    assert.strictEqual(store.get(entry.id)?.state, 'queued', 'a closing window leaves the job running for the next');
    const reloaded = new GalleryStore(dir, { watch: false });
    await reloaded.load();
    const second = newEngine(reloaded);
    second.resumeAll();
    await until(() => second.isActive(entry.id));
    const done = await clock.runUntil(second.whenSettled(entry.id));
    await clock.runUntil(second.dispose());
    reloaded.dispose();
    assert.strictEqual(done?.state, 'completed');
    assert.strictEqual(api.calls.submit, 1);
  });

  it('a crash between submit and its answer re-submits with the same key: one job, one charge', async () => {
    await store.create({ id: 'c0ffee00-0000-4000-8000-000000000001', options: OPTIONS, state: 'submitting', progress: 0, createdAt: clock.now() });
    api.byIdempotencyKey.set('c0ffee00-0000-4000-8000-000000000001', 'already-created');
    api.jobs.set('already-created', { id: 'already-created', createdAt: clock.now(), durationMs: 5_000, urlVersion: 0 });
    engine.resumeAll();
    await until(() => engine.isActive('c0ffee00-0000-4000-8000-000000000001'));
    const done = await clock.runUntil(engine.whenSettled('c0ffee00-0000-4000-8000-000000000001'));
    assert.strictEqual(done?.jobId, 'already-created');
    assert.strictEqual(api.jobs.size, 1);
  });

  it('runs several jobs at once', async () => {
    const entries = await Promise.all([1, 2, 3, 4, 5].map((n) => engine.start({ ...OPTIONS, prompt: `job ${n}` })));
    const done = await clock.runUntil(Promise.all(entries.map((e) => engine.whenSettled(e.id))));
    assert.ok(done.every((e) => e?.state === 'completed'));
    assert.strictEqual(api.jobs.size, 5);
  });

  it('pauses (does not fail) a paid job when the key is refused mid-poll', async () => {
    api.fail('getJob', new ApiError('invalidKey', 'refused', { status: 401 }));
    const entry = await generate();
    assert.notStrictEqual(entry?.state, 'failed');
    assert.ok(entry?.jobId);
    assert.strictEqual(entry?.state, 'paused');
    assert.deepStrictEqual(entry?.reason, { kind: 'invalidKey', params: { status: 401 } });
    assert.strictEqual(events[0].kind, 'needsAttention');
    assert.strictEqual(await engine.resume(entry!.id), true);
    const done = await clock.runUntil(engine.whenSettled(entry!.id));
    assert.strictEqual(done?.state, 'completed');
  });

  it('rejects invalid options before anything is stored or sent', async () => {
    await assert.rejects(engine.start({ ...OPTIONS, prompt: '   ' }), /prompt/i);
    assert.strictEqual(store.list().length, 0);
    assert.strictEqual(api.calls.submit, 0);
  });
});
