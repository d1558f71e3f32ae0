// A faithful local simulator of Apiframe v2 (image generation with "flux-1.1-pro-ultra") on 127.0.0.1.
// Used by unit tests, end-to-end tests in a real VS Code, benchmarks and the demo instead of the real service.
// Only Node built-ins plus `sharp` (image encoding). See /work/shared/apiframe-api.md for the contract.

import * as http from 'http';
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';
import { createHash, createHmac, randomBytes, randomUUID } from 'crypto';
import { MIME_TYPES, MODEL_ID, type AspectRatio, type OutputFormat } from './apiframe';
import { mulberry32, normal } from './prng';
import { renderImage, renderKey, type ImageStyle, type RenderSpec } from './render';
import { boundaryOf, parseMultipart, sniffImage } from './multipart';
import { validateGenerate, type Details } from './validate';
import {
  HOSTILE_FAULT_KINDS,
  HostileResponder,
  FOREIGN_HTTP_ORIGIN,
  REDIRECT_LOOP_PREFIX,
  withForeignHttpResultUrls,
  type HostileFaultKind,
  type HostileFaultOptions,
  type HugeBodyStats,
} from './hostile';

// ---------------------------------------------------------------------------------------------------------------
// Public API

export interface ApiKeyConfig {
  credits: number;
  active?: boolean;
  /** User email or name (shown by GET /v2/me). */
  user?: string;
  /** Team name (shown by GET /v2/me). */
  team?: string;
}

export interface SimulatorOptions {
  port?: number; // 0 = random
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  apiKeys?: Record<string, ApiKeyConfig>; // default { 'afk_test_key': {credits: 1000} }
  timeScale?: number; // multiplies all generation times
  durations?: { medianMs: number; sigma: number } | { fixedMs: number }; // log-normal, default median 15000, sigma 0.35
  queueMs?: number; // time in QUEUED before PROCESSING (scaled), default 8% of duration
  progressModel?: 'informative' | 'silent';
  failureRate?: number;
  creditCost?: number; // per image, default 6
  /** What GET /v2/models says about Ultra; default a flat creditCost (null: Ultra is not in the list). */
  priceList?: { costMin?: number; costMax?: number; pricingMode?: string } | null;
  seed?: number;
  resultShape?: 'string' | 'images' | 'array' | 'rotate';
  urlTtlMs?: number; // result URLs expire after this many real ms, default 10 min
  uploadTtlMs?: number; // uploaded files expire after this many real ms, default 90 min
  retentionMs?: number; // after this, a COMPLETED job is `expired` and its URLs 404; default 24 h
  rateLimit?: { perSecond: number } | null; // 429 with Retry-After beyond this (per key); null disables
  maxCacheBytes?: number; // encoded-image LRU budget, default 500 MB
  encodeConcurrency?: number; // parallel background encodes, default 2
  imageStyle?: ImageStyle; // 'placeholder' (default: small, fast) or 'photo' (real-size files, for benchmarks)
  verbose?: boolean; // one line per request on stdout (never the key)
  /** false: a server that creates (and charges) a new job for every submit, whatever its Idempotency-Key. */
  honourIdempotencyKey?: boolean;
  /** Real ms between creating a job and answering the submit (the reply is slow, the job already exists). */
  submitReplyDelayMs?: number;
}

/**
 * Transient faults (FAULT_KINDS) a client must get through on its own by retrying; the hostile kinds
 * (HOSTILE_FAULT_KINDS, documented in ./hostile.ts: huge and endless bodies, lying Content-Length,
 * compression bombs, plain-http result URLs, redirects to http and https, a redirect loop) it must refuse.
 */
export type FaultKind =
  | HostileFaultKind
  | 'http500'
  | 'http502'
  | 'http503'
  | 'http429'
  | 'http429date'
  | 'reset'
  | 'slow'
  | 'truncate'
  | 'malformedJson'
  | 'htmlBody'
  | 'expiredUrl'
  | 'failJob'
  | 'timeout';

export type FaultRoute = 'generate' | 'job' | 'jobs' | 'me' | 'models' | 'upload' | 'image' | 'any';

export interface FaultRule extends HostileFaultOptions {
  route: FaultRoute;
  kind: FaultKind;
  times?: number; // how many matching requests it affects (default 1)
  retryAfterSeconds?: number;
  delayMs?: number;
  /** failJob: the job's `error` text (default: a content-policy refusal). */
  errorText?: string;
}

export interface FaultMix {
  probability: number;
  kinds: FaultKind[];
  seed: number;
}

export interface SimulatorJobInfo {
  id: string;
  status: string;
  prompt: string;
  idempotencyKey?: string;
  createdAtMs: number;
  /** Date.now() at which the job became COMPLETED/FAILED on the server (planned, exact). */
  completedAtMs?: number;
  creditCost: number;
  error: string | null;
  apiKeyPrefix: string;
}

export interface SimulatorStats {
  jobsCreated: number;
  creditsCharged: number;
  creditsRefunded: number;
  requests: Record<string, number>;
  faultsInjected: Record<string, number>;
  idempotentReplays: number;
  rateLimited: number;
  uploads: number;
  imagesServed: number;
  imagesEncoded: number;
  webhookDeliveries: number;
  /** The hugeBody fault's streams: how many are still open, how many bytes went out. */
  hugeBodies: HugeBodyStats;
  pendingFaults: number;
  credits: Record<string, number>; // by key prefix (first 8 chars)
  jobs: SimulatorJobInfo[];
}

export interface Simulator {
  url: string;
  port: number;
  stats(): SimulatorStats;
  injectFault(rule: FaultRule): void;
  setFaultMix(mix: FaultMix | undefined): void;
  configure(o: Partial<SimulatorOptions>): void;
  reset(): void;
  /** ms timestamp (Date.now()) at which job became COMPLETED/FAILED on the server, for lag measurements */
  completionTime(jobId: string): number | undefined;
  close(): Promise<void>;
}

