// "Import from account" behaves like a batch: at most 4 downloads at once, one summary, no per-image
// notification, a listing that stops on a repeated cursor or a page limit, and cancellation.
import * as assert from 'assert';
import * as fs from 'fs';
import { PassThrough } from 'stream';
import sharp from 'sharp';
import type { ApiframeApi, JobPage } from '../../src/api/client';
import type { Job } from '../../src/api/job';
import { GalleryStore } from '../../src/gallery/store';
import { EngineEvent, JobEngine } from '../../src/jobs/engine';
import { ImportDeps, JobLister, importFromAccount, importedEntryId } from '../../src/jobs/import';
import { DurationModel } from '../../src/jobs/schedule';
import { MODEL_ID } from '../../src/shared/options';
import { FakeApi } from '../support/fakeApi';
import { FakeClock } from '../support/fakeClock';
import { tempGallery } from '../support/storeFixtures';

function listedJob(id: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    status: 'COMPLETED',
    progress: 100,
    imageUrls: [`https://cdn.example/${id}/v0.png`],
    expired: false,
    model: MODEL_ID,
    creditCost: 6,
    createdAt: 1_690_000_000_000,
    input: { prompt: `imported ${id}`, fluxParams: { aspect_ratio: '1:1', output_format: 'png', seed: 7 } },
    ...overrides,
  };
}

/** Serves `jobs` newest first in pages, the way GET /v2/jobs does (or misbehaves when told). */
class FakeLister implements JobLister {
  calls = 0;
  constructor(private readonly jobs: Job[], private readonly pageSize = 20, private readonly cursorFor: (page: number) => string = (page) => `page-${page}`) {}

  async listJobs(query: { cursor?: string }): Promise<JobPage> {
    this.calls++;
    const page = query.cursor ? Number(/\d+$/.exec(query.cursor)?.[0] ?? 1) : 0;
    const jobs = this.jobs.slice(page * this.pageSize, (page + 1) * this.pageSize);
    const hasMore = (page + 1) * this.pageSize < this.jobs.length;
    return { jobs, hasMore, nextCursor: hasMore ? this.cursorFor(page + 1) : undefined };
  }
}

