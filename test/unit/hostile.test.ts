// Hostile input at the unit level: prompts (through the real client into the simulator's request body),
// file-name slugs (a fuzz on top of test/unit/naming.test.ts), and a hostile server at the engine level (job ids
// that are not UUIDs, unexpected statuses, `result` of the wrong type, non-image bytes served as an image), and a
// server that sends too much or links elsewhere (bodies over their caps, compression bombs, a Content-Length that
// lies, plain-http result links, redirects to http and https, a redirect loop) through the simulator's hostile faults.
// Every input tried is counted: "hostile inputs tried: N" and test-output/hostile-inputs.json.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';
import sharp from 'sharp';
import { JSON_BODY_CAP_BYTES } from '../../src/api/bodyCaps';
import { MAX_IMAGE_BYTES } from '../../src/shared/media';
import { ApiframeClient, RequestRecord } from '../../src/api/client';
import { ApiError, ValidationError } from '../../src/api/errors';
import { MAX_IMAGE_REDIRECTS } from '../../src/api/resultImage';
import { buildGenerateBody } from '../../src/api/validation';
import { GalleryStore } from '../../src/gallery/store';
import { imageFileName, slugify } from '../../src/insert/naming';
import { downloadImage } from '../../src/jobs/download';
import { EngineEvent, JobEngine } from '../../src/jobs/engine';
import { DEFAULT_SCHEDULE, DurationModel, scaleSchedule } from '../../src/jobs/schedule';
import type { GalleryEntry } from '../../src/shared/entry';
import { GenerationOptions, PROMPT_MAX_LENGTH } from '../../src/shared/options';
import { mulberry32 } from '../simulator/prng';
import { startSimulator, type FaultRoute, type FaultRule, type Simulator } from '../simulator/server';
import { recordHostileCounts } from '../support/hostileCounts';
import { measurePeakRss, megabytes } from '../support/peakRss';
import { startTestCdn, trustTestCdn } from '../support/testCdn';

const counts: Record<string, number> = {};
function tried(category: string, n = 1): void {
  counts[category] = (counts[category] ?? 0) + n;
}

const BASE: Omit<GenerationOptions, 'prompt'> = { aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 60, raw: false, seed: 3 };

const HOSTILE_PROMPTS: Record<string, string> = {
  'html img onerror': '<img src=x onerror=alert(1)><b>bold</b>',
  'script tag': '<script>alert(document.cookie)</script>',
  'markdown js link': '[click](javascript:alert(1)) ](javascript:alert(1)) ![x](javascript:alert(1))',
  'markdown image breakout': 'a fox](http://evil.example/x.png) ![b',
  'html entities': '&lt;b&gt; &amp;amp; &#x3C;img&#x3E; &quot;',
  'attribute breakout': '" onmouseover="alert(1)" x="',
  'svg': '<svg onload=alert(1)><use href="data:image/svg+xml,<svg/>"/></svg>',
  'template literal': '${process.env.HOME} {{constructor.constructor("alert(1)")()}} #{7*7}',
  'rtl override': 'abc\u202Egnp.exe\u202C fox \u200F\u200E\u2066x\u2069',
  'hebrew and arabic': 'שועל אדום בשלג · ثعلب أحمر في الثلج',
  'emoji zwj': '👩‍👩‍👧‍👦 🏳️‍🌈 🦊🌨️ 1️⃣ 🇰🇷',
  'cjk': '雪の中の赤いキツネ 눈 속의 붉은 여우',
  'control characters': 'a\u0001b\u0007c\u001bd\u007fe\u0085f\u0008g\u000bh\u000ci',
  'nul byte': 'before\u0000after',
  'crlf and tabs': 'line one\r\nline two\r\tindented\u2028\u2029end',
  'zero width': 'fo\u200Bx\uFEFF in \u2060snow',
  'combining marks': 'Z̴̡̛̗͎̈́͆a̶̛̰͑l̸̢̈g̵̝̈́o̶͚͝',
  'lone surrogate': 'broken \uD83D surrogate and \uDE00 low',
  'json metachars': '"}, "model": "other", "x": {"',
  'path traversal': '../../../../etc/passwd ..\\..\\windows\\system32 C:\\CON',
  'sql and shell': "'; DROP TABLE jobs; -- $(rm -rf /) `id` | cat /etc/shadow",
  'url encoded': '%3Cimg%20src%3Dx%3E %00 %2e%2e%2f',
  'max length': 'x'.repeat(PROMPT_MAX_LENGTH),
  'max length with padding': `  ${'y'.repeat(PROMPT_MAX_LENGTH)}  \n`,
};