export const DEFAULT_API_KEY = 'afk_test_key';
export const CONTENT_POLICY_ERROR = 'Prompt was flagged by the content policy. Please rephrase and try again.';
export const FAULT_KINDS: readonly FaultKind[] = [
  'http500',
  'http502',
  'http503',
  'http429',
  'http429date',
  'reset',
  'slow',
  'truncate',
  'malformedJson',
  'htmlBody',
  'expiredUrl',
  'failJob',
  'timeout',
];
const ALL_FAULT_KINDS: readonly FaultKind[] = [...FAULT_KINDS, ...HOSTILE_FAULT_KINDS];
const FAULT_ROUTES: readonly FaultRoute[] = ['generate', 'job', 'jobs', 'me', 'models', 'upload', 'image', 'any'];
const JOB_STATUSES = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'];
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_WINDOW_MS = 24 * 3600_000;
const MAX_JSON_BODY = 1024 * 1024;
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Internal state

type Status = 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';
type ApiRoute = Exclude<FaultRoute, 'any'>;
type Route = ApiRoute | 'other';

interface KeyState {
  key: string; // never sent anywhere
  credits: number;
  active: boolean;
  user: string;
  team: string;
  hits: number[]; // request timestamps for the rate limiter
}

interface Job {
  id: string;
  seq: number;
  apiKey: string;
  status: Status;
  input: Record<string, unknown>;
  spec: RenderSpec;
  createdAt: number;
  startAt: number;
  endAt: number;
  willFail: boolean;
  /** The `error` a failing job reports. */
  failureText: string;
  error: string | null;
  creditCost: number;
  idempotencyKey?: string;
  rotateIndex: number;
  progress: number;
  noise: () => number;
  token?: string;
  completedAtMs?: number;
  webhookStatus: string | null;
  webhookEvents: string[];
  timers: NodeJS.Timeout[];
}

type FileEntry =
  | { kind: 'job'; jobId: string; expiresAt: number }
  | { kind: 'upload'; id: string; expiresAt: number; contentType: string; data: Buffer };

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: Buffer;
  contentType: string;
}

interface Defaults {
  port: number;
  host: string;
  apiKeys: Record<string, ApiKeyConfig>;
  timeScale: number;
  durations: { medianMs: number; sigma: number } | { fixedMs: number };
  queueMs?: number;
  progressModel: 'informative' | 'silent';
  failureRate: number;
  creditCost: number;
  priceList?: SimulatorOptions['priceList'];
  seed: number;
  resultShape: 'string' | 'images' | 'array' | 'rotate';
  urlTtlMs: number;
  uploadTtlMs: number;
  retentionMs: number;
  rateLimit: { perSecond: number } | null;
  maxCacheBytes: number;
  encodeConcurrency: number;
  imageStyle: ImageStyle;
  verbose: boolean;
  honourIdempotencyKey: boolean;
  submitReplyDelayMs: number;
}

function withDefaults(o: SimulatorOptions): Defaults {
  return {
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    apiKeys: o.apiKeys ?? { [DEFAULT_API_KEY]: { credits: 1000 } },
    timeScale: o.timeScale ?? 1,
    durations: o.durations ?? { medianMs: 15000, sigma: 0.35 },
    queueMs: o.queueMs,
    progressModel: o.progressModel ?? 'informative',
    failureRate: o.failureRate ?? 0,
    creditCost: o.creditCost ?? 6,
    priceList: o.priceList,
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 31),
    resultShape: o.resultShape ?? 'images',
    urlTtlMs: o.urlTtlMs ?? 10 * 60_000,
    uploadTtlMs: o.uploadTtlMs ?? 90 * 60_000,
    retentionMs: o.retentionMs ?? 24 * 3600_000,
    rateLimit: o.rateLimit ?? null,
    maxCacheBytes: o.maxCacheBytes ?? 500 * 1024 * 1024,
    encodeConcurrency: Math.max(1, o.encodeConcurrency ?? 2),
    imageStyle: o.imageStyle ?? 'placeholder',
    verbose: o.verbose ?? false,
    honourIdempotencyKey: o.honourIdempotencyKey ?? true,
    submitReplyDelayMs: o.submitReplyDelayMs ?? 0,
  };
}

function json(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, body: Buffer.from(JSON.stringify(value)), contentType: 'application/json; charset=utf-8', headers };
}

function validationFailed(details: Details): Reply {
  return json(400, { error: 'Validation failed', details });
}

