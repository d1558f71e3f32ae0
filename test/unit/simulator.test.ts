import * as assert from 'assert';
import * as http from 'http';
import sharp from 'sharp';
import * as zlib from 'zlib';
import { ULTRA_SIZES } from '../../src/shared/options';
import { HOSTILE_FAULT_KINDS } from '../simulator/hostile';
import {
  CONTENT_POLICY_ERROR,
  FAULT_KINDS,
  startSimulator,
  webhookSignature,
  type Simulator,
  type SimulatorOptions,
  type SimulatorStats,
} from '../simulator/server';

const KEY = 'afk_test_key';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Res {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

async function call(
  sim: Simulator,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; key?: string | null } = {},
): Promise<Res> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key !== null) headers['X-API-Key'] = init.key ?? KEY;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const r = await fetch(sim.url + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await r.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: r.status, headers: r.headers, body: parsed, text };
}

function genBody(extra: Record<string, unknown> = {}, flux: Record<string, unknown> = {}) {
  // a fixed seed lets the simulator's render cache share one encode between tests
  return { prompt: 'A lighthouse at dusk', model: 'flux-1.1-pro-ultra', fluxParams: { seed: 1, ...flux }, ...extra };
}

async function submit(sim: Simulator, flux: Record<string, unknown> = {}, headers?: Record<string, string>, key?: string) {
  const r = await call(sim, '/v2/images/generate', { body: genBody({}, flux), headers, key });
  assert.strictEqual(r.status, 202, r.text);
  return r.body.jobId as string;
}