const INVALID_PROMPTS: Record<string, unknown> = {
  empty: '',
  spaces: '     ',
  'whitespace mix': ' \t\r\n\u00a0\u2003\u3000 ',
  'over the limit (2,001)': 'z'.repeat(PROMPT_MAX_LENGTH + 1),
  'far over the limit (100,000)': 'z '.repeat(50_000),
  number: 42,
  null: null,
  object: { toString: () => 'a fox' },
  array: ['a fox'],
};

describe('hostile input (unit)', function () {
  this.timeout(30_000);

  after(() => {
    const total = recordHostileCounts('unit', counts);
    const mine = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`      hostile inputs tried: ${mine} (unit layer; all layers so far: ${total})`);
  });

  describe('prompts', () => {
    let sim: Simulator;
    before(async () => {
      sim = await startSimulator({ timeScale: 0.005, seed: 4 });
    });
    after(async () => {
      await sim?.close();
    });

    it('hostile but valid prompts reach the request body intact (trimmed only) and the simulator accepts them', async () => {
      const client = new ApiframeClient({ baseUrl: sim.url, getApiKey: async () => 'afk_test_key' });
      for (const [name, prompt] of Object.entries(HOSTILE_PROMPTS)) {
        tried('prompt');
        const body = buildGenerateBody({ prompt, ...BASE });
        assert.strictEqual(body.prompt, prompt.trim(), name);
        const jobId = await client.submit({ prompt, ...BASE }, { idempotencyKey: randomUUID() });
        const job = await client.getJob(jobId);
        assert.deepStrictEqual((job.input as { prompt: string }).prompt, prompt.trim(), `${name}: the server got exactly the prompt`);
        assert.deepStrictEqual(Object.keys(job.input as object).sort(), ['fluxParams', 'model', 'prompt'], `${name}: no injected fields`);
        assert.strictEqual((job.input as { model: string }).model, 'flux-1.1-pro-ultra');
      }
    });

    it('empty, blank, over-long and non-string prompts are refused before anything is sent, naming the prompt', async () => {
      const before = sim.stats().requests.generate ?? 0;
      const client = new ApiframeClient({ baseUrl: sim.url, getApiKey: async () => 'afk_test_key' });
      for (const [name, prompt] of Object.entries(INVALID_PROMPTS)) {
        tried('prompt');
        await assert.rejects(
          client.submit({ ...BASE, prompt: prompt as string }, { idempotencyKey: randomUUID() }),
          (error: unknown) => error instanceof ValidationError && error.field === 'prompt' && error.message.length < 200,
          name,
        );
      }
      assert.strictEqual(sim.stats().requests.generate ?? 0, before, 'nothing was sent');
    });
  });

  describe('the user switching keys mid-job', () => {
    let sim: Simulator;
    let dir: string;
    before(async () => {
      sim = await startSimulator({ timeScale: 0.02, seed: 8, apiKeys: { afk_key_A_111: { credits: 100 }, afk_key_B_222: { credits: 100 } } });
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-keyswitch-'));
    });
    after(async () => {
      await sim?.close();
      await fs.rm(dir, { recursive: true, force: true });
    });

    // A job belongs to the key that paid for it; with another key set, the server answers 404 for it. That must
    // not fail the paid job for good: switching back (or collecting later) must still bring the image in.
    it('a poll answered 404 because another key is now set keeps the paid job collectable', async () => {
      tried('user: key switch');
      let key = 'afk_key_A_111';
      const store = new GalleryStore(dir);
      await store.load();
      const client = new ApiframeClient({ baseUrl: sim.url, getApiKey: async () => key });
      const engine = new JobEngine({ api: client, store, durations: new DurationModel([300]), schedule: scaleSchedule(DEFAULT_SCHEDULE, 0.02), backoff: { baseMs: 2, capMs: 20, maxAttempts: 3 } });
      try {
        const started = await engine.start({ prompt: 'key switch', ...BASE });
        for (let i = 0; i < 200 && !store.get(started.id)?.jobId; i++) await new Promise((r) => setTimeout(r, 5));
        key = 'afk_key_B_222'; // "Flux: Set API Key" with another account's key while the job runs
        const paused = await engine.whenSettled(started.id);
        assert.ok(paused?.jobId);
        assert.notStrictEqual(paused?.state, 'failed', `the paid job was failed: ${JSON.stringify(paused?.reason)}`);
        key = 'afk_key_A_111';
        await engine.resume(started.id);
        const done = await engine.whenSettled(started.id);
        assert.strictEqual(done?.state, 'completed', JSON.stringify(done?.reason));
        assert.strictEqual(sim.stats().jobsCreated, 1);
      } finally {
        await engine.dispose();
      }
    });
  });

  describe('file names from hostile prompts (fuzz beyond naming.test.ts)', () => {
    it('5,000 random prompts from a hostile alphabet always give a safe, short, non-reserved file name', () => {
      const alphabet = [
        ...'abcXYZ019 -_.',
        '/', '\\', ':', '*', '?', '"', '<', '>', '|', '\u0000', '\u001f', '\u007f', '..', '~', '$', '%', '&', '#',
        'CON', 'nul', 'COM1', 'lpt9', 'conin$', 'COM¹', 'ＣＯＮ', 'ﬁ', 'ß', 'İ', 'é', 'ñ', '\u0301',
        '\u202e', '\u200f', '\u200b', '\ufeff', '🦊', '👩‍👩‍👧', '\ud83d', '\u2028', '雪', 'ש', 'ث', '\n', '\t',
      ];
      const random = mulberry32(1234);
      for (let i = 0; i < 5_000; i++) {
        const parts = Array.from({ length: 1 + Math.floor(random() * (i % 50 === 0 ? 400 : 12)) }, () => alphabet[Math.floor(random() * alphabet.length)]);
        const prompt = parts.join(random() < 0.3 ? ' ' : '');
        const format = (['png', 'jpg', 'webp'] as const)[i % 3];
        const name = imageFileName({ prompt, id: randomUUID(), seed: i % 7 === 0 ? undefined : i - 2_500, format });
        tried('file name');
        assert.match(name, /^[\p{L}\p{M}\p{N}]+(-[\p{L}\p{M}\p{N}]+)*\.(png|jpg|webp)$/u, JSON.stringify(prompt));
        assert.ok(name.length <= 60 + 1 + 11 + 5 && Buffer.byteLength(name) <= 120 + 1 + 11 + 5, name);
        assert.strictEqual(name, name.normalize('NFC'));
        const stem = name.split('.')[0];
        assert.ok(!/^(con|prn|aux|nul|conin\$|conout\$|com\d|lpt\d)$/i.test(stem), name);
        assert.ok(!/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(slugify(prompt)), prompt);
        assert.strictEqual(path.posix.basename(name), name);
        assert.strictEqual(path.win32.basename(name), name);
      }
    });
  });

  describe('a hostile server, at the engine level (real client + engine + store)', () => {
    let png: Buffer;
    let dir: string;
    let server: http.Server;
    let base: string;
    let seen: string[];
    /** What the server answers, per test. */
    let jobId: string;
    let jobReplies: unknown[];
    let image: { body: Buffer; type: string };

    before(async () => {
      png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#aa3300' } }).png().toBuffer();
      server = http.createServer((req, res) => {
        seen.push(req.url ?? '');
        req.resume();
        req.on('end', () => {
          const url = req.url ?? '';
          const send = (status: number, body: unknown, type = 'application/json') => {
            const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
            res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length });
            res.end(bytes);
          };
          if (url === '/v2/images/generate') return send(202, { jobId, status: 'QUEUED' });
          if (url.startsWith('/v2/jobs/')) return send(200, jobReplies.length > 1 ? jobReplies.shift() : jobReplies[0]);
          if (url.startsWith('/files/')) return send(200, image.body, image.type);
          send(404, { error: 'Not found' });
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-hostile-'));
      seen = [];
      jobId = randomUUID();
      image = { body: png, type: 'image/png' };
    });

    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    function completed(overrides: Record<string, unknown> = {}) {
      return { id: jobId, status: 'COMPLETED', progress: 100, result: { images: [`${base}/files/a.png`] }, creditCost: 6, ...overrides };
    }

    async function run(maxAttempts = 3) {
      const store = new GalleryStore(dir);
      await store.load();
      const client = new ApiframeClient({ baseUrl: base, getApiKey: async () => 'afk_test_key', timeoutMs: 2_000 });
      const engine = new JobEngine({
        api: client,
        store,
        durations: new DurationModel([50]),
        schedule: scaleSchedule(DEFAULT_SCHEDULE, 0.005),
        backoff: { baseMs: 2, capMs: 20, maxAttempts },
      });
      const events: EngineEvent[] = [];
      engine.onEvent((event) => events.push(event));
      try {
        const started = await engine.start({ prompt: 'hostile server', aspectRatio: '1:1', outputFormat: 'png', outputQuality: 90, raw: false });
        const entry = await engine.whenSettled(started.id);
        const files = await fs.readdir(store.imagesDir);
        return { entry: entry!, events, files, store };
      } finally {
        await engine.dispose();
      }
    }

    it('job ids that are not UUIDs stay one path segment under /v2/jobs/ and the job is still collected', async () => {
      // "." and ".." are left out here: no URL can carry them as one path segment (parsers resolve them,
      // even as %2E), so the client refuses them instead — see the next test.
      const ids = ['not-a-uuid', 'a/b', '../../v2/me', '..%2F..%2Fv2%2Fme', 'x?y=1#z', ' spaced id ', 'ünïcödé-🦊', 'a'.repeat(200), '%00', '\\..\\..'];
      const problems: string[] = [];
      for (const id of ids) {
        tried('server: job id');
        jobId = id;
        jobReplies = [{ ...completed(), id }];
        seen = [];
        const { entry } = await run();
        const polls = seen.filter((url) => !url.startsWith('/files/') && url !== '/v2/images/generate');
        for (const url of polls) {
          const segments = url.split('?')[0].split('/').filter(Boolean);
          if (segments.length !== 3 || segments[0] !== 'v2' || segments[1] !== 'jobs' || decodeURIComponent(segments[2]) !== id) {
            problems.push(`job id ${JSON.stringify(id)} was polled at ${url}`);
          }
        }
        if (entry.state !== 'completed') problems.push(`job id ${JSON.stringify(id)}: ${entry.state} ${JSON.stringify(entry.reason)}`);
        else assert.strictEqual(entry.jobId, id);
        await fs.rm(dir, { recursive: true, force: true });
      }
      assert.deepStrictEqual(problems, []);
    });

    it('job ids "." and ".." are refused with a clear reason, and never requested at another path', async () => {
      for (const id of ['.', '..']) {
        tried('server: job id');
        jobId = id;
        jobReplies = [{ ...completed(), id }];
        seen = [];
        const { entry } = await run();
        assert.deepStrictEqual(seen.filter((url) => url !== '/v2/images/generate'), [], `nothing but submits for ${id}`);
        assert.strictEqual(entry.state, 'paused', 'kept for a retry with the same idempotency key');
        assert.strictEqual(entry.reason?.kind, 'server');
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it('unexpected statuses (unknown, lower-case, non-string) keep the engine polling until a real end', async () => {
      const odd = ['RUNNING', 'done', 'pending', '', 42, null, { status: 'COMPLETED' }, ['COMPLETED'], 'COMPLETED\u0000', 'ＣＯＭＰＬＥＴＥＤ'];
      tried('server: status', odd.length);
      jobReplies = [...odd.map((status) => ({ id: jobId, status, progress: 50 })), completed()];
      const { entry } = await run();
      assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
      assert.strictEqual(seen.filter((u) => u.startsWith('/v2/jobs/')).length, odd.length + 1, 'one poll per odd status, then done');
    });

    it('hostile progress values are clamped; a hostile error text is cut and kept as text', async () => {
      const progress = [Number.NaN, -5, 1e9, '50', null, Infinity];
      tried('server: progress', progress.length);
      jobReplies = [...progress.map((p) => ({ id: jobId, status: 'PROCESSING', progress: p })), { id: jobId, status: 'FAILED', error: `<img src=x onerror=alert(1)>${'e'.repeat(10_000)}` }];
      tried('server: error text');
      const { entry } = await run();
      assert.strictEqual(entry.state, 'failed');
      const serverText = String(entry.reason?.params?.message);
      assert.ok(serverText.startsWith('<img src=x onerror=alert(1)>'));
      assert.ok(serverText.length <= 500, `error kept at ${serverText.length} characters`);
      assert.ok(entry.progress >= 0 && entry.progress <= 100);
    });

    it('`result` of the wrong type or with non-http URLs: nothing is fetched, the paid job is kept (paused, not failed)', async () => {
      const results = [42, true, {}, { images: 'x' }, { images: [42] }, { url: 7 }, [], [null], 'javascript:alert(1)', `file:///etc/passwd`, 'data:image/png;base64,AAAA', '//evil.example/x.png', 'ftp://x/y.png', { images: ['/files/relative.png'] }];
      const problems: string[] = [];
      for (const result of results) {
        tried('server: result');
        jobReplies = [completed({ result })];
        seen = [];
        const { entry, events } = await run();
        if (seen.some((u) => u.startsWith('/files/'))) problems.push(`${JSON.stringify(result)}: fetched ${seen.filter((u) => u.startsWith('/files/'))}`);
        if (entry.state === 'failed' || !entry.jobId) problems.push(`${JSON.stringify(result)}: the paid job was ${entry.state} (${JSON.stringify(entry.reason)})`);
        if (entry.state === 'completed') problems.push(`${JSON.stringify(result)}: completed without an image`);
        if (events[0]?.kind !== 'needsAttention') problems.push(`${JSON.stringify(result)}: the user was not told (${events[0]?.kind})`);
        await fs.rm(dir, { recursive: true, force: true });
      }
      assert.deepStrictEqual(problems, []);
    });

    it('non-image bytes served as an image are never stored (signature and trailer checks)', async () => {
      const jpegHead = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
      const bodies: Array<[string, Buffer, string]> = [
        ['HTML as image/png', Buffer.from('<html><body>502 Bad Gateway</body></html>'), 'image/png'],
        ['JSON as image/jpeg', Buffer.from('{"error":"expired"}'), 'image/jpeg'],
        ['SVG with script', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml'],
        ['empty body', Buffer.alloc(0), 'image/png'],
        ['PNG signature only', png.subarray(0, 8), 'image/png'],
        ['PNG cut before IEND', png.subarray(0, png.length - 12), 'image/png'],
        ['PNG followed by garbage', Buffer.concat([png, Buffer.from('<script>alert(1)</script>')]), 'image/png'],
        ['JPEG start without end', Buffer.concat([jpegHead, Buffer.alloc(200, 1)]), 'image/jpeg'],
        ['RIFF that is not WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.from([100, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.alloc(92)]), 'image/webp'],
        ['WebP with a lying RIFF length', Buffer.concat([Buffer.from('RIFF'), Buffer.from([0xff, 0xff, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(40)]), 'image/webp'],
        ['GIF', Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;', 'latin1'), 'image/gif'],
        ['Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]), 'image/png'],
      ];
      const problems: string[] = [];
      for (const [name, body, type] of bodies) {
        tried('server: image bytes');
        image = { body, type };
        jobReplies = [completed()];
        const { entry, files } = await run(2);
        if (entry.state === 'completed') problems.push(`${name}: stored as ${entry.imageFile}`);
        if (entry.state === 'failed' || !entry.jobId) problems.push(`${name}: the paid job was ${entry.state}`);
        if (files.length) problems.push(`${name}: files left in the image folder: ${files.join(', ')}`);
        await fs.rm(dir, { recursive: true, force: true });
      }
      assert.deepStrictEqual(problems, []);
      // The control: the same path with a real PNG stores it.
      image = { body: png, type: 'application/octet-stream' };
      jobReplies = [completed()];
      const { entry, store } = await run();
      assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
      assert.ok((await fs.readFile(store.imagePath(entry.imageFile!))).equals(png));
    });

  });

  describe('a server that sends too much, or links elsewhere (real client, engine and store against the simulator)', () => {
    const MB = 1024 * 1024;
    const GB = 1024 * MB;
    const JOB_ID = '8c1f3a52-9b4e-4c7d-a1e2-f3b4c5d6e7f8';
    let sim: Simulator;
    let dir: string;
    let png: Buffer;
    let refusals: string[];
    let records: RequestRecord[];
    let client: ApiframeClient;

    before(async () => {
      sim = await startSimulator({ timeScale: 0.005, seed: 21 });
      png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#0a0' } }).png().toBuffer();
    });
    after(async () => {
      await sim?.close();
    });
    beforeEach(async () => {
      sim.reset();
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-caps-'));
      refusals = [];
      records = [];
      client = clientFor(sim.url);
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    function clientFor(baseUrl: string): ApiframeClient {
      return new ApiframeClient({
        baseUrl,
        getApiKey: async () => 'afk_test_key',
        timeoutMs: 3_000,
        onRequest: (record) => records.push(record),
        onRefusedUrl: (line) => refusals.push(line),
      });
    }

    async function caught(promise: Promise<unknown>): Promise<ApiError> {
      const error = await promise.then(
        () => assert.fail('expected an error'),
        (reason: unknown) => reason,
      );
      assert.ok(error instanceof ApiError, `an ApiError, not ${String(error)}`);
      assert.ok(error.message.length < 300 && !/\n\s+at /.test(error.message), error.message);
      return error;
    }

    /** Every hugeBody stream is over: the client hung up (or read to the end). */
    async function connectionsClosed(): Promise<void> {
      for (let i = 0; i < 200 && sim.stats().hugeBodies.open > 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.strictEqual(sim.stats().hugeBodies.open, 0, 'the client closed the connection');
    }

    async function completedJobUrl(): Promise<string> {
      const id = await client.submit({ prompt: 'caps', ...BASE }, { idempotencyKey: randomUUID() });
      for (;;) {
        const job = await client.getJob(id);
        if (job.status === 'COMPLETED') return job.imageUrls[0];
        await new Promise((r) => setTimeout(r, 10));
      }
    }

    const JSON_CALLS: Array<[FaultRoute, (c: ApiframeClient) => Promise<unknown>]> = [
      ['generate', (c) => c.submit({ prompt: 'caps', ...BASE }, { idempotencyKey: randomUUID() })],
      ['job', (c) => c.getJob(JOB_ID)],
      ['jobs', (c) => c.listJobs()],
      ['me', (c) => c.me()],
      ['upload', (c) => c.upload(png, 'ref.png', 'image/png')],
    ];
    const OVERSIZED_JSON: Array<[string, Partial<FaultRule>]> = [
      ['endless, chunked', {}],
      ['endless, declaring 10 GB', { declaredLength: 10 * GB }],
      ['8 MB, honest Content-Length', { bytes: 8 * MB, declaredLength: 8 * MB }],
      ['8 MB, chunked', { bytes: 8 * MB }],
      ['2 GB declared, 1 KB sent', { bytes: 1000, declaredLength: 2 * GB }],
      ['gzip bomb', { encoding: 'gzip' }],
      ['deflate bomb', { encoding: 'deflate' }],
      ['brotli bomb', { encoding: 'br' }],
    ];

    it(`JSON answers over ${JSON_BODY_CAP_BYTES / MB} MB on every endpoint (${JSON_CALLS.length} × ${OVERSIZED_JSON.length}): refused while streaming, the connection closed`, async () => {
      const problems: string[] = [];
      for (const [route, call] of JSON_CALLS) {
        for (const [name, body] of OVERSIZED_JSON) {
          tried('server: oversized JSON');
          sim.injectFault({ route, kind: 'hugeBody', ...body });
          const sentBefore = sim.stats().hugeBodies.bytesSent;
          const started = Date.now();
          const error = await caught(call(client));
          if (error.kind !== 'tooLarge' || error.limitBytes !== JSON_BODY_CAP_BYTES) problems.push(`${route}, ${name}: ${error.kind} (${error.message})`);
          await connectionsClosed();
          const sent = sim.stats().hugeBodies.bytesSent - sentBefore;
          // What the socket buffers hold on top of the cap, never the body itself.
          if (!body.encoding && sent > JSON_BODY_CAP_BYTES + 16 * MB) problems.push(`${route}, ${name}: ${sent} bytes were sent before the client hung up`);
          if (Date.now() - started > 2_000) problems.push(`${route}, ${name}: took ${Date.now() - started} ms`);
        }
      }
      assert.deepStrictEqual(problems, []);
    });

    const OVERSIZED_IMAGES: Array<[string, Partial<FaultRule>]> = [
      ['1 GB, honest Content-Length (refused at the headers)', { bytes: GB, declaredLength: GB }],
      ['1 GB, chunked', { bytes: GB }],
      ['endless, chunked', {}],
      ['2 GB declared, 1 KB sent', { bytes: 1000, declaredLength: 2 * GB }],
      ['gzip bomb', { encoding: 'gzip' }],
      ['deflate bomb', { encoding: 'deflate' }],
      ['brotli bomb', { encoding: 'br' }],
    ];

    it(`image bodies over ${MAX_IMAGE_BYTES / MB} MB (${OVERSIZED_IMAGES.length} kinds): cut off at the cap, not retryable, nothing left on disk`, async () => {
      const url = await completedJobUrl();
      const problems: string[] = [];
      for (const [name, body] of OVERSIZED_IMAGES) {
        tried('server: oversized image');
        sim.injectFault({ route: 'image', kind: 'hugeBody', ...body });
        const sentBefore = sim.stats().hugeBodies.bytesSent;
        const error = await caught(downloadImage(client, url, dir, 'big'));
        if (error.kind !== 'tooLarge' || error.retryable || error.limitBytes !== MAX_IMAGE_BYTES) problems.push(`${name}: ${error.kind} (${error.message})`);
        if (!/64 MB/.test(error.message)) problems.push(`${name}: the message does not say the limit: ${error.message}`);
        await connectionsClosed();
        const sent = sim.stats().hugeBodies.bytesSent - sentBefore;
        if (!body.encoding && sent > MAX_IMAGE_BYTES + 16 * MB) problems.push(`${name}: ${sent} bytes were sent before the client hung up`);
        // A declared length over the cap is refused before the body is read: only what the socket buffers took.
        const declaredOver = body.declaredLength !== undefined && body.declaredLength > MAX_IMAGE_BYTES;
        if (declaredOver && sent > 16 * MB) problems.push(`${name}: ${sent} bytes were read although Content-Length was over the cap`);
        const files = await fs.readdir(dir);
        if (files.length) problems.push(`${name}: left ${files.join(', ')}`);
      }
      assert.deepStrictEqual(problems, []);
      // The control: the same link without a fault is stored.
      const stored = await downloadImage(client, url, dir, 'fine');
      assert.strictEqual(stored.format, 'jpg');
    });

    // Any HTTP parser ends a body at its declared length, so this is a broken answer, not an oversized one: it
    // must stay retryable (a refusal would pause the job for nothing), and nothing more may be read or stored.
    it('a Content-Length that lies small ends the body there, on every endpoint and for an image: retryable, nothing stored', async () => {
      const url = await completedJobUrl();
      const calls: Array<[string, () => Promise<unknown>]> = [
        ...JSON_CALLS.map(([route, call]): [string, () => Promise<unknown>] => [route, () => call(client)]),
        ['image', () => downloadImage(client, url, dir, 'lie')],
      ];
      for (const [route, call] of calls) {
        tried('server: lying Content-Length');
        sim.injectFault({ route: route as FaultRoute, kind: 'hugeBody', bytes: GB, declaredLength: route === 'image' ? 1000 : 100 });
        const error = await caught(call());
        assert.ok(error.retryable, `${route}: ${error.kind}`);
        await connectionsClosed();
      }
      assert.deepStrictEqual(await fs.readdir(dir), []);
    });

    function engineFor(api: ApiframeClient, store: GalleryStore): { engine: JobEngine; events: EngineEvent[] } {
      const engine = new JobEngine({
        api,
        store,
        durations: new DurationModel([50]),
        schedule: scaleSchedule(DEFAULT_SCHEDULE, 0.005),
        backoff: { baseMs: 2, capMs: 20, maxAttempts: 8 },
      });
      const events: EngineEvent[] = [];
      engine.onEvent((event) => events.push(event));
      return { engine, events };
    }

    /** One generation through the real engine; the fault is injected once the job exists. */
    async function generateWith(fault: FaultRule): Promise<{ entry: GalleryEntry; events: EngineEvent[]; store: GalleryStore; engine: JobEngine }> {
      const store = new GalleryStore(dir);
      await store.load();
      const { engine, events } = engineFor(client, store);
      sim.injectFault(fault);
      const started = await engine.start({ prompt: 'caps', ...BASE });
      const entry = await engine.whenSettled(started.id);
      return { entry: entry!, events, store, engine };
    }

    /** Paused (never failed: it is paid) with the reason as data, and the user told. */
    function assertPaused(entry: GalleryEntry, events: EngineEvent[], kind: string, params: Record<string, unknown> = {}): void {
      assert.ok(entry.jobId, 'the paid job id is kept');
      assert.strictEqual(entry.state, 'paused', `the paid job is ${entry.state}: ${JSON.stringify(entry.reason)}`);
      assert.strictEqual(entry.reason?.kind, kind);
      for (const [name, value] of Object.entries(params)) assert.strictEqual(entry.reason?.params?.[name], value, name);
      const event = events.find((e) => e.kind === 'needsAttention');
      assert.ok(event && event.kind === 'needsAttention', `the user is told (${events.map((e) => e.kind)})`);
      assert.strictEqual(event.entry.reason?.kind, kind);
    }

    it('a paid job whose image body is 1 GB is paused with the reason after one download, and completes on Retry', async () => {
      tried('server: oversized image');
      const measured = await measurePeakRss(() => generateWith({ route: 'image', kind: 'hugeBody', bytes: GB }));
      assert.ok('value' in measured.outcome, String((measured.outcome as { error: unknown }).error));
      const { entry, events, engine, store } = measured.outcome.value;
      try {
        assertPaused(entry, events, 'tooLarge', { limitBytes: MAX_IMAGE_BYTES });
        assert.strictEqual(sim.stats().requests.image, 1, 'downloaded once, not retried');
        assert.deepStrictEqual(await fs.readdir(store.imagesDir), [], 'no .part file');
        console.log(`      peak RSS growth while a 1 GB image body was cut at ${MAX_IMAGE_BYTES / MB} MB: ${megabytes(measured.peakGrowthBytes)} (peak ${megabytes(measured.peakBytes)})`);
        assert.ok(measured.peakGrowthBytes < 150 * MB, megabytes(measured.peakGrowthBytes));
        assert.ok(await engine.resume(entry.id), 'Retry resumes it');
        const done = await engine.whenSettled(entry.id);
        assert.strictEqual(done?.state, 'completed', JSON.stringify(done?.reason));
        assert.strictEqual(sim.stats().jobsCreated, 1);
      } finally {
        await engine.dispose();
      }
    });

    it('a poll answered with an endless JSON body pauses the paid job; Retry collects it', async () => {
      tried('server: oversized JSON');
      const measured = await measurePeakRss(() => generateWith({ route: 'job', kind: 'hugeBody' }));
      assert.ok('value' in measured.outcome, String((measured.outcome as { error: unknown }).error));
      const { entry, events, engine } = measured.outcome.value;
      try {
        assertPaused(entry, events, 'tooLarge', { limitBytes: JSON_BODY_CAP_BYTES });
        await connectionsClosed();
        console.log(`      peak RSS growth while an endless JSON body was cut at ${JSON_BODY_CAP_BYTES / MB} MB: ${megabytes(measured.peakGrowthBytes)} (peak ${megabytes(measured.peakBytes)})`);
        assert.ok(measured.peakGrowthBytes < 100 * MB, megabytes(measured.peakGrowthBytes));
        assert.ok(await engine.resume(entry.id), 'Retry resumes it');
        const done = await engine.whenSettled(entry.id);
        assert.strictEqual(done?.state, 'completed', JSON.stringify(done?.reason));
      } finally {
        await engine.dispose();
      }
    });

    it('a plain-http result link on another host pauses the paid job, is never requested, and is explained in the log without its query', async () => {
      tried('server: result URL');
      const { entry, events, engine } = await generateWith({ route: 'job', kind: 'httpResultUrl', times: 100 });
      try {
        assertPaused(entry, events, 'refusedUrl');
        assert.strictEqual(sim.stats().requests.image ?? 0, 0, 'nothing was fetched');
        assert.strictEqual(refusals.length, 1, refusals.join('\n'));
        assert.match(refusals[0], /^refused the image link http:\/\/images\.example\.invalid\/files\/[\w-]+\.jpg: it is plain http, not https$/);
      } finally {
        await engine.dispose();
      }
    });

    it('with the API on https, plain http result links are refused even to this machine; the log line carries no query', async () => {
      tried('server: result URL');
      const url = await completedJobUrl();
      const remote = clientFor('https://api.apiframe.ai');
      const imagesBefore = sim.stats().requests.image ?? 0;
      const error = await caught(remote.fetchImage(`${url}?token=SECRET_TOKEN`));
      assert.strictEqual(error.kind, 'refusedUrl');
      assert.ok(!error.retryable);
      assert.strictEqual(sim.stats().requests.image ?? 0, imagesBefore, 'never requested');
      assert.strictEqual(refusals.length, 1);
      assert.ok(!refusals[0].includes('SECRET_TOKEN') && !error.message.includes('SECRET_TOKEN'), refusals[0]);
    });

    it('redirects: to plain http elsewhere refused; to http on this machine (local API) and to https followed without the key; a loop stops', async () => {
      const url = await completedJobUrl();
      // To plain http on another host: refused before any request goes there.
      tried('server: redirect');
      sim.injectFault({ route: 'image', kind: 'redirectToHttp' });
      let error = await caught(downloadImage(client, url, dir, 'a'));
      assert.strictEqual(error.kind, 'refusedUrl');
      assert.match(refusals.pop() ?? '', /^refused a redirect from the image link http:\/\/images\.example\.invalid\/files\/.*: it is plain http, not https$/);
      // To plain http on this machine while the API is here too (the simulator): followed.
      tried('server: redirect');
      sim.injectFault({ route: 'image', kind: 'redirectToHttp', location: `${url}?hop=1` });
      assert.strictEqual((await downloadImage(client, url, dir, 'b')).format, 'jpg');
      // To https: followed, to a real TLS server, without the key.
      tried('server: redirect');
      trustTestCdn();
      const cdn = await startTestCdn(png, 'image/png');
      try {
        sim.injectFault({ route: 'image', kind: 'redirectToHttps', location: `${cdn.url}/cdn/c.png?sig=1` });
        const stored = await downloadImage(client, url, dir, 'c');
        assert.strictEqual(stored.format, 'png');
        assert.deepStrictEqual(cdn.seen.map((s) => s.url), ['/cdn/c.png?sig=1']);
        assert.strictEqual(cdn.seen[0].headers['x-api-key'], undefined, 'the key never goes with an image request');
      } finally {
        await cdn.close();
      }
      // To https where no TLS server listens (the simulator's own port): attempted, so a network error, not a refusal.
      tried('server: redirect');
      sim.injectFault({ route: 'image', kind: 'redirectToHttps' });
      error = await caught(downloadImage(client, url, dir, 'd'));
      assert.ok(error.retryable && error.kind !== 'refusedUrl', error.kind);
      // A loop: MAX_IMAGE_REDIRECTS hops are followed, then the link is refused.
      tried('server: redirect');
      sim.injectFault({ route: 'image', kind: 'redirectLoop' });
      records.length = 0;
      error = await caught(downloadImage(client, url, dir, 'e'));
      assert.strictEqual(error.kind, 'refusedUrl');
      assert.match(error.message, /redirected more than 5 times/);
      assert.strictEqual(records.length, MAX_IMAGE_REDIRECTS + 1, records.map((r) => r.path).join(' → '));
      assert.ok(!records.some((r) => r.path.includes('?')));
      assert.deepStrictEqual((await fs.readdir(dir)).sort(), ['b.jpg', 'c.png']);
    });

    it('a redirect loop on a paid job pauses it after one try (never marked failed)', async () => {
      tried('server: redirect');
      const { entry, events, engine } = await generateWith({ route: 'image', kind: 'redirectLoop' });
      try {
        assertPaused(entry, events, 'refusedUrl');
        assert.strictEqual(sim.stats().requests.image, 1);
      } finally {
        await engine.dispose();
      }
    });
  });
});