describe('import from account (batch)', function () {
  this.timeout(20_000);
  let dir: string;
  let clock: FakeClock;
  let api: FakeApi;
  let image: Buffer;
  let downloads: { inFlight: number; max: number; started: number };
  const opened: Array<{ store: GalleryStore; engine: JobEngine }> = [];

  before(async () => {
    image = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#336699' } }).png().toBuffer();
  });

  beforeEach(() => {
    dir = tempGallery('flux-import-');
    clock = new FakeClock();
    api = new FakeApi(clock, image);
    downloads = { inFlight: 0, max: 0, started: 0 };
  });

  afterEach(async () => {
    for (const { store, engine } of opened.splice(0)) {
      await clock.runUntil(engine.dispose());
      store.dispose();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A window whose downloads are counted while they stream (each takes a few real milliseconds). */
  async function openWindow() {
    const store = new GalleryStore(dir, { watch: false });
    await store.load();
    const measured: ApiframeApi = {
      submit: (options, call) => api.submit(options, call),
      getJob: (id, call) => api.getJob(id, call),
      fetchImage: async (url, call) => {
        const response = await api.fetchImage(url, call);
        downloads.started++;
        downloads.max = Math.max(downloads.max, ++downloads.inFlight);
        const slow = new PassThrough();
        setTimeout(() => response.body.pipe(slow), 5);
        slow.on('close', () => downloads.inFlight--);
        return { ...response, body: slow };
      },
    };
    const engine = new JobEngine({ api: measured, store, durations: new DurationModel(), clock, backoff: { baseMs: 100, capMs: 1_000, maxAttempts: 3, random: () => 0.5 } });
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    opened.push({ store, engine });
    const deps = (lister: JobLister): ImportDeps => ({ api: lister, engine, findByJobId: (jobId) => store.findByJobId(jobId), clock });
    return { store, engine, events, deps };
  }

  function accountWith(count: number, prefix = 'job'): Job[] {
    return Array.from({ length: count }, (_, i) => {
      const id = `${prefix}-${String(i).padStart(3, '0')}`;
      api.addFinishedJob(id);
      return listedJob(id);
    });
  }

  it('50 jobs: at most 4 downloads at once, one summary, no per-image notification', async () => {
    const window = await openWindow();
    const known = accountWith(1, 'known')[0];
    await window.store.create({ id: 'already-here', jobId: known.id, options: { prompt: 'x', aspectRatio: '1:1', outputFormat: 'png', outputQuality: 90, raw: false }, state: 'completed', progress: 100, createdAt: 1 });
    const listing = [
      ...accountWith(50),
      listedJob('purged-1', { expired: true }),
      listedJob('purged-2', { expired: true }),
      listedJob('other-model', { model: 'flux-pro' }),
      listedJob('failed', { status: 'FAILED', imageUrls: [] }),
      known,
    ];
    const progress: Array<{ done: number; total: number }> = [];
    const summary = await clock.runUntil(importFromAccount(window.deps(new FakeLister(listing)), { onProgress: (p) => progress.push(p) }));
    assert.deepStrictEqual(summary, { imported: 50, expired: 2, failed: 0, skipped: 3, cancelled: false });
    assert.ok(downloads.max <= 4, `at most 4 downloads at once, saw ${downloads.max}`);
    assert.ok(downloads.max >= 2, `downloads run in parallel, saw ${downloads.max}`);
    assert.strictEqual(downloads.started, 50);
    assert.ok(window.events.every((event) => event.kind === 'completed' && event.entry.imported === true), 'every engine event is marked as part of the import');
    assert.deepStrictEqual(progress[0], { done: 0, total: 50 });
    assert.deepStrictEqual(progress[progress.length - 1], { done: 50, total: 50 });
    const imported = window.store.get(importedEntryId('job-007'));
    assert.strictEqual(imported?.options.prompt, 'imported job-007');
    assert.deepStrictEqual([imported?.options.aspectRatio, imported?.options.seed, imported?.state], ['1:1', 7, 'completed']);
    console.log(`      max concurrent downloads: ${downloads.max}`);
  });

  it('stops when the server repeats a cursor', async () => {
    const window = await openWindow();
    const lister = new FakeLister(accountWith(60), 20, () => 'page-1'); // always "next: page 1"
    const summary = await clock.runUntil(importFromAccount(window.deps(lister)));
    assert.strictEqual(lister.calls, 2);
    assert.strictEqual(summary.listingCut, 'repeatedCursor');
    assert.strictEqual(summary.imported, 40);
  });

  it('stops after the page limit', async () => {
    const window = await openWindow();
    const lister = new FakeLister(accountWith(30), 2);
    const summary = await clock.runUntil(importFromAccount(window.deps(lister), { maxPages: 5 }));
    assert.strictEqual(lister.calls, 5);
    assert.strictEqual(summary.listingCut, 'pageLimit');
    assert.strictEqual(summary.imported, 10);
  });

  it('an image deleted at Apiframe before it could be downloaded counts as expired and leaves no entry', async () => {
    const window = await openWindow();
    const listing = accountWith(3);
    api.addFinishedJob('gone', true);
    const summary = await clock.runUntil(importFromAccount(window.deps(new FakeLister([...listing, listedJob('gone')]))));
    assert.deepStrictEqual(summary, { imported: 3, expired: 1, failed: 0, skipped: 0, cancelled: false });
    assert.strictEqual(window.store.get(importedEntryId('gone')), undefined);
  });

  it('cancel stops starting downloads; what is not stored yet is dropped, what is stored stays', async () => {
    const window = await openWindow();
    const controller = new AbortController();
    const run = importFromAccount(window.deps(new FakeLister(accountWith(20))), {
      signal: controller.signal,
      onProgress: ({ done }) => done === 5 && controller.abort(),
    });
    const summary = await clock.runUntil(run);
    assert.strictEqual(summary.cancelled, true);
    assert.ok(downloads.started <= 5 + 4, `${downloads.started} downloads started`);
    await clock.runUntil(new Promise((resolve) => setTimeout(resolve, 50)));
    const entries = window.store.list();
    assert.ok(entries.length >= 5 && entries.every((e) => e.state === 'completed'), entries.map((e) => e.state).join(', '));
  });

  it('two windows importing at once add each job once', async () => {
    const [a, b] = [await openWindow(), await openWindow()];
    const listing = accountWith(12);
    const [first, second] = await clock.runUntil(Promise.all([importFromAccount(a.deps(new FakeLister(listing))), importFromAccount(b.deps(new FakeLister(listing)))]));
    assert.strictEqual(first.imported + second.imported, 12);
    assert.strictEqual(fs.readdirSync(`${dir}/entries`).length, 12);
  });
});