async function waitDone(sim: Simulator, id: string, key?: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(sim, `/v2/jobs/${id}`, { key });
    assert.strictEqual(r.status, 200, r.text);
    if (r.body.status === 'COMPLETED' || r.body.status === 'FAILED') return r.body;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${r.body.status}`);
    await sleep(15);
  }
}

const BASE: SimulatorOptions = {
  timeScale: 0.01, // median 150 ms per job
  seed: 7,
  apiKeys: {
    [KEY]: { credits: 1000 },
    afk_other_key: { credits: 100, user: 'other@example.com', team: 'Other' },
    afk_inactive: { credits: 100, active: false },
    afk_poor_key: { credits: 5 },
  },
};

describe('Apiframe simulator', function () {
  this.timeout(10000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator(BASE);
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  describe('auth', () => {
    it('401 without or with an unknown key, 403 for an inactive key', async () => {
      const missing = await call(sim, '/v2/me', { key: null });
      assert.strictEqual(missing.status, 401);
      assert.ok(typeof missing.body.error === 'string');
      assert.strictEqual((await call(sim, '/v2/me', { key: 'afk_nope' })).status, 401);
      assert.strictEqual((await call(sim, '/v2/jobs', { key: 'afk_inactive' })).status, 403);
      const gen = await call(sim, '/v2/images/generate', { body: genBody(), key: 'afk_wrong' });
      assert.strictEqual(gen.status, 401);
    });
  });

  describe('generate validation', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['output_quality', genBody({}, { output_quality: 150 }), 'fluxParams.output_quality'],
      ['fractional quality', genBody({}, { output_quality: 50.5 }), 'fluxParams.output_quality'],
      ['unknown flux key', genBody({}, { safety_tolerance: 2 }), 'fluxParams.safety_tolerance'],
      ['unknown top-level key', genBody({ webhook_url: 'https://x.test/hook' }), 'webhook_url'],
      ['blank prompt', genBody({ prompt: '   ' }), 'prompt'],
      ['long prompt', genBody({ prompt: 'x'.repeat(2001) }), 'prompt'],
      ['wrong model', genBody({ model: 'flux-pro' }), 'model'],
      ['aspect ratio', genBody({}, { aspect_ratio: '2:1' }), 'fluxParams.aspect_ratio'],
      ['aspect ratio pattern', genBody({}, { aspect_ratio: 'wide' }), 'fluxParams.aspect_ratio'],
      ['image_prompt', genBody({}, { image_prompt: 'ftp://x.test/a.png' }), 'fluxParams.image_prompt'],
      ['strength', genBody({}, { image_prompt_strength: 1.5 }), 'fluxParams.image_prompt_strength'],
      ['format', genBody({}, { output_format: 'gif' }), 'fluxParams.output_format'],
      ['seed', genBody({}, { seed: 1.5 }), 'fluxParams.seed'],
      ['raw', genBody({}, { raw: 'yes' }), 'fluxParams.raw'],
      ['width', genBody({}, { width: 100 }), 'fluxParams.width'],
    ];
    for (const [name, body, field] of cases) {
      it(`400 for ${name}`, async () => {
        const r = await call(sim, '/v2/images/generate', { body });
        assert.strictEqual(r.status, 400, r.text);
        assert.strictEqual(r.body.error, 'Validation failed');
        assert.ok(Array.isArray(r.body.details[field]), JSON.stringify(r.body.details));
      });
    }
    it('accepts every documented field', async () => {
      const r = await call(sim, '/v2/images/generate', {
        body: genBody(
          { webhookUrl: 'https://example.test/hook', webhookEvents: ['completed'] },
          {
            aspect_ratio: '9:16',
            image_prompt: 'https://example.test/ref.png',
            image_prompt_strength: 0.35,
            output_format: 'webp',
            output_quality: 0,
            raw: true,
            seed: -12,
            prompt_upsampling: false,
          },
        ),
      });
      assert.strictEqual(r.status, 202, r.text);
    });
    it('400 for invalid JSON and for an over-long Idempotency-Key', async () => {
      assert.strictEqual((await call(sim, '/v2/images/generate', { body: '{"prompt":' })).status, 400);
      const r = await call(sim, '/v2/images/generate', { body: genBody(), headers: { 'Idempotency-Key': 'k'.repeat(256) } });
      assert.strictEqual(r.status, 400);
      assert.strictEqual(sim.stats().jobsCreated, 0);
    });
    it('402 with creditsRequired/creditsAvailable when credits are short', async () => {
      const r = await call(sim, '/v2/images/generate', { body: genBody(), key: 'afk_poor_key' });
      assert.strictEqual(r.status, 402);
      assert.deepStrictEqual(r.body, { error: 'Insufficient credits', creditsRequired: 6, creditsAvailable: 5 });
    });
  });

  describe('job lifecycle', () => {
    it('202 QUEUED → PROCESSING (monotonic progress) → COMPLETED, charged at submit', async () => {
      sim.configure({ durations: { fixedMs: 400 }, timeScale: 1, queueMs: 60 });
      const r = await call(sim, '/v2/images/generate', { body: genBody({}, { seed: 3 }) });
      assert.strictEqual(r.status, 202);
      assert.match(r.body.jobId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.strictEqual(r.body.status, 'QUEUED');
      const me = await call(sim, '/v2/me');
      assert.strictEqual(me.body.team.credits, 994);
      const seen: string[] = [];
      let last = -1;
      let job;
      for (;;) {
        job = (await call(sim, `/v2/jobs/${r.body.jobId}`)).body;
        if (!seen.includes(job.status)) seen.push(job.status);
        assert.ok(job.progress >= last, 'progress is monotonic');
        last = job.progress;
        if (job.status === 'PROCESSING') assert.ok(job.progress < 100);
        if (job.status === 'COMPLETED') break;
        assert.strictEqual(job.result, null);
        await sleep(10);
      }
      assert.deepStrictEqual(seen, ['QUEUED', 'PROCESSING', 'COMPLETED']);
      assert.strictEqual(job.progress, 100);
      assert.strictEqual(job.creditCost, 6);
      assert.strictEqual(job.model, 'flux-1.1-pro-ultra');
      assert.strictEqual(job.error, null);
      assert.strictEqual(job.expired, false);
      assert.strictEqual(job.input.prompt, 'A lighthouse at dusk');
      assert.strictEqual(job.input.fluxParams.seed, 3);
      assert.ok(Array.isArray(job.result.images) && job.result.images[0].startsWith(sim.url + '/files/'));
      assert.strictEqual(Date.parse(job.completedAt), sim.completionTime(job.id));
      const took = Date.parse(job.completedAt) - Date.parse(job.createdAt);
      assert.ok(took >= 399 && took <= 401, String(took));
    });

    it('silent progress model stays at 0 until COMPLETED', async () => {
      // 2 s: long enough that the look in the middle lands in PROCESSING on a loaded machine too.
      sim.configure({ durations: { fixedMs: 2000 }, timeScale: 1, queueMs: 0, progressModel: 'silent' });
      const id = await submit(sim);
      await sleep(300);
      const mid = (await call(sim, `/v2/jobs/${id}`)).body;
      assert.strictEqual(mid.status, 'PROCESSING');
      assert.strictEqual(mid.progress, 0);
      assert.strictEqual((await waitDone(sim, id)).progress, 100);
    });

    it('failureRate=1 → FAILED with the content-policy message, refunded', async () => {
      sim.configure({ failureRate: 1 });
      const id = await submit(sim);
      const job = await waitDone(sim, id);
      assert.strictEqual(job.status, 'FAILED');
      assert.strictEqual(job.error, CONTENT_POLICY_ERROR);
      assert.strictEqual(job.creditCost, 0);
      assert.strictEqual(job.result, null);
      assert.strictEqual((await call(sim, '/v2/me')).body.team.credits, 1000);
      const s = sim.stats();
      assert.strictEqual(s.creditsCharged, 6);
      assert.strictEqual(s.creditsRefunded, 6);
    });

    it('failJob fault fails only the next created job', async () => {
      sim.injectFault({ route: 'generate', kind: 'failJob' });
      const a = await submit(sim);
      const b = await submit(sim);
      assert.strictEqual((await waitDone(sim, a)).status, 'FAILED');
      assert.strictEqual((await waitDone(sim, b)).status, 'COMPLETED');
      assert.strictEqual(sim.stats().faultsInjected.failJob, 1);
      assert.strictEqual(sim.stats().creditsRefunded, 6);
    });

    it('GET job: 400 for a non-UUID, 404 for unknown or another key\'s job', async () => {
      assert.strictEqual((await call(sim, '/v2/jobs/not-a-uuid')).status, 400);
      assert.strictEqual((await call(sim, '/v2/jobs/3b241101-e2bb-4255-8caf-4136c566a962')).status, 404);
      const id = await submit(sim);
      assert.strictEqual((await call(sim, `/v2/jobs/${id}`, { key: 'afk_other_key' })).status, 404);
    });

    it('same seed → same log-normal durations', async () => {
      const durations = async (s: Simulator) => {
        const ids = [await submit(s), await submit(s), await submit(s), await submit(s)];
        for (const id of ids) await waitDone(s, id);
        return ids.map((id) => {
          const j = s.stats().jobs.find((x) => x.id === id)!;
          assert.strictEqual(s.completionTime(id), j.completedAtMs);
          return j.completedAtMs! - j.createdAtMs;
        });
      };
      const a = await startSimulator({ seed: 99, timeScale: 0.01 });
      const b = await startSimulator({ seed: 99, timeScale: 0.01 });
      try {
        const da = await durations(a);
        const db = await durations(b);
        da.forEach((d, i) => assert.ok(Math.abs(d - db[i]) <= 1, `${da} vs ${db}`));
        assert.ok(da.every((d) => d > 40 && d < 600), String(da));
        assert.ok(new Set(da).size > 1, 'durations vary');
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  describe('idempotency', () => {
    it('a repeat with the same key returns the original job and charges once', async () => {
      const headers = { 'Idempotency-Key': 'action-1' };
      const first = await submit(sim, {}, headers);
      const second = await call(sim, '/v2/images/generate', { body: genBody(), headers });
      assert.strictEqual(second.status, 202);
      assert.strictEqual(second.body.jobId, first);
      await waitDone(sim, first);
      const third = await call(sim, '/v2/images/generate', { body: genBody(), headers });
      assert.deepStrictEqual(third.body, { jobId: first, status: 'COMPLETED' });
      const s = sim.stats();
      assert.strictEqual(s.jobsCreated, 1);
      assert.strictEqual(s.creditsCharged, 6);
      assert.strictEqual(s.idempotentReplays, 2);
      assert.strictEqual(s.jobs[0].idempotencyKey, 'action-1');
      // the key is scoped per API key
      const other = await submit(sim, {}, headers, 'afk_other_key');
      assert.notStrictEqual(other, first);
    });
  });

  describe('images', () => {
    const cases: Array<[string, string, string, string]> = [
      ['1:1', 'jpg', 'image/jpeg', 'jpeg'],
      ['16:9', 'png', 'image/png', 'png'],
      ['3:4', 'webp', 'image/webp', 'webp'],
    ];
    for (const [ratio, format, mime, sharpFormat] of cases) {
      it(`serves a real ${format} at the Ultra size for ${ratio}`, async () => {
        const id = await submit(sim, { aspect_ratio: ratio, output_format: format, output_quality: 80 });
        const job = await waitDone(sim, id);
        const url = job.result.images[0] as string;
        assert.ok(url.endsWith(`.${format}`), url);
        const r = await fetch(url);
        assert.strictEqual(r.status, 200);
        assert.strictEqual(r.headers.get('content-type'), mime);
        const bytes = Buffer.from(await r.arrayBuffer());
        assert.strictEqual(Number(r.headers.get('content-length')), bytes.length);
        const meta = await sharp(bytes).metadata();
        const size = ULTRA_SIZES[ratio as keyof typeof ULTRA_SIZES];
        assert.strictEqual(meta.format, sharpFormat);
        assert.strictEqual(meta.width, size.width);
        assert.strictEqual(meta.height, size.height);
        // cached: the second fetch is the same bytes
        const again = Buffer.from(await (await fetch(url)).arrayBuffer());
        assert.ok(again.equals(bytes));
      });
    }

    it('expired URLs 404 and re-fetching the job returns a fresh URL', async () => {
      sim.configure({ urlTtlMs: 150 });
      const id = await submit(sim, { output_format: 'jpg' });
      const job = await waitDone(sim, id);
      const url = job.result.images[0];
      await sleep(200);
      const gone = await fetch(url);
      assert.strictEqual(gone.status, 404);
      assert.ok(typeof ((await gone.json()) as { error: unknown }).error === 'string');
      const fresh = (await call(sim, `/v2/jobs/${id}`)).body.result.images[0];
      assert.notStrictEqual(fresh, url);
      assert.strictEqual((await fetch(fresh)).status, 200);
    });

    it('after the retention a job is expired and its URLs 404', async () => {
      sim.configure({ retentionMs: 50 });
      const id = await submit(sim);
      await waitDone(sim, id);
      await sleep(80);
      const job = (await call(sim, `/v2/jobs/${id}`)).body;
      assert.strictEqual(job.expired, true);
      assert.strictEqual((await fetch(job.result.images[0])).status, 404);
    });
  });

  describe('result shapes', () => {
    it('string / images / array / rotate', async () => {
      const shapeOf = (result: unknown) =>
        typeof result === 'string' ? 'string' : Array.isArray(result) ? 'array' : 'images';
      for (const shape of ['string', 'images', 'array'] as const) {
        sim.configure({ resultShape: shape });
        const job = await waitDone(sim, await submit(sim));
        assert.strictEqual(shapeOf(job.result), shape);
      }
      sim.reset();
      sim.configure({ resultShape: 'rotate' });
      const ids = [await submit(sim), await submit(sim), await submit(sim)];
      const shapes = [];
      for (const id of ids) shapes.push(shapeOf((await waitDone(sim, id)).result));
      assert.deepStrictEqual(shapes.sort(), ['array', 'images', 'string']);
    });
  });

  describe('listing and account', () => {
    it('GET /v2/jobs paginates newest first, filters, and shows only this key\'s jobs', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await submit(sim));
      await submit(sim, {}, undefined, 'afk_other_key');
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = `/v2/jobs?limit=2&model=flux-1.1-pro-ultra${cursor ? `&cursor=${cursor}` : ''}`;
        const r = await call(sim, q);
        assert.strictEqual(r.status, 200);
        seen.push(...r.body.jobs.map((j: { id: string }) => j.id));
        assert.strictEqual(r.body.hasMore, r.body.nextCursor !== null);
        cursor = r.body.nextCursor;
        pages++;
      } while (cursor);
      assert.strictEqual(pages, 3);
      assert.deepStrictEqual(seen, [...ids].reverse());
      assert.strictEqual((await call(sim, '/v2/jobs?limit=0')).status, 400);
      assert.strictEqual((await call(sim, '/v2/jobs?limit=101')).status, 400);
      assert.strictEqual((await call(sim, '/v2/jobs?status=DONE')).status, 400);
      await waitDone(sim, ids[4]);
      for (const id of ids) await waitDone(sim, id);
      const completed = await call(sim, '/v2/jobs?status=COMPLETED&limit=100');
      assert.strictEqual(completed.body.jobs.length, 5);
      assert.strictEqual((await call(sim, '/v2/jobs?status=QUEUED')).body.jobs.length, 0);
      assert.strictEqual((await call(sim, '/v2/jobs?model=other')).body.jobs.length, 0);
    });

    it('GET /v2/me shows credits and only the key prefix', async () => {
      const r = await call(sim, '/v2/me');
      assert.strictEqual(r.status, 200);
      assert.strictEqual(r.body.team.credits, 1000);
      assert.ok(r.body.user.id && r.body.user.email && r.body.team.id && r.body.team.name);
      assert.strictEqual(r.body.team.plan, 'pro');
      assert.ok(r.body.team.customerId);
      assert.strictEqual(r.body.apiKey.prefix, 'afk_test');
      assert.ok(!r.text.includes(KEY));
      const other = await call(sim, '/v2/me', { key: 'afk_other_key' });
      assert.strictEqual(other.body.user.email, 'other@example.com');
      assert.strictEqual(other.body.team.name, 'Other');
    });

    it('never echoes the key in stats, jobs or verbose logs', async () => {
      const lines: string[] = [];
      const original = console.log;
      console.log = (...args: unknown[]) => lines.push(args.join(' '));
      try {
        sim.configure({ verbose: true });
        const id = await submit(sim);
        await call(sim, `/v2/jobs/${id}?x=1`);
        await sleep(20);
      } finally {
        console.log = original;
      }
      assert.ok(lines.length >= 2, lines.join('\n'));
      assert.ok(lines.every((l) => !l.includes(KEY)));
      assert.ok(!JSON.stringify(sim.stats()).includes(KEY));
    });
  });

  describe('uploads', () => {
    async function upload(data: Buffer, field = 'file', filename = 'ref.bin') {
      const form = new FormData();
      form.append(field, new Blob([data]), filename);
      const r = await fetch(`${sim.url}/v2/uploads`, { method: 'POST', headers: { 'X-API-Key': KEY }, body: form });
      return { status: r.status, body: (await r.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    }

    it('201 with a served URL; type sniffed from content', async () => {
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toBuffer();
      const r = await upload(png, 'file', 'wrong-extension.jpg');
      assert.strictEqual(r.status, 201);
      assert.strictEqual(r.body.kind, 'image');
      assert.strictEqual(r.body.contentType, 'image/png');
      assert.strictEqual(r.body.byteSize, png.length);
      assert.ok(Date.parse(r.body.expiresAt) > Date.now() + 60 * 60_000);
      const served = await fetch(r.body.url);
      assert.strictEqual(served.headers.get('content-type'), 'image/png');
      assert.ok(Buffer.from(await served.arrayBuffer()).equals(png));
      const webp = await sharp(png).webp().toBuffer();
      assert.strictEqual((await upload(webp)).body.contentType, 'image/webp');
      const jpg = await sharp(png).jpeg().toBuffer();
      assert.strictEqual((await upload(jpg)).body.contentType, 'image/jpeg');
      // the URL is accepted as image_prompt
      const gen = await call(sim, '/v2/images/generate', { body: genBody({}, { image_prompt: r.body.url }) });
      assert.strictEqual(gen.status, 202);
    });

    it('400 for non-images or a missing file field; uploads expire', async () => {
      assert.strictEqual((await upload(Buffer.from('hello world, not an image'))).status, 400);
      const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
      assert.strictEqual((await upload(png, 'image')).status, 400);
      const noKey = await fetch(`${sim.url}/v2/uploads`, { method: 'POST', body: new FormData() });
      assert.strictEqual(noKey.status, 401);
      sim.configure({ uploadTtlMs: 50 });
      const r = await upload(png);
      await sleep(80);
      assert.strictEqual((await fetch(r.body.url)).status, 404);
    });
  });

  describe('faults', () => {
    it('http500 / http503 with JSON, http502 with HTML; consumed after `times`', async () => {
      sim.injectFault({ route: 'me', kind: 'http500' });
      sim.injectFault({ route: 'me', kind: 'http503', times: 2 });
      sim.injectFault({ route: 'any', kind: 'http502' });
      const a = await call(sim, '/v2/me');
      assert.strictEqual(a.status, 500);
      assert.ok(a.body.error);
      assert.strictEqual((await call(sim, '/v2/me')).status, 503);
      assert.strictEqual((await call(sim, '/v2/me')).body.error !== undefined, true);
      const c = await call(sim, '/v2/jobs');
      assert.strictEqual(c.status, 502);
      assert.match(c.headers.get('content-type') ?? '', /text\/html/);
      assert.strictEqual((await call(sim, '/v2/me')).status, 200);
      const s = sim.stats();
      assert.deepStrictEqual(s.faultsInjected, { http500: 1, http503: 2, http502: 1 });
      assert.strictEqual(s.pendingFaults, 0);
    });

    it('http429 (seconds) and http429date (HTTP date)', async () => {
      sim.injectFault({ route: 'job', kind: 'http429', retryAfterSeconds: 7 });
      sim.injectFault({ route: 'job', kind: 'http429date', retryAfterSeconds: 3 });
      const id = '3b241101-e2bb-4255-8caf-4136c566a962';
      const a = await call(sim, `/v2/jobs/${id}`);
      assert.strictEqual(a.status, 429);
      assert.strictEqual(a.headers.get('retry-after'), '7');
      const b = await call(sim, `/v2/jobs/${id}`);
      assert.strictEqual(b.status, 429);
      const at = Date.parse(b.headers.get('retry-after') ?? '');
      assert.ok(at >= Date.now() + 2000 && at <= Date.now() + 6000, b.headers.get('retry-after') ?? '');
    });

    it('reset drops the connection; on generate the job is created first and a retry gets it back', async () => {
      sim.injectFault({ route: 'me', kind: 'reset' });
      await assert.rejects(call(sim, '/v2/me'));
      sim.injectFault({ route: 'generate', kind: 'reset' });
      const headers = { 'Idempotency-Key': 'lost-response' };
      await assert.rejects(call(sim, '/v2/images/generate', { body: genBody(), headers }));
      const created = sim.stats().jobs;
      assert.strictEqual(created.length, 1);
      const retry = await call(sim, '/v2/images/generate', { body: genBody(), headers });
      assert.strictEqual(retry.status, 202);
      assert.strictEqual(retry.body.jobId, created[0].id);
      const s = sim.stats();
      assert.strictEqual(s.creditsCharged, 6);
      assert.strictEqual(s.jobsCreated, 1);
      assert.strictEqual(s.faultsInjected.reset, 2);
    });

    it('slow delays the response', async () => {
      sim.injectFault({ route: 'me', kind: 'slow', delayMs: 250 });
      const t = Date.now();
      assert.strictEqual((await call(sim, '/v2/me')).status, 200);
      assert.ok(Date.now() - t >= 240);
    });

    it('truncate sends a full Content-Length but half the body (JSON and images)', async () => {
      sim.injectFault({ route: 'me', kind: 'truncate' });
      const r = await fetch(`${sim.url}/v2/me`, { headers: { 'X-API-Key': KEY } });
      assert.strictEqual(r.status, 200);
      await assert.rejects(r.text());
      const job = await waitDone(sim, await submit(sim));
      sim.injectFault({ route: 'image', kind: 'truncate' });
      const img = await fetch(job.result.images[0]);
      assert.strictEqual(img.status, 200);
      assert.ok(Number(img.headers.get('content-length')) > 1000);
      await assert.rejects(img.arrayBuffer());
      assert.strictEqual((await fetch(job.result.images[0])).status, 200);
    });

    it('malformedJson answers 200 with invalid JSON; htmlBody answers an HTML page', async () => {
      sim.injectFault({ route: 'jobs', kind: 'malformedJson' });
      sim.injectFault({ route: 'jobs', kind: 'htmlBody', times: 2 });
      const a = await fetch(`${sim.url}/v2/jobs`, { headers: { 'X-API-Key': KEY } });
      assert.strictEqual(a.status, 200);
      await assert.rejects(a.json(), SyntaxError);
      const statuses = [];
      for (let i = 0; i < 2; i++) {
        const b = await call(sim, '/v2/jobs');
        assert.match(b.headers.get('content-type') ?? '', /text\/html/);
        assert.match(b.text, /<html>/);
        statuses.push(b.status);
      }
      assert.deepStrictEqual(statuses, [503, 200]);
    });

    it('expiredUrl makes the image route 404 once', async () => {
      const job = await waitDone(sim, await submit(sim));
      sim.injectFault({ route: 'image', kind: 'expiredUrl' });
      assert.strictEqual((await fetch(job.result.images[0])).status, 404);
      assert.strictEqual((await fetch(job.result.images[0])).status, 200);
    });

    it('timeout never answers until the client gives up', async () => {
      sim.injectFault({ route: 'me', kind: 'timeout' });
      const t = Date.now();
      await assert.rejects(
        fetch(`${sim.url}/v2/me`, { headers: { 'X-API-Key': KEY }, signal: AbortSignal.timeout(200) }),
        (err: Error) => err.name === 'TimeoutError',
      );
      assert.ok(Date.now() - t >= 190);
      assert.strictEqual((await call(sim, '/v2/me')).status, 200);
    });

    it('setFaultMix injects seeded random faults reproducibly', async () => {
      const run = async () => {
        sim.reset();
        sim.setFaultMix({ probability: 0.5, kinds: ['http500', 'http503', 'http429'], seed: 5 });
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((await call(sim, '/v2/me')).status);
        return out;
      };
      const a = await run();
      const b = await run();
      assert.deepStrictEqual(a, b);
      assert.ok(a.some((s) => s !== 200) && a.some((s) => s === 200), a.join(','));
      const s = sim.stats();
      const injected = Object.values(s.faultsInjected).reduce((x, y) => x + y, 0);
      assert.strictEqual(injected, a.filter((x) => x !== 200).length);
      sim.setFaultMix(undefined);
      assert.strictEqual((await call(sim, '/v2/me')).status, 200);
    });

    it('rate limit answers 429 with Retry-After beyond perSecond', async () => {
      sim.configure({ rateLimit: { perSecond: 3 } });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(sim, '/v2/me')).status);
      assert.deepStrictEqual(statuses, [200, 200, 200, 429, 429]);
      const r = await call(sim, '/v2/me');
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    });
  });

  describe('hostile faults (a client must refuse them)', () => {
    /** A raw GET (no decoding, no redirects) that reads at most `maxBytes` of the body, then hangs up. */
    function rawGet(url: string, maxBytes: number): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
      return new Promise((resolve, reject) => {
        let done: (() => void) | undefined;
        const req = http.get(url, { headers: { 'X-API-Key': KEY } }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, maxBytes) });
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= maxBytes) {
              req.destroy();
              done!();
            }
          });
          // 'close' also comes when the connection drops before a promised Content-Length.
          res.on('close', done);
          res.on('error', () => undefined);
        });
        // Bytes after a (lying) Content-Length are a parse error on the connection: the body is what came before.
        req.on('error', (error) => (done ? done() : reject(error)));
      });
    }

    async function untilClosed(): Promise<void> {
      for (let i = 0; i < 100 && sim.stats().hugeBodies.open > 0; i++) await sleep(10);
      assert.strictEqual(sim.stats().hugeBodies.open, 0, 'the simulator stops sending when the client hangs up');
    }

    it('hugeBody streams an endless chunked JSON body until the client hangs up', async () => {
      sim.injectFault({ route: 'job', kind: 'hugeBody' });
      const before = sim.stats().hugeBodies.bytesSent;
      const r = await rawGet(`${sim.url}/v2/jobs/8c1f3a52-9b4e-4c7d-a1e2-f3b4c5d6e7f8`, 4 * 1024 * 1024);
      assert.strictEqual(r.status, 200);
      assert.strictEqual(r.headers['transfer-encoding'], 'chunked');
      assert.strictEqual(r.headers['content-length'], undefined);
      assert.strictEqual(r.body.length, 4 * 1024 * 1024);
      assert.ok(r.body.toString('latin1', 0, 60).startsWith('{"id":"'), r.body.toString('latin1', 0, 60));
      await untilClosed();
      assert.ok(sim.stats().hugeBodies.bytesSent - before >= 4 * 1024 * 1024);
    });

    it('hugeBody sends exactly `bytes` with an honest length, and stops at a lying small one', async () => {
      const job = await waitDone(sim, await submit(sim));
      sim.injectFault({ route: 'image', kind: 'hugeBody', bytes: 3_000_000, declaredLength: 3_000_000 });
      const honest = await rawGet(job.result.images[0], 10_000_000);
      assert.strictEqual(honest.headers['content-length'], '3000000');
      assert.strictEqual(honest.body.length, 3_000_000);
      assert.strictEqual(honest.body.readUInt32BE(0), 0x89504e47, 'a PNG signature');
      // A Content-Length of 100 ends the body there (Node's parser reports what follows as an error on the
      // connection, sometimes before the 100 bytes were handed out): never more than declared.
      sim.injectFault({ route: 'image', kind: 'hugeBody', bytes: 10_000_000, declaredLength: 100 });
      const lying = await rawGet(job.result.images[0], 10_000_000);
      assert.ok(lying.body.length <= 100, `${lying.body.length} bytes`);
      // …and a big declaration promises more than is sent.
      sim.injectFault({ route: 'me', kind: 'hugeBody', bytes: 1000, declaredLength: 2 ** 31 });
      const promised = await rawGet(`${sim.url}/v2/me`, 10_000);
      assert.strictEqual(promised.headers['content-length'], String(2 ** 31));
      assert.strictEqual(promised.body.length, 1000);
      await untilClosed();
    });

    for (const encoding of ['gzip', 'deflate', 'br'] as const) {
      it(`hugeBody with encoding ${encoding} is a compression bomb`, async () => {
        sim.injectFault({ route: 'me', kind: 'hugeBody', encoding, bytes: 20 * 1024 * 1024 });
        const r = await rawGet(`${sim.url}/v2/me`, 64 * 1024 * 1024);
        assert.strictEqual(r.headers['content-encoding'], encoding);
        const decode = { gzip: zlib.gunzipSync, deflate: zlib.inflateSync, br: zlib.brotliDecompressSync }[encoding];
        const decoded = decode(r.body);
        assert.strictEqual(decoded.length, 20 * 1024 * 1024);
        assert.ok(r.body.length * 100 < decoded.length, `${r.body.length} bytes on the wire`);
        assert.ok(decoded.toString('latin1', 0, 10).startsWith('{"id":"'));
      });
    }

    it('httpResultUrl moves result links to plain http on a foreign host, once', async () => {
      const id = await submit(sim);
      await waitDone(sim, id);
      sim.injectFault({ route: 'job', kind: 'httpResultUrl' });
      const moved = (await call(sim, `/v2/jobs/${id}`)).body.result.images[0] as string;
      assert.match(moved, /^http:\/\/images\.example\.invalid\/files\/[\w-]+\.jpg$/);
      assert.ok(((await call(sim, `/v2/jobs/${id}`)).body.result.images[0] as string).startsWith(sim.url));
    });

    it('redirectToHttp, redirectToHttps (default and `location`) and redirectLoop answer the image route with 302s', async () => {
      const job = await waitDone(sim, await submit(sim));
      const url = job.result.images[0] as string;
      const path = new URL(url).pathname;
      const location = async () => (await rawGet(url, 0)).headers.location;
      sim.injectFault({ route: 'image', kind: 'redirectToHttp' });
      assert.strictEqual(await location(), `http://images.example.invalid${path}`);
      sim.injectFault({ route: 'image', kind: 'redirectToHttps' });
      assert.strictEqual(await location(), `https://${new URL(sim.url).host}${path}`);
      sim.injectFault({ route: 'image', kind: 'redirectToHttps', location: 'https://cdn.example/x.png' });
      assert.strictEqual(await location(), 'https://cdn.example/x.png');
      sim.injectFault({ route: 'image', kind: 'redirectLoop' });
      assert.strictEqual(await location(), '/redirect-loop/0');
      assert.strictEqual((await rawGet(`${sim.url}/redirect-loop/0`, 0)).headers.location, '/redirect-loop/1');
      assert.strictEqual((await rawGet(`${sim.url}/redirect-loop/1`, 0)).headers.location, '/redirect-loop/0');
      assert.strictEqual((await rawGet(url, 0)).status, 200, 'each fault is used up');
    });

    it('hostile kinds are not in FAULT_KINDS (the transient faults a fault mix draws from)', () => {
      for (const kind of HOSTILE_FAULT_KINDS) assert.ok(!FAULT_KINDS.includes(kind), kind);
      assert.throws(() => sim.injectFault({ route: 'image', kind: 'nope' as never }), /Unknown fault kind/);
    });
  });

  describe('webhooks', () => {
    it('delivers a signed completed event', async () => {
      const received: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];
      const hook = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks) });
          res.end('ok');
        });
      });
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
      try {
        const port = (hook.address() as { port: number }).port;
        const r = await call(sim, '/v2/images/generate', {
          body: genBody({ webhookUrl: `http://127.0.0.1:${port}/hook`, webhookEvents: ['completed'] }),
        });
        const job = await waitDone(sim, r.body.jobId);
        for (let i = 0; i < 50 && !received.length; i++) await sleep(10);
        assert.strictEqual(received.length, 1);
        const { headers, body } = received[0];
        assert.strictEqual(headers['x-webhook-event'], 'completed');
        assert.strictEqual(headers['x-webhook-signature'], webhookSignature(KEY, body));
        const payload = JSON.parse(body.toString());
        assert.strictEqual(payload.jobId, job.id);
        assert.strictEqual(payload.status, 'COMPLETED');
        assert.strictEqual((await call(sim, `/v2/jobs/${job.id}`)).body.webhookStatus, 'delivered');
      } finally {
        await new Promise((r) => hook.close(r));
      }
    });
  });

  describe('control endpoints', () => {
    it('faults, config, stats and reset over HTTP without an API key', async () => {
      const post = (path: string, body: unknown) =>
        fetch(sim.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      assert.strictEqual(
        (await post('/__sim/faults', [{ route: 'me', kind: 'http503' }, { route: 'me', kind: 'http500' }])).status,
        200,
      );
      assert.strictEqual((await post('/__sim/faults', { route: 'me', kind: 'bogus' })).status, 400);
      assert.strictEqual((await call(sim, '/v2/me')).status, 503);
      assert.strictEqual((await call(sim, '/v2/me')).status, 500);
      assert.strictEqual((await post('/__sim/config', { creditCost: 10 })).status, 200);
      await submit(sim);
      const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as SimulatorStats;
      assert.strictEqual(stats.creditsCharged, 10);
      assert.strictEqual(stats.jobsCreated, 1);
      assert.strictEqual(stats.requests.me, 2);
      assert.deepStrictEqual(stats.faultsInjected, { http503: 1, http500: 1 });
      assert.strictEqual(stats.jobs.length, 1);
      assert.strictEqual((await post('/__sim/reset', {})).status, 200);
      const after = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as SimulatorStats;
      assert.strictEqual(after.jobsCreated, 0);
      assert.strictEqual((await call(sim, '/v2/me')).body.team.credits, 1000);
      await submit(sim);
      assert.strictEqual(sim.stats().creditsCharged, 6, 'reset restores the start options');
    });

    it('control endpoints refuse non-loopback callers', async () => {
      // A request sent from 127.0.0.2 (a loopback address every Linux machine has, which the simulator does not
      // count as its own caller: it trusts 127.0.0.1 and ::1 only) stands in for a caller from elsewhere.
      const open = await startSimulator({ host: '0.0.0.0' });
      try {
        const status = await new Promise<number | undefined>((resolve, reject) =>
          http.get({ host: '127.0.0.1', port: open.port, path: '/__sim/stats', localAddress: '127.0.0.2' }, (res) => {
            res.resume();
            resolve(res.statusCode);
          }).on('error', reject),
        );
        assert.strictEqual(status, 403);
        assert.strictEqual((await fetch(`${open.url}/__sim/stats`)).status, 200);
      } finally {
        await open.close();
      }
    });
  });
});
