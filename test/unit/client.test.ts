// ApiframeClient against the local Apiframe simulator: every endpoint, every error mapping, the
// key never leaking, and local validation (nothing sent when an option is wrong).
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';
import sharp from 'sharp';
import * as zlib from 'zlib';
import { ApiframeClient, ClientOptions, RequestRecord } from '../../src/api/client';
import { ApiError, ApiErrorKind, ValidationError } from '../../src/api/errors';
import { Job } from '../../src/api/job';
import { buildGenerateBody, validateOptions } from '../../src/api/validation';
import { downloadImage } from '../../src/jobs/download';
import { GenerationOptions } from '../../src/shared/options';
import { startSimulator, type Simulator } from '../simulator/server';

const CANARY = 'afk_SECRET_canary_123';
const OTHER = 'afk_SECRET_other_456';
const UNKNOWN = 'afk_SECRET_unknown_789';
const SECRETS = [CANARY, OTHER, UNKNOWN];

const OPTIONS: GenerationOptions = {
  prompt: 'A lighthouse at dusk',
  aspectRatio: '1:1',
  outputFormat: 'jpg',
  outputQuality: 80,
  raw: false,
  // a fixed seed lets the simulator's render cache share one encode between tests
  seed: 1,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function assertNoSecret(text: string | undefined, what: string): void {
  for (const secret of SECRETS) {
    assert.ok(!(text ?? '').includes(secret), `${what} contains the API key ${secret}: ${text}`);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

let sim: Simulator;
/** Every request record from every client in this file, checked for the key after each test. */
let records: RequestRecord[] = [];

/** `key: null` = no key set. */
function makeClient(key: string | null = CANARY, extra: Partial<ClientOptions> = {}): ApiframeClient {
  return new ApiframeClient({
    baseUrl: sim.url,
    getApiKey: async () => key ?? undefined,
    onRequest: (record) => records.push(record),
    ...extra,
  });
}

/** Awaits a rejection and checks it is an ApiError of `kind` that mentions no key anywhere. */
async function expectApiError(promise: Promise<unknown>, kind: ApiErrorKind): Promise<ApiError> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  assert.ok(error, `expected an ApiError of kind ${kind}, but the call succeeded`);
  assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
  assert.strictEqual(error.kind, kind, `kind (message: ${error.message})`);
  assertNoSecret(error.message, 'message');
  assertNoSecret(String(error), 'String(error)');
  assertNoSecret(error.stack, 'stack');
  assertNoSecret(JSON.stringify(error), 'JSON.stringify(error)');
  assert.ok(error.message.length > 0 && error.message.length < 300, `message: ${error.message}`);
  return error;
}

function requestCount(route: string): number {
  return sim.stats().requests[route] ?? 0;
}

/** Fails (instead of hanging until mocha's timeout) when `promise` is still pending after `ms`. */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitFinished(client: ApiframeClient, id: string, timeoutMs = 5_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.getJob(id);
    if (job.status === 'COMPLETED' || job.status === 'FAILED') return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await sleep(15);
  }
}

describe('ApiframeClient (simulator)', function () {
  this.timeout(10_000);

  before(async () => {
    sim = await startSimulator({
      timeScale: 0.005, // median 75 ms per job
      seed: 11,
      apiKeys: { [CANARY]: { credits: 1000, user: 'canary@example.com', team: 'Canary Team' }, [OTHER]: { credits: 100 } },
    });
  });

  after(async () => {
    await sim?.close();
  });

  beforeEach(() => {
    sim.reset();
    records = [];
  });

  afterEach(() => {
    assertNoSecret(JSON.stringify(records), 'onRequest records');
  });

  describe('generation', () => {
    it('submit returns the job id the simulator created', async () => {
      const id = await makeClient().submit(OPTIONS, { idempotencyKey: randomUUID() });
      const stats = sim.stats();
      assert.strictEqual(stats.jobsCreated, 1);
      assert.strictEqual(stats.jobs[0].id, id);
      assert.strictEqual(stats.jobs[0].prompt, OPTIONS.prompt);
    });

    for (const shape of ['string', 'images', 'array'] as const) {
      it(`getJob until COMPLETED gives the image URL (result as ${shape})`, async () => {
        sim.configure({ resultShape: shape });
        const client = makeClient();
        const id = await client.submit(OPTIONS, { idempotencyKey: randomUUID() });
        const job = await waitFinished(client, id);
        assert.strictEqual(job.status, 'COMPLETED');
        assert.strictEqual(job.id, id);
        assert.strictEqual(job.progress, 100);
        assert.strictEqual(job.creditCost, 6);
        assert.strictEqual(job.imageUrls.length, 1, JSON.stringify(job));
        assert.ok(job.imageUrls[0].startsWith(`${sim.url}/files/`), job.imageUrls[0]);
        assert.ok(job.imageUrls[0].endsWith('.jpg'), job.imageUrls[0]);
        assert.ok(job.createdAt && job.completedAt && job.completedAt >= job.createdAt);
      });
    }

    it('reports a FAILED job with the server reason', async () => {
      sim.injectFault({ route: 'generate', kind: 'failJob' });
      const client = makeClient();
      const job = await waitFinished(client, await client.submit(OPTIONS, { idempotencyKey: randomUUID() }));
      assert.strictEqual(job.status, 'FAILED');
      assert.match(job.error ?? '', /content policy/);
      assert.deepStrictEqual(job.imageUrls, []);
    });

    it('the same idempotency key gives the same job and one charge', async () => {
      const client = makeClient();
      const key = randomUUID();
      const first = await client.submit(OPTIONS, { idempotencyKey: key });
      const second = await client.submit(OPTIONS, { idempotencyKey: key });
      assert.strictEqual(second, first);
      let stats = sim.stats();
      assert.strictEqual(stats.jobsCreated, 1);
      assert.strictEqual(stats.creditsCharged, 6);
      assert.strictEqual(stats.idempotentReplays, 1);
      const third = await client.submit(OPTIONS, { idempotencyKey: randomUUID() });
      assert.notStrictEqual(third, first, 'a new key is a new job');
      stats = sim.stats();
      assert.strictEqual(stats.jobsCreated, 2);
      assert.strictEqual(stats.creditsCharged, 12);
    });

    it('a lost submit reply (connection reset) retried with the same key is charged once', async () => {
      const client = makeClient();
      const key = randomUUID();
      sim.injectFault({ route: 'generate', kind: 'reset' });
      const error = await expectApiError(client.submit(OPTIONS, { idempotencyKey: key }), 'network');
      assert.ok(error.retryable);
      const id = await client.submit(OPTIONS, { idempotencyKey: key });
      const stats = sim.stats();
      assert.strictEqual(stats.jobsCreated, 1);
      assert.strictEqual(stats.creditsCharged, 6);
      assert.strictEqual(stats.jobs[0].id, id);
    });
  });

  describe('account, history, uploads, images', () => {
    it('me() returns the credit balance and account labels', async () => {
      const client = makeClient();
      let account = await client.me();
      assert.strictEqual(account.credits, 1000);
      assert.strictEqual(account.userLabel, 'canary@example.com');
      assert.strictEqual(account.teamName, 'Canary Team');
      assert.strictEqual(account.plan, 'pro');
      assert.strictEqual(account.keyName, 'Default key');
      await client.submit(OPTIONS, { idempotencyKey: randomUUID() });
      account = await client.me();
      assert.strictEqual(account.credits, 994);
      assert.strictEqual((await makeClient(OTHER).me()).credits, 100, "another key's balance");
    });

    it('listJobs pages newest first with the cursor', async () => {
      const client = makeClient();
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push(await client.submit(OPTIONS, { idempotencyKey: randomUUID() }));
      await makeClient(OTHER).submit(OPTIONS, { idempotencyKey: randomUUID() });
      const seen: string[] = [];
      const pages: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await client.listJobs({ limit: 2, cursor });
        pages.push(result.jobs.length);
        seen.push(...result.jobs.map((job) => job.id));
        if (!result.hasMore) {
          assert.strictEqual(result.nextCursor, undefined);
          break;
        }
        assert.ok(result.nextCursor, 'hasMore comes with a cursor');
        cursor = result.nextCursor;
      }
      assert.deepStrictEqual(pages, [2, 2, 1]);
      assert.deepStrictEqual(seen, [...created].reverse(), "newest first, each once, no other key's jobs");
    });

    it('listJobs filters by status', async () => {
      const client = makeClient();
      const id = await client.submit(OPTIONS, { idempotencyKey: randomUUID() });
      await waitFinished(client, id);
      await client.submit(OPTIONS, { idempotencyKey: randomUUID() });
      const completed = await client.listJobs({ status: 'COMPLETED' });
      assert.deepStrictEqual(completed.jobs.map((job) => job.id), [id]);
      assert.strictEqual(completed.hasMore, false);
    });

    it('upload of a small PNG returns a URL that serves the same bytes', async () => {
      const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 30, b: 90 } } })
        .png()
        .toBuffer();
      const client = makeClient();
      const uploaded = await client.upload(png, 'ref "x".png', 'image/png');
      assert.ok(uploaded.url.startsWith(`${sim.url}/files/`), uploaded.url);
      assert.ok(uploaded.expiresAt && uploaded.expiresAt > Date.now() + 30 * 60_000 && uploaded.expiresAt < Date.now() + 3 * 3600_000);
      assert.strictEqual(sim.stats().uploads, 1);
      const image = await client.fetchImage(uploaded.url);
      assert.strictEqual(image.contentType, 'image/png');
      assert.deepStrictEqual(await readAll(image.body), png);
      // The upload URL works as an image_prompt.
      const id = await client.submit({ ...OPTIONS, imagePrompt: uploaded.url, imagePromptStrength: 0.3 }, { idempotencyKey: randomUUID() });
      assert.ok(id);
    });

    it('upload of non-image bytes is refused naming the field', async () => {
      const error = await expectApiError(makeClient().upload(Buffer.from('hello world'), 'a.png', 'image/png'), 'invalidParameters');
      assert.strictEqual(error.field, 'file');
      assert.match(error.message, /"file"/);
    });

    it('fetchImage streams the finished image', async () => {
      const client = makeClient();
      const job = await waitFinished(client, await client.submit(OPTIONS, { idempotencyKey: randomUUID() }));
      const image = await client.fetchImage(job.imageUrls[0]);
      const bytes = await readAll(image.body);
      assert.strictEqual(image.contentType, 'image/jpeg');
      assert.strictEqual(image.contentLength, bytes.length);
      assert.deepStrictEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG magic');
      const meta = await sharp(bytes).metadata();
      assert.deepStrictEqual([meta.width, meta.height], [2048, 2048]);
    });

    it('fetchImage of an expired URL is notFound', async () => {
      const client = makeClient();
      const job = await waitFinished(client, await client.submit(OPTIONS, { idempotencyKey: randomUUID() }));
      sim.injectFault({ route: 'image', kind: 'expiredUrl' });
      const error = await expectApiError(client.fetchImage(job.imageUrls[0]), 'notFound');
      assert.strictEqual(error.status, 404);
      await expectApiError(client.fetchImage(`${sim.url}/files/doesnotexist.jpg`), 'notFound');
    });

    // The simulator does not record request headers, so this uses a tiny recording server instead.
    it('fetchImage does not send the key; API calls do', async () => {
      const seen: http.IncomingHttpHeaders[] = [];
      const server = http.createServer((req, res) => {
        seen.push(req.headers);
        if (req.url === '/img.png') {
          res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 4 });
          res.end(Buffer.from([1, 2, 3, 4]));
        } else {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ user: {}, team: { credits: 3 } }));
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const client = makeClient(CANARY, { baseUrl: base });
        const image = await client.fetchImage(`${base}/img.png`);
        assert.deepStrictEqual([...(await readAll(image.body))], [1, 2, 3, 4]);
        assert.strictEqual(seen[0]['x-api-key'], undefined, 'no key on the image request');
        assertNoSecret(JSON.stringify(seen[0]), 'image request headers');
        assert.strictEqual((await client.me()).credits, 3);
        assert.strictEqual(seen[1]['x-api-key'], CANARY, 'API calls carry the key');
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    // Content-Length counts the encoded bytes: compared with the decoded image it looked "incomplete" every time,
    // so a CDN that gzips images made every download fail and retry.
    it('a gzip- or deflate-encoded image is decoded and stored (its Content-Length counts the encoded bytes)', async () => {
      const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 9, g: 99, b: 199 } } }).png().toBuffer();
      const encoded = { gzip: zlib.gzipSync(png), deflate: zlib.deflateSync(png) };
      const server = http.createServer((req, res) => {
        const encoding = (req.url ?? '').slice(1) as keyof typeof encoded;
        res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Encoding': encoding, 'Content-Length': encoded[encoding].length });
        res.end(encoded[encoding]);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-encoded-'));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const client = makeClient(CANARY, { baseUrl: base });
        for (const encoding of Object.keys(encoded)) {
          const stored = await downloadImage(client, `${base}/${encoding}`, dir, encoding);
          assert.strictEqual(stored.byteSize, png.length, encoding);
          assert.deepStrictEqual(await fs.readFile(path.join(dir, stored.fileName)), png, encoding);
        }
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('onRequest records method, path (no query), status; errors as "error"', async () => {
      const client = makeClient();
      await client.me();
      await client.listJobs({ limit: 3 });
      await expectApiError(client.getJob('not-a-uuid'), 'invalidParameters');
      sim.injectFault({ route: 'me', kind: 'reset' });
      await expectApiError(client.me(), 'network');
      assert.deepStrictEqual(
        records.map(({ method, path, status }) => ({ method, path, status })),
        [
          { method: 'GET', path: '/v2/me', status: 200 },
          { method: 'GET', path: '/v2/jobs', status: 200 },
          { method: 'GET', path: '/v2/jobs/not-a-uuid', status: 400 },
          { method: 'GET', path: '/v2/me', status: 'error' },
        ],
      );
      for (const record of records) assert.ok(Number.isFinite(record.durationMs) && record.durationMs >= 0);
    });
  });

  describe('error mapping (no error ever mentions the key)', () => {
    it('401 unknown key → invalidKey', async () => {
      const error = await expectApiError(makeClient(UNKNOWN).me(), 'invalidKey');
      assert.strictEqual(error.status, 401);
      assert.ok(!error.retryable);
      await expectApiError(makeClient(UNKNOWN).submit(OPTIONS, { idempotencyKey: randomUUID() }), 'invalidKey');
      assert.strictEqual(sim.stats().jobsCreated, 0);
    });

    it('no key set → invalidKey, nothing sent', async () => {
      const error = await expectApiError(makeClient(null).me(), 'invalidKey');
      assert.strictEqual(error.status, undefined);
      assert.strictEqual(requestCount('me'), 0);
    });

    it('403 inactive key → inactiveKey', async () => {
      sim.configure({ apiKeys: { [CANARY]: { credits: 1000, active: false } } });
      const error = await expectApiError(makeClient().submit(OPTIONS, { idempotencyKey: randomUUID() }), 'inactiveKey');
      assert.strictEqual(error.status, 403);
      assert.ok(!error.retryable);
      await expectApiError(makeClient().me(), 'inactiveKey');
    });

    it('402 with 0 credits → insufficientCredits with both numbers', async () => {
      sim.configure({ apiKeys: { [CANARY]: { credits: 0 } } });
      const error = await expectApiError(makeClient().submit(OPTIONS, { idempotencyKey: randomUUID() }), 'insufficientCredits');
      assert.strictEqual(error.status, 402);
      assert.strictEqual(error.creditsRequired, 6);
      assert.strictEqual(error.creditsAvailable, 0);
      assert.match(error.message, /\b6 credits\b/);
      assert.match(error.message, /\bhave 0\b/);
      assert.ok(!error.retryable);
      assert.strictEqual(sim.stats().jobsCreated, 0);
    });

    it('402 with some credits names both amounts', async () => {
      sim.configure({ apiKeys: { [CANARY]: { credits: 5 } }, creditCost: 8 });
      const error = await expectApiError(makeClient().submit(OPTIONS, { idempotencyKey: randomUUID() }), 'insufficientCredits');
      assert.strictEqual(error.creditsRequired, 8);
      assert.strictEqual(error.creditsAvailable, 5);
      assert.match(error.message, /8\D+5/);
    });

    it('400 job id not a UUID → invalidParameters naming "id"', async () => {
      const error = await expectApiError(makeClient().getJob('not-a-uuid'), 'invalidParameters');
      assert.strictEqual(error.status, 400);
      assert.strictEqual(error.field, 'id');
      assert.match(error.message, /"id"/);
      assert.match(error.message, /UUID/);
      assert.ok(!error.retryable);
    });

    it('400 on listJobs names the refused query parameter', async () => {
      const status = await expectApiError(makeClient().listJobs({ status: 'BOGUS' }), 'invalidParameters');
      assert.strictEqual(status.field, 'status');
      assert.match(status.message, /"status"/);
      const limit = await expectApiError(makeClient().listJobs({ limit: 500 }), 'invalidParameters');
      assert.strictEqual(limit.field, 'limit');
    });

    it('400 on submit (over-long Idempotency-Key) names the header', async () => {
      const error = await expectApiError(makeClient().submit(OPTIONS, { idempotencyKey: 'k'.repeat(300) }), 'invalidParameters');
      assert.strictEqual(error.field, 'Idempotency-Key');
      assert.match(error.message, /Idempotency-Key/);
      assert.strictEqual(sim.stats().jobsCreated, 0);
    });

    it('404 → notFound (unknown job, and another key\'s job)', async () => {
      const error = await expectApiError(makeClient().getJob(randomUUID()), 'notFound');
      assert.strictEqual(error.status, 404);
      const theirs = await makeClient(OTHER).submit(OPTIONS, { idempotencyKey: randomUUID() });
      await expectApiError(makeClient().getJob(theirs), 'notFound');
    });

    it('429 with Retry-After seconds → rateLimited with retryAfterMs', async () => {
      sim.injectFault({ route: 'me', kind: 'http429', retryAfterSeconds: 7 });
      const error = await expectApiError(makeClient().me(), 'rateLimited');
      assert.strictEqual(error.status, 429);
      assert.strictEqual(error.retryAfterMs, 7_000);
      assert.match(error.message, /\b7 s\b/);
      assert.ok(error.retryable);
    });

    it('429 with an HTTP-date Retry-After → rateLimited with retryAfterMs ≈ the wait', async () => {
      sim.injectFault({ route: 'job', kind: 'http429date', retryAfterSeconds: 5 });
      const error = await expectApiError(makeClient().getJob(randomUUID()), 'rateLimited');
      assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 4_000 && error.retryAfterMs <= 6_000, `retryAfterMs ${error.retryAfterMs}`);
    });

    it('429 from the rate limiter itself', async () => {
      sim.configure({ rateLimit: { perSecond: 2 } });
      const client = makeClient();
      await client.me();
      await client.me();
      const error = await expectApiError(client.me(), 'rateLimited');
      assert.strictEqual(error.retryAfterMs, 1_000);
    });

    for (const [kind, status] of [['http500', 500], ['http502', 502], ['http503', 503]] as const) {
      it(`${status} → server (retryable)`, async () => {
        sim.injectFault({ route: 'generate', kind });
        const error = await expectApiError(makeClient().submit(OPTIONS, { idempotencyKey: randomUUID() }), 'server');
        assert.strictEqual(error.status, status);
        assert.ok(error.retryable);
        assert.match(error.message, new RegExp(`HTTP ${status}`));
        assert.ok(!/nginx|<|Bad Gateway/i.test(error.message), `no body in the message: ${error.message}`);
      });
    }

    it('connection reset → network', async () => {
      sim.injectFault({ route: 'me', kind: 'reset' });
      const error = await expectApiError(makeClient().me(), 'network');
      assert.strictEqual(error.status, undefined);
      assert.ok(error.retryable);
    });

    it('connection refused → network', async () => {
      const server = http.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      await new Promise((resolve) => server.close(resolve));
      await expectApiError(makeClient(CANARY, { baseUrl: `http://127.0.0.1:${port}` }).me(), 'network');
    });

    // Regression: hangs forever. The simulator sends the headers
    // with Content-Length, half the body, then drops the connection. node-fetch v2 pipes the response
    // into a PassThrough without forwarding the 'aborted' error, so response.text() never settles; and
    // send() clears the timeout as soon as the headers arrive (finally block, keepBodyOpen false), so
    // timeoutMs does not rescue it. A poll or submit that hits this never returns.
    it('truncated response body → a retryable error within the timeout', async () => {
      sim.injectFault({ route: 'me', kind: 'truncate' });
      let error: unknown;
      await settleWithin(makeClient(CANARY, { timeoutMs: 300 }).me(), 3_000).catch((caught) => (error = caught));
      assert.ok(error instanceof ApiError, String(error));
      assert.ok(error.retryable, error.kind);
      assertNoSecret(error.message, 'message');
    });

    // Regression: same root cause — a server (or proxy) that sends
    // the headers and then stalls the body is never timed out.
    it('a body that stalls after the headers → timeout', async () => {
      const server = http.createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 100 });
        res.write('{"user": {');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const client = makeClient(CANARY, { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 300 });
        await expectApiError(settleWithin(client.me(), 3_000), 'timeout');
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    // Regression: hardening. The 400 mapping copies the server's
    // `details` field name and problem text into the message; a proxy or server that reflects the
    // request headers there leaks the key into a user-visible message (and the log).
    it('a 400 whose details reflect the key does not leak it into the message', async () => {
      const server = http.createServer((req, res) => {
        const key = String(req.headers['x-api-key']);
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'Validation failed', details: { prompt: [`rejected for key ${key}`] } }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const client = makeClient(CANARY, { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
        const error = await expectApiError(client.me(), 'invalidParameters');
        assert.strictEqual(error.field, 'prompt');
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('no answer within timeoutMs → timeout', async () => {
      sim.injectFault({ route: 'me', kind: 'timeout' });
      const started = Date.now();
      const error = await expectApiError(makeClient(CANARY, { timeoutMs: 300 }).me(), 'timeout');
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 280 && elapsed < 3_000, `elapsed ${elapsed} ms`);
      assert.ok(error.retryable);
    });

    it('a slow answer beyond timeoutMs → timeout', async () => {
      sim.injectFault({ route: 'job', kind: 'slow', delayMs: 1_000 });
      await expectApiError(makeClient(CANARY, { timeoutMs: 300 }).getJob(randomUUID()), 'timeout');
    });

    it('malformed JSON → server, without the body in the message', async () => {
      sim.injectFault({ route: 'me', kind: 'malformedJson' });
      const error = await expectApiError(makeClient().me(), 'server');
      assert.ok(!/8c1f3a52|QUE|jobId|\{/.test(error.message), error.message);
      sim.injectFault({ route: 'generate', kind: 'malformedJson' });
      const submit = await expectApiError(makeClient().submit(OPTIONS, { idempotencyKey: randomUUID() }), 'server');
      assert.ok(!/8c1f3a52|QUE|jobId|\{/.test(submit.message), submit.message);
      assert.ok(submit.retryable);
    });

    it('HTML body (503 and 200) → server, without the body in the message', async () => {
      sim.injectFault({ route: 'me', kind: 'htmlBody', times: 2 });
      const first = await expectApiError(makeClient().me(), 'server');
      assert.strictEqual(first.status, 503);
      const second = await expectApiError(makeClient().me(), 'server');
      assert.strictEqual(second.status, 200);
      for (const error of [first, second]) {
        assert.ok(!/nginx|html|<|Temporarily|center/i.test(error.message), error.message);
      }
    });

    it('an already-aborted signal → cancelled, nothing sent', async () => {
      const controller = new AbortController();
      controller.abort();
      await expectApiError(makeClient().me({ signal: controller.signal }), 'cancelled');
      await expectApiError(makeClient().submit(OPTIONS, { idempotencyKey: randomUUID(), signal: controller.signal }), 'cancelled');
      assert.strictEqual(requestCount('me'), 0);
      assert.strictEqual(requestCount('generate'), 0);
    });

    it('aborting in flight → cancelled (not timeout)', async () => {
      sim.injectFault({ route: 'me', kind: 'timeout' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = Date.now();
      const error = await expectApiError(makeClient(CANARY, { timeoutMs: 5_000 }).me({ signal: controller.signal }), 'cancelled');
      assert.ok(Date.now() - started < 1_000);
      assert.ok(!error.retryable);
    });
  });

  describe('local validation (ValidationError naming the field, nothing sent)', () => {
    const long = 'x'.repeat(2001);
    const cases: Array<[string, Partial<Record<keyof GenerationOptions, unknown>>, string, RegExp]> = [
      ['empty prompt', { prompt: '' }, 'prompt', /prompt/i],
      ['whitespace prompt', { prompt: ' \n\t  ' }, 'prompt', /prompt/i],
      ['2001-character prompt', { prompt: long }, 'prompt', /prompt.*2001.*2000|2000.*2001/i],
      ['2001 characters after trimming', { prompt: `  ${long}  ` }, 'prompt', /prompt/i],
      ['non-string prompt (number)', { prompt: 42 }, 'prompt', /prompt/i],
      ['non-string prompt (null)', { prompt: null }, 'prompt', /prompt/i],
      ['aspect ratio 2:1', { aspectRatio: '2:1' }, 'aspect_ratio', /aspect ratio/i],
      ['aspect ratio 16:10', { aspectRatio: '16:10' }, 'aspect_ratio', /aspect ratio/i],
      ['aspect ratio "1:1 "', { aspectRatio: '1:1 ' }, 'aspect_ratio', /aspect ratio/i],
      ['quality -1', { outputQuality: -1 }, 'output_quality', /quality/i],
      ['quality 101', { outputQuality: 101 }, 'output_quality', /quality/i],
      ['quality 50.5', { outputQuality: 50.5 }, 'output_quality', /quality/i],
      ['quality NaN', { outputQuality: NaN }, 'output_quality', /quality/i],
      ['quality "90"', { outputQuality: '90' }, 'output_quality', /quality/i],
      ['format gif', { outputFormat: 'gif' }, 'output_format', /format/i],
      ['format JPG', { outputFormat: 'JPG' }, 'output_format', /format/i],
      ['raw "false"', { raw: 'false' }, 'raw', /raw/i],
      ['strength -0.1', { imagePrompt: 'https://example.com/a.png', imagePromptStrength: -0.1 }, 'image_prompt_strength', /strength/i],
      ['strength 1.1', { imagePrompt: 'https://example.com/a.png', imagePromptStrength: 1.1 }, 'image_prompt_strength', /strength/i],
      ['strength NaN', { imagePrompt: 'https://example.com/a.png', imagePromptStrength: NaN }, 'image_prompt_strength', /strength/i],
      ['strength Infinity', { imagePrompt: 'https://example.com/a.png', imagePromptStrength: Infinity }, 'image_prompt_strength', /strength/i],
      ['seed 1.5', { seed: 1.5 }, 'seed', /seed/i],
      ['seed NaN', { seed: NaN }, 'seed', /seed/i],
      ['seed 2^53 (unsafe)', { seed: 2 ** 53 }, 'seed', /seed/i],
      ['image_prompt ftp://x', { imagePrompt: 'ftp://x' }, 'image_prompt', /reference image/i],
      ['image_prompt "not a url"', { imagePrompt: 'not a url' }, 'image_prompt', /reference image/i],
      ['image_prompt javascript:', { imagePrompt: 'javascript:alert(1)' }, 'image_prompt', /reference image/i],
      ['webhookUrl "not a url"', { webhookUrl: 'not a url' }, 'webhookUrl', /webhook URL/i],
      ['webhookUrl ftp://', { webhookUrl: 'ftp://example.com/hook' }, 'webhookUrl', /webhook URL/i],
    ];

    for (const [name, patch, field, message] of cases) {
      it(`${name} → ${field}`, async () => {
        let error: unknown;
        try {
          await makeClient().submit({ ...OPTIONS, ...patch } as GenerationOptions, { idempotencyKey: randomUUID() });
        } catch (caught) {
          error = caught;
        }
        assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`);
        assert.strictEqual(error.kind, 'invalidParameters');
        assert.strictEqual(error.field, field);
        assert.match(error.message, message);
        assert.strictEqual(requestCount('generate'), 0, 'nothing sent');
        assert.deepStrictEqual(records, [], 'no request recorded');
      });
    }

    it('a 2000-character prompt with surrounding spaces is accepted and sent trimmed', async () => {
      const prompt = 'y'.repeat(2000);
      const id = await makeClient().submit({ ...OPTIONS, prompt: `   ${prompt}\n ` }, { idempotencyKey: randomUUID() });
      const job = sim.stats().jobs.find((j) => j.id === id);
      assert.strictEqual(job?.prompt, prompt);
    });

    it('boundary values are accepted by both the client and the simulator', async () => {
      const client = makeClient();
      for (const patch of [
        { outputQuality: 0 },
        { outputQuality: 100 },
        { imagePrompt: 'https://example.com/a.png', imagePromptStrength: 0 },
        { imagePrompt: 'http://example.com/a.png', imagePromptStrength: 1 },
        { seed: -5 },
        { seed: 0 },
        { raw: true, outputFormat: 'webp' as const, aspectRatio: '9:16' as const },
      ]) {
        await client.submit({ ...OPTIONS, ...patch }, { idempotencyKey: randomUUID() });
      }
      assert.strictEqual(sim.stats().jobsCreated, 7);
    });
  });
});

describe('buildGenerateBody', () => {
  it('trims the prompt and sets the model', () => {
    const body = buildGenerateBody({ ...OPTIONS, prompt: '  a red fox \n' });
    assert.strictEqual(body.prompt, 'a red fox');
    assert.strictEqual(body.model, 'flux-1.1-pro-ultra');
    assert.strictEqual(validateOptions({ ...OPTIONS, prompt: ' b ' }).prompt, 'b');
  });

  it('jpg/webp carry output_quality; png omits it', () => {
    assert.strictEqual(buildGenerateBody({ ...OPTIONS, outputFormat: 'jpg', outputQuality: 77 }).fluxParams.output_quality, 77);
    assert.strictEqual(buildGenerateBody({ ...OPTIONS, outputFormat: 'webp', outputQuality: 0 }).fluxParams.output_quality, 0);
    const png = buildGenerateBody({ ...OPTIONS, outputFormat: 'png', outputQuality: 77 });
    assert.ok(!('output_quality' in png.fluxParams), JSON.stringify(png));
    assert.strictEqual(png.fluxParams.output_format, 'png');
  });

  it('the minimal body has exactly the required fields', () => {
    const { seed: _seed, ...noSeed } = OPTIONS;
    assert.deepStrictEqual(buildGenerateBody(noSeed), {
      prompt: 'A lighthouse at dusk',
      model: 'flux-1.1-pro-ultra',
      fluxParams: { aspect_ratio: '1:1', output_format: 'jpg', output_quality: 80, raw: false },
    });
  });

  it('maps seed, image_prompt, strength and webhook fields', () => {
    const body = buildGenerateBody({
      ...OPTIONS,
      raw: true,
      seed: -42,
      imagePrompt: 'https://example.com/ref.webp',
      imagePromptStrength: 0.35,
      webhookUrl: 'https://hooks.example.com/flux',
    });
    assert.deepStrictEqual(body, {
      prompt: 'A lighthouse at dusk',
      model: 'flux-1.1-pro-ultra',
      fluxParams: {
        aspect_ratio: '1:1',
        output_format: 'jpg',
        output_quality: 80,
        raw: true,
        seed: -42,
        image_prompt: 'https://example.com/ref.webp',
        image_prompt_strength: 0.35,
      },
      webhookUrl: 'https://hooks.example.com/flux',
      webhookEvents: ['progress', 'completed', 'failed'],
    });
  });

  it('seed 0 is sent (not treated as "random")', () => {
    assert.strictEqual(buildGenerateBody({ ...OPTIONS, seed: 0 }).fluxParams.seed, 0);
  });

  it('strength is only sent with an image_prompt', () => {
    const body = buildGenerateBody({ ...OPTIONS, imagePromptStrength: 0.5 });
    assert.ok(!('image_prompt_strength' in body.fluxParams));
    assert.ok(!('image_prompt' in body.fluxParams));
  });

  it('throws the same ValidationError as submit', () => {
    assert.throws(() => buildGenerateBody({ ...OPTIONS, outputFormat: 'gif' as never }), (error: unknown) => {
      return error instanceof ValidationError && error.field === 'output_format';
    });
  });
});