function htmlPage(status: number, title: string): Buffer {
  return Buffer.from(
    `<!DOCTYPE html>\n<html><head><title>${status} ${title}</title></head><body>` +
      `<center><h1>${status} ${title}</h1></center><hr><center>nginx</center></body></html>\n`,
  );
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(json(413, { error: 'Request body too large' }, { Connection: 'close' })));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new HttpError(json(413, { error: 'Request body too large' }, { Connection: 'close' })));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (err) => {
      if (!done) {
        done = true;
        reject(err);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Encoded-image cache (LRU by total bytes) with a small background encode queue.

class ImageStore {
  private cache = new Map<string, Buffer>();
  private bytes = 0;
  private inflight = new Map<string, { promise: Promise<Buffer>; start: () => void; started: boolean }>();
  private queue: string[] = [];
  private active = 0;
  encoded = 0;

  constructor(
    private maxBytes: () => number,
    private concurrency: () => number,
  ) {}

  /** Background encode, best effort: skipped when the backlog is long (the image is then encoded on first fetch). */
  prefetch(spec: RenderSpec): void {
    if (this.queue.length >= 8) return;
    this.get(spec, false).catch(() => undefined);
  }

  get(spec: RenderSpec, urgent: boolean): Promise<Buffer> {
    const key = renderKey(spec);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return Promise.resolve(hit);
    }
    let entry = this.inflight.get(key);
    if (!entry) {
      let start!: () => void;
      const promise = new Promise<Buffer>((resolve, reject) => {
        start = () => {
          if (entry!.started) return;
          entry!.started = true;
          this.active++;
          renderImage(spec)
            .then((buf) => {
              this.encoded++;
              this.put(key, buf);
              resolve(buf);
            }, reject)
            .finally(() => {
              this.inflight.delete(key);
              this.active--;
              this.pump();
            });
        };
      });
      promise.catch(() => undefined);
      entry = { promise, start, started: false };
      this.inflight.set(key, entry);
      this.queue.push(key);
    }
    if (urgent && !entry.started) {
      this.queue = this.queue.filter((k) => k !== key);
      entry.start();
    } else {
      this.pump();
    }
    return entry.promise;
  }

  private pump(): void {
    while (this.active < this.concurrency() && this.queue.length) {
      const key = this.queue.shift()!;
      const entry = this.inflight.get(key);
      if (entry && !entry.started) entry.start();
    }
  }

  private put(key: string, buf: Buffer): void {
    if (buf.length > this.maxBytes()) return;
    this.cache.set(key, buf);
    this.bytes += buf.length;
    for (const [k, v] of this.cache) {
      if (this.bytes <= this.maxBytes()) break;
      this.cache.delete(k);
      this.bytes -= v.length;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

class SimulatorImpl implements Simulator {
  url = '';
  port = 0;
  private opts: Defaults;
  private readonly initial: Defaults;
  private server: http.Server;
  private sockets = new Set<Socket>();
  private keys = new Map<string, KeyState>();
  private jobs = new Map<string, Job>();
  private jobOrder: Job[] = [];
  private idempotency = new Map<string, { jobId: string; at: number }>();
  private files = new Map<string, FileEntry>();
  private faults: Array<FaultRule & { remaining: number }> = [];
  private mix: { probability: number; kinds: FaultKind[]; rand: () => number } | undefined;
  private rand: () => number;
  private seq = 0;
  private rotate = 0;
  private htmlToggle = 0;
  private counters = this.freshCounters();
  private images: ImageStore;
  private readonly hostile = new HostileResponder();
  private closed = false;

  constructor(options: SimulatorOptions) {
    this.initial = withDefaults(options);
    this.opts = { ...this.initial };
    this.rand = mulberry32(this.opts.seed);
    this.loadKeys(this.opts.apiKeys, true);
    this.images = new ImageStore(
      () => this.opts.maxCacheBytes,
      () => this.opts.encodeConcurrency,
    );
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent && !res.destroyed) {
          const reply = err instanceof HttpError ? err.reply : json(500, { error: 'Internal simulator error' });
          this.send(req, res, reply);
        } else {
          res.destroy();
        }
      });
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  private freshCounters() {
    return {
      jobsCreated: 0,
      creditsCharged: 0,
      creditsRefunded: 0,
      requests: {} as Record<string, number>,
      faultsInjected: {} as Record<string, number>,
      idempotentReplays: 0,
      rateLimited: 0,
      uploads: 0,
      imagesServed: 0,
      webhookDeliveries: 0,
    };
  }

  private loadKeys(apiKeys: Record<string, ApiKeyConfig>, replace: boolean): void {
    if (replace) this.keys.clear();
    for (const [key, cfg] of Object.entries(apiKeys)) {
      const existing = this.keys.get(key);
      this.keys.set(key, {
        key,
        credits: cfg.credits,
        active: cfg.active ?? true,
        user: cfg.user ?? existing?.user ?? 'dev@example.com',
        team: cfg.team ?? existing?.team ?? 'Test Team',
        hits: existing?.hits ?? [],
      });
    }
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        const host = this.opts.host === '0.0.0.0' || this.opts.host === '::' ? '127.0.0.1' : this.opts.host;
        this.url = `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
        resolve();
      });
    });
  }

  // ----- public API ---------------------------------------------------------------------------------------------

  stats(): SimulatorStats {
    const now = Date.now();
    const credits: Record<string, number> = {};
    for (const k of this.keys.values()) {
      const label = k.key.slice(0, 8);
      credits[label in credits ? `${label}#${shortHash(k.key).slice(0, 4)}` : label] = k.credits;
    }
    return {
      ...structuredClone(this.counters),
      imagesEncoded: this.images.encoded,
      hugeBodies: this.hostile.stats(),
      pendingFaults: this.faults.reduce((n, f) => n + f.remaining, 0),
      credits,
      jobs: this.jobOrder.map((job) => {
        this.advance(job, now);
        return {
          id: job.id,
          status: job.status,
          prompt: job.spec.prompt,
          idempotencyKey: job.idempotencyKey,
          createdAtMs: job.createdAt,
          completedAtMs: job.completedAtMs,
          creditCost: job.creditCost,
          error: job.error,
          apiKeyPrefix: job.apiKey.slice(0, 8),
        };
      }),
    };
  }

  injectFault(rule: FaultRule): void {
    if (!ALL_FAULT_KINDS.includes(rule.kind)) throw new Error(`Unknown fault kind: ${String(rule.kind)}`);
    if (!FAULT_ROUTES.includes(rule.route)) throw new Error(`Unknown fault route: ${String(rule.route)}`);
    this.faults.push({ ...rule, remaining: Math.max(1, Math.floor(rule.times ?? 1)) });
  }

  setFaultMix(mix: FaultMix | undefined): void {
    if (!mix) {
      this.mix = undefined;
      return;
    }
    for (const kind of mix.kinds) {
      if (!ALL_FAULT_KINDS.includes(kind)) throw new Error(`Unknown fault kind: ${String(kind)}`);
    }
    this.mix = { probability: mix.probability, kinds: [...mix.kinds], rand: mulberry32(mix.seed) };
  }

  configure(o: Partial<SimulatorOptions>): void {
    const { apiKeys, seed, ...rest } = o;
    for (const [k, v] of Object.entries(rest)) {
      if (v !== undefined && k !== 'port' && k !== 'host') (this.opts as unknown as Record<string, unknown>)[k] = v;
    }
    if ('rateLimit' in o && !o.rateLimit) this.opts.rateLimit = null;
    if (seed !== undefined) {
      this.opts.seed = seed;
      this.rand = mulberry32(seed);
    }
    if (apiKeys) this.loadKeys(apiKeys, false);
  }

  reset(): void {
    for (const job of this.jobs.values()) job.timers.forEach(clearTimeout);
    this.opts = { ...this.initial, port: this.opts.port };
    this.rand = mulberry32(this.opts.seed);
    this.loadKeys(this.initial.apiKeys, true);
    this.jobs.clear();
    this.jobOrder = [];
    this.idempotency.clear();
    this.files.clear();
    this.faults = [];
    this.mix = undefined;
    this.seq = 0;
    this.rotate = 0;
    this.htmlToggle = 0;
    this.counters = this.freshCounters();
    // The encoded-image cache is keyed by what is rendered (deterministic), so it survives a reset.
  }

  completionTime(jobId: string): number | undefined {
    const job = this.jobs.get(jobId);
    if (!job) return undefined;
    this.advance(job, Date.now());
    return job.completedAtMs;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const job of this.jobs.values()) job.timers.forEach(clearTimeout);
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.server.closeAllConnections?.();
    });
  }

  // ----- request handling ---------------------------------------------------------------------------------------

  private classify(method: string, path: string): Route {
    if (path === '/v2/images/generate') return 'generate';
    if (path === '/v2/jobs') return 'jobs';
    if (path.startsWith('/v2/jobs/')) return 'job';
    if (path === '/v2/me') return 'me';
    if (path === '/v2/models') return 'models';
    if (path === '/v2/uploads') return 'upload';
    if (path.startsWith('/files/') && (method === 'GET' || method === 'HEAD')) return 'image';
    return 'other';
  }

  private applicable(kind: FaultKind, route: ApiRoute): boolean {
    if (kind === 'expiredUrl') return route === 'image';
    if (kind === 'failJob') return route === 'generate';
    if (kind === 'redirectToHttp' || kind === 'redirectToHttps' || kind === 'redirectLoop') return route === 'image';
    if (kind === 'httpResultUrl') return route === 'job' || route === 'jobs';
    return true;
  }

  private pickFault(route: ApiRoute): FaultRule | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const rule = this.faults[i];
      if (rule.kind === 'failJob') continue; // consumed when a job is created
      if ((rule.route === route || rule.route === 'any') && this.applicable(rule.kind, route)) {
        if (--rule.remaining <= 0) this.faults.splice(i, 1);
        return rule;
      }
    }
    if (this.mix && this.mix.kinds.length) {
      const roll = this.mix.rand();
      const pick = this.mix.rand();
      if (roll < this.mix.probability) {
        const kinds = this.mix.kinds.filter((k) => this.applicable(k, route));
        if (kinds.length) return { route, kind: kinds[Math.floor(pick * kinds.length)] };
      }
    }
    return undefined;
  }

  private countFault(kind: FaultKind): void {
    this.counters.faultsInjected[kind] = (this.counters.faultsInjected[kind] ?? 0) + 1;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    const path = url.pathname;
    let faultNote = '';
    if (this.opts.verbose) {
      res.on('close', () => {
        const status = res.headersSent ? String(res.statusCode) : 'no-response';
        console.log(`[apiframe-sim] ${method} ${path} ${status} ${Date.now() - started}ms${faultNote}`);
      });
    }

    if (path.startsWith('/__sim/')) {
      this.send(req, res, await this.control(req, method, path));
      return;
    }
    if (path.startsWith(REDIRECT_LOOP_PREFIX)) return this.hostile.redirectLoop(res, path);

    const route = this.classify(method, path);
    this.counters.requests[route] = (this.counters.requests[route] ?? 0) + 1;
    let fault = route === 'other' ? undefined : this.pickFault(route);
    if (fault) {
      // a failJob from the mix is counted only if it actually fails a newly created job (see generate)
      if (fault.kind !== 'failJob') this.countFault(fault.kind);
      faultNote = ` fault=${fault.kind}`;
    }

    // Faults that answer before the request reaches the "service".
    switch (fault?.kind) {
      case 'http500':
        return this.send(req, res, json(500, { error: 'Internal server error' }));
      case 'http503':
        return this.send(req, res, json(503, { error: 'Service temporarily unavailable' }));
      case 'http502':
        return this.send(req, res, {
          status: 502,
          body: htmlPage(502, 'Bad Gateway'),
          contentType: 'text/html; charset=utf-8',
        });
      case 'htmlBody': {
        const status = this.htmlToggle++ % 2 === 0 ? 503 : 200;
        return this.send(req, res, {
          status,
          body: htmlPage(status, status === 503 ? 'Service Temporarily Unavailable' : 'OK'),
          contentType: 'text/html; charset=utf-8',
        });
      }
      case 'http429':
        return this.send(
          req,
          res,
          json(429, { error: 'Too many requests' }, { 'Retry-After': String(fault.retryAfterSeconds ?? 1) }),
        );
      case 'http429date': {
        // HTTP dates have 1 s resolution: round up so the client never waits less than asked.
        const at = Math.ceil((Date.now() + (fault.retryAfterSeconds ?? 1) * 1000) / 1000) * 1000;
        return this.send(
          req,
          res,
          json(429, { error: 'Too many requests' }, { 'Retry-After': new Date(at).toUTCString() }),
        );
      }
      case 'expiredUrl':
        return this.send(req, res, json(404, { error: 'File not found or expired' }));
      case 'timeout':
        return; // accept and never answer; the socket is destroyed when the client gives up or on close()
      case 'hugeBody':
        return this.hostile.hugeBody(req, route === 'image', fault);
      case 'redirectToHttp':
        return this.hostile.redirectTo(res, fault.location ?? `${FOREIGN_HTTP_ORIGIN}${path}`);
      case 'redirectToHttps':
        return this.hostile.redirectTo(res, fault.location ?? `https://${req.headers.host ?? '127.0.0.1'}${path}`);
      case 'redirectLoop':
        return this.hostile.redirectTo(res, `${REDIRECT_LOOP_PREFIX}0`);
      case 'slow':
        await new Promise((r) => setTimeout(r, fault!.delayMs ?? 1000));
        if (this.closed || res.destroyed) return;
        break;
      default:
        break;
    }

    let reply: Reply;
    try {
      reply = await this.dispatch(req, url, route, fault?.kind === 'failJob');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      reply = err.reply;
    }
    if (route === 'generate' && this.opts.submitReplyDelayMs > 0) await new Promise((r) => setTimeout(r, this.opts.submitReplyDelayMs));
    if (res.destroyed) return;

    // Faults that hit the response after the service did its work (e.g. a job created, then the reply is lost).
    switch (fault?.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'malformedJson':
        return this.send(req, res, {
          status: 200,
          body: Buffer.from('{"jobId": "8c1f3a52-9b4e-4c7d-a1e2-f3b4c5d6e7f8", "status": "QUE'),
          contentType: 'application/json; charset=utf-8',
        });
      case 'httpResultUrl':
        return this.send(req, res, { ...reply, body: withForeignHttpResultUrls(reply.body, this.url) });
      case 'truncate': {
        const headers: Record<string, string | number> = {
          ...(reply.headers ?? {}),
          'Content-Type': reply.contentType,
          'Content-Length': reply.body.length,
        };
        res.writeHead(reply.status, headers);
        res.write(reply.body.subarray(0, Math.floor(reply.body.length / 2)), () => req.socket.destroy());
        return;
      }
      default:
        this.send(req, res, reply);
    }
  }

  private send(req: http.IncomingMessage, res: http.ServerResponse, reply: Reply): void {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(reply.status, {
      ...(reply.headers ?? {}),
      'Content-Type': reply.contentType,
      'Content-Length': reply.body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  }

  private async dispatch(req: http.IncomingMessage, url: URL, route: Route, failJob: boolean): Promise<Reply> {
    const method = req.method ?? 'GET';
    if (route === 'image') return this.serveFile(url.pathname);
    if (route === 'other') return json(404, { error: 'Not found' });
    const expected = route === 'generate' || route === 'upload' ? 'POST' : 'GET';
    if (method !== expected) return json(405, { error: 'Method not allowed' }, { Allow: expected });
    if (route === 'models') return this.models(url.searchParams);

    const header = req.headers['x-api-key'];
    const apiKey = Array.isArray(header) ? header[0] : header;
    if (!apiKey) return json(401, { error: 'Missing API key. Send it in the X-API-Key header.' });
    const key = this.keys.get(apiKey);
    if (!key) return json(401, { error: 'Invalid API key' });
    if (!key.active) return json(403, { error: 'API key is inactive' });

    const limit = this.opts.rateLimit;
    if (limit && limit.perSecond > 0) {
      const now = Date.now();
      key.hits = key.hits.filter((t) => now - t < 1000);
      if (key.hits.length >= limit.perSecond) {
        this.counters.rateLimited++;
        const wait = Math.max(1, Math.ceil((key.hits[0] + 1000 - now) / 1000));
        return json(429, { error: 'Rate limit exceeded' }, { 'Retry-After': String(wait) });
      }
      key.hits.push(now);
    }

    switch (route) {
      case 'generate':
        return this.generate(req, key, failJob);
      case 'job':
        return this.getJob(key, decodeURIComponent(url.pathname.slice('/v2/jobs/'.length)));
      case 'jobs':
        return this.listJobs(key, url.searchParams);
      case 'me':
        return this.me(key);
      case 'upload':
        return this.upload(req);
    }
  }

  // ----- /v2/models (public: no key) -----------------------------------------------------------------------------

  private models(query: URLSearchParams): Reply {
    const modality = query.get('modality');
    if (modality !== null && !['image', 'video', 'music'].includes(modality)) return json(400, { error: 'Invalid modality' });
    const list = this.opts.priceList === undefined ? { costMin: this.opts.creditCost, costMax: this.opts.creditCost, pricingMode: 'flat' } : this.opts.priceList;
    const models = [
      { id: 'flux-pro', label: 'Flux Pro', modality: 'image', costMin: 4, costMax: 4, pricingMode: 'flat' },
      ...(list ? [{ id: 'flux-1.1-pro-ultra', label: 'Flux 1.1 Pro Ultra', modality: 'image', ...list }] : []),
      { id: 'kling-video', label: 'Kling', modality: 'video', costMin: 20, costMax: 200, pricingMode: 'per-second' },
    ].filter((model) => modality === null || model.modality === modality);
    return json(200, { models });
  }

  // ----- /v2/images/generate ------------------------------------------------------------------------------------

  private async generate(req: http.IncomingMessage, key: KeyState, failFromMix: boolean): Promise<Reply> {
    const rawIdem = req.headers['idempotency-key'];
    const idem = Array.isArray(rawIdem) ? rawIdem[0] : rawIdem;
    if (idem !== undefined && (idem.length === 0 || idem.length > 255)) {
      return validationFailed({ 'Idempotency-Key': ['must be between 1 and 255 characters'] });
    }
    const raw = await readBody(req, MAX_JSON_BODY);
    const now = Date.now();
    const idemKey = idem !== undefined ? `${shortHash(key.key)}\u0000${idem}` : undefined;
    if (idemKey && this.opts.honourIdempotencyKey) {
      const seen = this.idempotency.get(idemKey);
      const job = seen && this.jobs.get(seen.jobId);
      if (seen && job && now - seen.at < IDEMPOTENCY_WINDOW_MS) {
        this.counters.idempotentReplays++;
        this.advance(job, now);
        return json(202, { jobId: job.id, status: job.status });
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return json(400, { error: 'Invalid JSON body' });
    }
    const details = validateGenerate(body);
    if (details) return validationFailed(details);
    const cost = this.opts.creditCost;
    if (key.credits < cost) {
      return json(402, { error: 'Insufficient credits', creditsRequired: cost, creditsAvailable: key.credits });
    }

    const input = body as Record<string, unknown>;
    const flux = (input.fluxParams ?? {}) as Record<string, unknown>;
    // Per-job randomness is drawn from the seeded PRNG in submission order, so runs are reproducible.
    const z = normal(this.rand);
    const failRoll = this.rand();
    const noiseSeed = Math.floor(this.rand() * 2 ** 31);
    const seedRoll = Math.floor(this.rand() * 2 ** 31);
    const d = this.opts.durations;
    const unscaled = 'fixedMs' in d ? d.fixedMs : d.medianMs * Math.exp(d.sigma * z);
    const duration = Math.max(1, unscaled * this.opts.timeScale);
    const queue = Math.min(duration * 0.9, (this.opts.queueMs ?? unscaled * 0.08) * this.opts.timeScale);
    const failRule = this.consumeFailJobRule();
    if (failFromMix) this.countFault('failJob');
    const willFail = failFromMix || failRule !== undefined || failRoll < this.opts.failureRate;

    key.credits -= cost;
    this.counters.creditsCharged += cost;
    this.counters.jobsCreated++;
    const job: Job = {
      id: randomUUID(),
      seq: ++this.seq,
      apiKey: key.key,
      status: 'QUEUED',
      input: {
        prompt: input.prompt,
        model: input.model,
        fluxParams: flux,
        ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl } : {}),
        ...(input.webhookEvents !== undefined ? { webhookEvents: input.webhookEvents } : {}),
      },
      spec: {
        prompt: input.prompt as string,
        seed: typeof flux.seed === 'number' ? flux.seed : seedRoll,
        aspectRatio: ((flux.aspect_ratio as string | undefined) ?? '16:9') as AspectRatio,
        format: ((flux.output_format as string | undefined) ?? 'jpg') as OutputFormat,
        quality: typeof flux.output_quality === 'number' ? flux.output_quality : 90,
        model: MODEL_ID,
        style: this.opts.imageStyle,
      },
      createdAt: now,
      startAt: now + queue,
      // content-policy refusals come back sooner than a full generation
      endAt: now + (willFail ? Math.max(queue + 1, duration * 0.5) : duration),
      willFail,
      failureText: failRule ?? CONTENT_POLICY_ERROR,
      error: null,
      creditCost: cost,
      idempotencyKey: idem,
      rotateIndex: this.rotate++,
      progress: 0,
      noise: mulberry32(noiseSeed),
      webhookStatus: input.webhookUrl ? 'pending' : null,
      webhookEvents: (input.webhookEvents as string[] | undefined) ?? ['completed', 'failed'],
      timers: [],
    };
    this.jobs.set(job.id, job);
    this.jobOrder.push(job);
    if (idemKey) this.idempotency.set(idemKey, { jobId: job.id, at: now });
    const schedule = (at: number) =>
      job.timers.push(setTimeout(() => this.advance(job, Math.max(Date.now(), at)), Math.max(0, at - now)));
    schedule(job.startAt);
    schedule(job.endAt);
    return json(202, { jobId: job.id, status: 'QUEUED' });
  }

  /** The error text of a pending failJob rule (consumed), or undefined when none applies. */
  private consumeFailJobRule(): string | undefined {
    const i = this.faults.findIndex((f) => f.kind === 'failJob' && (f.route === 'generate' || f.route === 'any'));
    if (i < 0) return undefined;
    const text = this.faults[i].errorText ?? CONTENT_POLICY_ERROR;
    if (--this.faults[i].remaining <= 0) this.faults.splice(i, 1);
    this.countFault('failJob');
    return text;
  }

  /** Move a job along its wall-clock lifecycle. Idempotent; called by timers and on every read. */
  private advance(job: Job, now: number): void {
    if (job.status === 'QUEUED' && now >= job.startAt) {
      job.status = 'PROCESSING';
      // Encode while "processing", so the bytes are ready (or nearly) when the job completes.
      if (!job.willFail) this.images.prefetch(job.spec);
      this.webhook(job, 'progress');
    }
    if (job.status === 'PROCESSING' && now >= job.endAt) {
      job.completedAtMs = job.endAt;
      job.timers.forEach(clearTimeout);
      job.timers = [];
      if (job.willFail) {
        job.status = 'FAILED';
        job.error = job.failureText;
        const key = this.keys.get(job.apiKey);
        if (key) key.credits += job.creditCost;
        this.counters.creditsRefunded += job.creditCost;
        job.creditCost = 0;
        this.webhook(job, 'failed');
      } else {
        job.status = 'COMPLETED';
        job.progress = 100;
        this.issueToken(job, now);
        this.webhook(job, 'completed');
      }
    }
  }

  private issueToken(job: Job, now: number): void {
    const token = randomBytes(18).toString('base64url');
    this.files.set(token, { kind: 'job', jobId: job.id, expiresAt: now + this.opts.urlTtlMs });
    if (job.token) this.files.delete(job.token);
    job.token = token;
  }

  private progressOf(job: Job, now: number): number {
    if (job.status === 'COMPLETED') return 100;
    if (job.status !== 'PROCESSING' || this.opts.progressModel === 'silent') {
      return job.status === 'FAILED' ? job.progress : 0;
    }
    const fraction = (now - job.startAt) / Math.max(1, job.endAt - job.startAt);
    const noisy = fraction * 100 + (job.noise() - 0.5) * 8;
    job.progress = Math.max(job.progress, Math.min(99, Math.max(0, Math.round(noisy))));
    return job.progress;
  }

  private serializeJob(job: Job, now: number): Record<string, unknown> {
    this.advance(job, now);
    const expired = job.status === 'COMPLETED' && now - job.endAt > this.opts.retentionMs;
    let result: unknown = null;
    if (job.status === 'COMPLETED') {
      const file = job.token ? this.files.get(job.token) : undefined;
      if (!expired && (!file || file.expiresAt <= now)) this.issueToken(job, now);
      const fileUrl = `${this.url}/files/${job.token}.${job.spec.format}`;
      const shapes = ['string', 'images', 'array'] as const;
      const shape = this.opts.resultShape === 'rotate' ? shapes[job.rotateIndex % 3] : this.opts.resultShape;
      result = shape === 'string' ? fileUrl : shape === 'array' ? [fileUrl] : { images: [fileUrl] };
    }
    return {
      id: job.id,
      status: job.status,
      model: MODEL_ID,
      progress: this.progressOf(job, now),
      result,
      error: job.error,
      creditCost: job.creditCost,
      webhookStatus: job.webhookStatus,
      createdAt: new Date(job.createdAt).toISOString(),
      completedAt: job.completedAtMs !== undefined ? new Date(job.completedAtMs).toISOString() : null,
      input: job.input,
      expired,
    };
  }

  // ----- /v2/jobs -----------------------------------------------------------------------------------------------

  private getJob(key: KeyState, id: string): Reply {
    if (!UUID_RE.test(id)) return validationFailed({ id: ['must be a UUID'] });
    const job = this.jobs.get(id);
    if (!job || job.apiKey !== key.key) return json(404, { error: 'Job not found' });
    return json(200, this.serializeJob(job, Date.now()));
  }

  private listJobs(key: KeyState, params: URLSearchParams): Reply {
    const details: Details = {};
    const limitText = params.get('limit');
    const limit = limitText === null ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) details.limit = ['must be an integer between 1 and 100'];
    const status = params.get('status');
    if (status !== null && !JOB_STATUSES.includes(status)) {
      details.status = [`must be one of ${JOB_STATUSES.join(', ')}`];
    }
    const model = params.get('model');
    const cursorText = params.get('cursor');
    let before = Infinity;
    if (cursorText !== null && cursorText !== '') {
      const decoded = Number(Buffer.from(cursorText, 'base64url').toString('utf8').replace(/^seq:/, ''));
      if (!Number.isInteger(decoded) || decoded < 1) details.cursor = ['is invalid'];
      else before = decoded;
    }
    if (Object.keys(details).length) return validationFailed(details);
    const now = Date.now();
    const matches: Job[] = [];
    let hasMore = false;
    for (let i = this.jobOrder.length - 1; i >= 0; i--) {
      const job = this.jobOrder[i];
      if (job.apiKey !== key.key || job.seq >= before) continue;
      if (model && model !== MODEL_ID) continue;
      this.advance(job, now);
      if (status && job.status !== status) continue;
      if (matches.length === limit) {
        hasMore = true;
        break;
      }
      matches.push(job);
    }
    const last = matches[matches.length - 1];
    return json(200, {
      jobs: matches.map((job) => this.serializeJob(job, now)),
      hasMore,
      nextCursor: hasMore && last ? Buffer.from(`seq:${last.seq}`).toString('base64url') : null,
    });
  }

  // ----- /v2/me -------------------------------------------------------------------------------------------------

  private me(key: KeyState): Reply {
    const h = shortHash(key.key);
    const email = key.user.includes('@') ? key.user : `${key.user.replace(/\s+/g, '.').toLowerCase()}@example.com`;
    return json(200, {
      user: { id: `usr_${h}`, email },
      team: { id: `team_${shortHash(key.team)}`, name: key.team, credits: key.credits, plan: 'pro', customerId: `cus_${h}` },
      apiKey: { id: `key_${h}`, name: 'Default key', prefix: key.key.slice(0, 8) },
    });
  }

  // ----- /v2/uploads --------------------------------------------------------------------------------------------

  private async upload(req: http.IncomingMessage): Promise<Reply> {
    const boundary = boundaryOf(req.headers['content-type']);
    if (!boundary) {
      return json(400, { error: 'Expected multipart/form-data', details: { file: ['is required'] } });
    }
    let body: Buffer;
    try {
      body = await readBody(req, MAX_UPLOAD_BYTES + 64 * 1024);
    } catch (err) {
      if (err instanceof HttpError) {
        throw new HttpError(json(413, { error: 'File too large (max 25 MB)' }, { Connection: 'close' }));
      }
      throw err;
    }
    const part = parseMultipart(body, boundary).find((p) => p.name === 'file');
    if (!part || part.data.length === 0) return validationFailed({ file: ['is required'] });
    if (part.data.length > MAX_UPLOAD_BYTES) return json(413, { error: 'File too large (max 25 MB)' });
    const type = sniffImage(part.data);
    if (!type) return validationFailed({ file: ['must be a JPEG, PNG or WebP image'] });
    const id = randomUUID();
    const token = randomBytes(18).toString('base64url');
    const expiresAt = Date.now() + this.opts.uploadTtlMs;
    this.files.set(token, { kind: 'upload', id, expiresAt, contentType: type.contentType, data: Buffer.from(part.data) });
    this.counters.uploads++;
    return json(201, {
      id,
      url: `${this.url}/files/${token}.${type.ext}`,
      kind: 'image',
      contentType: type.contentType,
      byteSize: part.data.length,
      expiresAt: new Date(expiresAt).toISOString(),
    });
  }

  // ----- /files/<token>.<ext> ------------------------------------------------------------------------------------

  private async serveFile(path: string): Promise<Reply> {
    const notFound = json(404, { error: 'File not found or expired' });
    const match = /^\/files\/([A-Za-z0-9_-]+)(?:\.[a-z]+)?$/.exec(path);
    const entry = match ? this.files.get(match[1]) : undefined;
    const now = Date.now();
    if (!entry || entry.expiresAt <= now) return notFound;
    if (entry.kind === 'upload') {
      this.counters.imagesServed++;
      return { status: 200, body: entry.data, contentType: entry.contentType, headers: { 'Cache-Control': 'private, max-age=60' } };
    }
    const job = this.jobs.get(entry.jobId);
    if (!job || job.status !== 'COMPLETED' || now - job.endAt > this.opts.retentionMs) return notFound;
    let bytes: Buffer;
    try {
      bytes = await this.images.get(job.spec, true);
    } catch {
      return json(500, { error: 'Image encoding failed' });
    }
    this.counters.imagesServed++;
    return {
      status: 200,
      body: bytes,
      contentType: MIME_TYPES[job.spec.format],
      headers: { 'Cache-Control': 'private, max-age=600' },
    };
  }

  // ----- webhooks -----------------------------------------------------------------------------------------------

  private webhook(job: Job, event: 'progress' | 'completed' | 'failed'): void {
    const target = job.input.webhookUrl as string | undefined;
    if (!target || !job.webhookEvents.includes(event)) {
      if (target && event !== 'progress' && job.webhookStatus === 'pending') job.webhookStatus = null;
      return;
    }
    const now = Date.now();
    const payload: Record<string, unknown> = {
      event,
      jobId: job.id,
      status: job.status,
      progress: event === 'completed' ? 100 : job.progress,
      model: MODEL_ID,
      creditCost: job.creditCost,
      completedAt: job.completedAtMs !== undefined ? new Date(job.completedAtMs).toISOString() : null,
    };
    if (event === 'completed') payload.result = (this.serializeJob(job, now).result as unknown) ?? null;
    if (event === 'failed') payload.error = job.error;
    const body = Buffer.from(JSON.stringify(payload));
    const signingKey = createHash('sha256').update(job.apiKey).digest();
    const signature = createHmac('sha256', signingKey).update(body).digest('hex');
    const final = event !== 'progress';
    try {
      const url = new URL(target);
      const request = (url.protocol === 'https:' ? https : http).request(
        url,
        {
          method: 'POST',
          timeout: 5000,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': body.length,
            'User-Agent': 'Apiframe-Webhooks/2.0 (simulator)',
            'X-Webhook-Signature': `sha256=${signature}`,
            'X-Webhook-Event': event,
          },
        },
        (response) => {
          response.resume();
          this.counters.webhookDeliveries++;
          const ok = (response.statusCode ?? 500) < 300;
          if (final) job.webhookStatus = ok ? 'delivered' : 'failed';
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', () => {
        if (final) job.webhookStatus = 'failed';
      });
      request.end(body);
    } catch {
      if (final) job.webhookStatus = 'failed';
    }
  }

  // ----- control surface ----------------------------------------------------------------------------------------

  private async control(req: http.IncomingMessage, method: string, path: string): Promise<Reply> {
    if (!isLoopback(req.socket.remoteAddress)) return json(403, { error: 'Control endpoints are loopback-only' });
    const body = async (): Promise<unknown> => {
      const raw = (await readBody(req, MAX_JSON_BODY)).toString('utf8').trim();
      if (!raw) return undefined;
      try {
        return JSON.parse(raw);
      } catch {
        throw new HttpError(json(400, { error: 'Invalid JSON body' }));
      }
    };
    try {
      if (path === '/__sim/stats' && method === 'GET') return json(200, this.stats());
      if (path === '/__sim/health' && method === 'GET') return json(200, { ok: true, url: this.url });
      if (path === '/__sim/faults' && method === 'POST') {
        const value = await body();
        const rules = (Array.isArray(value) ? value : [value]) as FaultRule[];
        for (const rule of rules) this.injectFault(rule);
        return json(200, { ok: true, pendingFaults: this.faults.reduce((n, f) => n + f.remaining, 0) });
      }
      if (path === '/__sim/faults' && method === 'DELETE') {
        this.faults = [];
        this.mix = undefined;
        return json(200, { ok: true });
      }
      if (path === '/__sim/fault-mix' && method === 'POST') {
        this.setFaultMix(((await body()) ?? undefined) as FaultMix | undefined);
        return json(200, { ok: true });
      }
      if (path === '/__sim/config' && method === 'POST') {
        const value = await body();
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          return json(400, { error: 'Expected a JSON object' });
        }
        this.configure(value as Partial<SimulatorOptions>);
        return json(200, { ok: true });
      }
      if (path === '/__sim/reset' && method === 'POST') {
        this.reset();
        return json(200, { ok: true });
      }
      const completion = /^\/__sim\/jobs\/([^/]+)\/completion$/.exec(path);
      if (completion && method === 'GET') {
        return json(200, { completedAtMs: this.completionTime(completion[1]) ?? null });
      }
    } catch (err) {
      if (err instanceof HttpError) return err.reply;
      return json(400, { error: err instanceof Error ? err.message : String(err) });
    }
    return json(404, { error: 'Unknown control endpoint' });
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new SimulatorImpl(options);
  await sim.listen();
  return sim;
}

/** Signature check helper for tests and webhook receivers: key = raw SHA-256 digest of the API key. */
export function webhookSignature(apiKey: string, rawBody: Buffer | string): string {
  const signingKey = createHash('sha256').update(apiKey).digest();
  return `sha256=${createHmac('sha256', signingKey).update(rawBody).digest('hex')}`;
}
