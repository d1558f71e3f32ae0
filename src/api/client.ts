// The Apiframe v2 client: one method per endpoint, typed errors, request timeouts, and a request
// hook for the log. The key is read from a provider on every call and only ever goes into the
// X-API-Key header of requests to the configured API host.
import type { Response } from 'node-fetch';
import { PassThrough, Readable, pipeline } from 'stream';
import { GenerationOptions, MODEL_ID } from '../shared/options';
import { ApiError, parseRetryAfter } from './errors';
import { Job, normalizeJob } from './job';
import { buildGenerateBody } from './validation';

export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  status: number | 'error';
  durationMs: number;
}

export interface ClientOptions {
  baseUrl: string;
  /** Called for every request, so a changed key is picked up at once. */
  getApiKey: () => Promise<string | undefined>;
  /** Per-request timeout for API calls (default 30 s). */
  timeoutMs?: number;
  onRequest?: (record: RequestRecord) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface SubmitOptions extends CallOptions {
  idempotencyKey: string;
}

export interface Account {
  userLabel?: string;
  teamName?: string;
  credits?: number;
  plan?: string;
  keyName?: string;
}

export interface JobPage {
  jobs: Job[];
  hasMore: boolean;
  nextCursor?: string;
}

export interface UploadedFile {
  url: string;
  expiresAt?: number;
}

export interface ImageResponse {
  body: NodeJS.ReadableStream;
  contentLength?: number;
  contentType?: string;
}

/** What the job engine needs from the API; the benchmarks and tests can substitute a recorder. */
export interface ApiframeApi {
  submit(options: GenerationOptions, call: SubmitOptions): Promise<string>;
  getJob(id: string, call?: CallOptions): Promise<Job>;
  fetchImage(url: string, call?: CallOptions): Promise<ImageResponse>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** A whole result image (about 4 MP) must arrive within this. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

export class ApiframeClient implements ApiframeApi {
  private readonly baseUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** Starts a generation; returns the job id. Validates every option first. */
  async submit(options: GenerationOptions, call: SubmitOptions): Promise<string> {
    const body = buildGenerateBody(options);
    const json = await this.requestJson('POST', '/v2/images/generate', {
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': call.idempotencyKey },
      signal: call.signal,
    });
    const jobId = (json as { jobId?: unknown; id?: unknown }).jobId ?? (json as { id?: unknown }).id;
    if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > 200 || !isAddressable(jobId)) {
      throw new ApiError('server', 'Apiframe accepted the request but sent no usable job id. Try again in a moment.');
    }
    return jobId;
  }

  private jobPath(id: string): string {
    if (!isAddressable(id)) throw new ApiError('notFound', 'Apiframe sent a job id that cannot be looked up.');
    return `/v2/jobs/${encodeURIComponent(id)}`;
  }

  async getJob(id: string, call: CallOptions = {}): Promise<Job> {
    const json = await this.requestJson('GET', this.jobPath(id), { signal: call.signal });
    const job = normalizeJob(json, id);
    if (!job) throw new ApiError('server', 'Apiframe sent a job status we could not read. Retrying.');
    return job;
  }

  async listJobs(query: { cursor?: string; limit?: number; status?: string } = {}, call: CallOptions = {}): Promise<JobPage> {
    const params = new URLSearchParams({ model: MODEL_ID, limit: String(query.limit ?? 50) });
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.status) params.set('status', query.status);
    const json = (await this.requestJson('GET', `/v2/jobs?${params}`, { signal: call.signal })) as Record<string, unknown>;
    const jobs = Array.isArray(json.jobs) ? json.jobs.map((raw) => normalizeJob(raw)).filter((job): job is Job => !!job) : [];
    const nextCursor = typeof json.nextCursor === 'string' ? json.nextCursor : typeof json.cursor === 'string' ? json.cursor : undefined;
    return { jobs, hasMore: json.hasMore === true && !!nextCursor, nextCursor };
  }

  /** Checks the key and reads the credit balance. */
  async me(call: CallOptions = {}): Promise<Account> {
    const json = (await this.requestJson('GET', '/v2/me', { signal: call.signal })) as Record<string, any>;
    const user = json.user ?? {};
    const team = json.team ?? {};
    const credits = typeof team.credits === 'number' ? team.credits : undefined;
    return {
      userLabel: typeof user.email === 'string' ? user.email : typeof user.name === 'string' ? user.name : undefined,
      teamName: typeof team.name === 'string' ? team.name : undefined,
      credits,
      plan: typeof team.plan === 'string' ? team.plan : undefined,
      keyName: typeof json.apiKey?.name === 'string' ? json.apiKey.name : undefined,
    };
  }

  /** Uploads a local reference image; the returned URL expires after 1–2 hours. */
  async upload(data: Uint8Array, fileName: string, contentType: string, call: CallOptions = {}): Promise<UploadedFile> {
    const boundary = `----flux-studio-${Math.random().toString(16).slice(2)}${Date.now()}`;
    const safeName = fileName.replace(/["\r\n\\]/g, '_');
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const json = (await this.requestJson('POST', '/v2/uploads', {
      body: Buffer.concat([head, data, tail]),
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      signal: call.signal,
      timeoutMs: 120_000,
    })) as Record<string, unknown>;
    if (typeof json.url !== 'string' || !/^https?:\/\//.test(json.url)) {
      throw new ApiError('server', 'Apiframe did not return a URL for the uploaded image. Try again.');
    }
    const expiresAt = typeof json.expiresAt === 'string' ? Date.parse(json.expiresAt) : undefined;
    return { url: json.url, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
  }

  /**
   * Opens a result image as a stream. Result URLs live on a CDN, so the key is not sent with them.
   * The caller owns the stream (and must consume or destroy it).
   */
  async fetchImage(url: string, call: CallOptions = {}): Promise<ImageResponse> {
    // The headers get the usual timeout; then the whole download is bounded, and so is each silence
    // inside it: node-fetch 2 neither ends nor fails a body whose connection dropped before
    // Content-Length, so a stall must be caught here.
    const { response, release } = await this.send(url, 'GET', { signal: call.signal, withKey: false });
    release();
    const source = response.body as Readable;
    const stop = (reason: string) => () => source.destroy(new Error(reason));
    const idle = setTimeout(stop('download stalled'), this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const total = setTimeout(stop('download too slow'), DOWNLOAD_TIMEOUT_MS);
    // A pass-through that notices every chunk (listening to 'data' on the body itself would start
    // the flow before the caller is ready to consume it).
    const watched = new PassThrough({
      transform(chunk, _encoding, callback) {
        idle.refresh();
        callback(null, chunk);
      },
    });
    pipeline(source, watched, () => {
      clearTimeout(idle);
      clearTimeout(total);
    });
    if (!response.ok) {
      watched.resume();
      if (response.status === 404 || response.status === 403 || response.status === 410) {
        throw new ApiError('notFound', 'The image link has expired.', { status: response.status });
      }
      throw this.errorFor(response.status, undefined, response.headers.get('retry-after'));
    }
    const length = Number(response.headers.get('content-length'));
    return {
      body: watched,
      contentLength: Number.isFinite(length) && length > 0 ? length : undefined,
      contentType: response.headers.get('content-type') ?? undefined,
    };
  }

  private async requestJson(
    method: string,
    path: string,
    init: { body?: string | Buffer; headers?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<unknown> {
    const { response, release, key } = await this.send(`${this.baseUrl}${path}`, method, { ...init, withKey: true });
    if (response.status >= 300 && response.status < 400) {
      // Following a redirect would carry the key to wherever it points: refuse instead.
      release();
      throw new ApiError('server', 'Apiframe answered with a redirect, which Flux Studio does not follow with your key. Check fluxStudio.apiBaseUrl.', {
        status: response.status,
      });
    }
    let text: string;
    try {
      // The timeout covers the body too: a stalled or cut-off body must not hang the caller.
      text = await response.text();
      if (response.ok && !bodyComplete(response, text)) throw new Error('truncated body');
    } catch (error) {
      throw this.transportError(error, init.signal);
    } finally {
      release();
    }
    let json: unknown;
    try {
      // Whatever the server echoes back, the key never travels further than this line.
      json = text.length > 0 ? redactKey(JSON.parse(text), key) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) throw this.errorFor(response.status, json, response.headers.get('retry-after'));
    if (json === undefined || json === null || typeof json !== 'object') {
      throw new ApiError('server', 'Apiframe sent a response we could not read. Try again in a moment.', { status: response.status });
    }
    return json;
  }

  /**
   * Sends a request under a timeout that lasts until `release` is called (after the body is read),
   * so neither a slow server nor a stalled body can hang the caller.
   */
  private async send(
    url: string,
    method: string,
    init: { body?: string | Buffer; headers?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number; withKey: boolean },
  ): Promise<{ response: Response; release: () => void; key?: string }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
    let key: string | undefined;
    if (init.withKey) {
      key = await this.options.getApiKey();
      if (!key) throw new ApiError('invalidKey', 'No Apiframe API key is set.');
      headers['X-API-Key'] = key;
    }
    const timeoutMs = init.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    init.signal?.addEventListener('abort', onAbort);
    if (init.signal?.aborted) controller.abort();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const release = () => {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
    };
    const started = Date.now();
    const logPath = new URL(url).pathname;
    try {
      // Loaded on the first request, not at activation: it pulls in http, https and zlib.
      const { default: fetch } = await import('node-fetch');
      const response = await fetch(url, {
        method,
        headers,
        body: init.body,
        signal: controller.signal as any,
        redirect: init.withKey ? 'manual' : 'follow',
      });
      this.options.onRequest?.({ method, path: logPath, status: response.status, durationMs: Date.now() - started });
      return { response, release, key };
    } catch (error) {
      release();
      this.options.onRequest?.({ method, path: logPath, status: 'error', durationMs: Date.now() - started });
      if (timedOut) throw new ApiError('timeout', 'Apiframe did not answer in time. Check your connection and try again.');
      throw this.transportError(error, init.signal);
    }
  }

  private transportError(error: unknown, signal?: AbortSignal): ApiError {
    if (signal?.aborted) return new ApiError('cancelled', 'Cancelled.');
    if ((error as { name?: string }).name === 'AbortError') {
      return new ApiError('timeout', 'Apiframe did not answer in time. Check your connection and try again.');
    }
    return new ApiError('network', 'Could not reach Apiframe. Check your connection (or the fluxStudio.apiBaseUrl setting) and try again.');
  }

  private errorFor(status: number, json: unknown, retryAfter: string | null): ApiError {
    const body = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
    switch (status) {
      case 401:
        return new ApiError('invalidKey', 'Apiframe refused the API key. Set a valid key with "Flux: Set API Key".', { status });
      case 403:
        return new ApiError('inactiveKey', 'Apiframe says this API key is inactive. Activate it in your Apiframe dashboard or set another key.', { status });
      case 402: {
        const creditsRequired = typeof body.creditsRequired === 'number' ? body.creditsRequired : undefined;
        const creditsAvailable = typeof body.creditsAvailable === 'number' ? body.creditsAvailable : undefined;
        const amounts = creditsRequired !== undefined && creditsAvailable !== undefined
          ? ` This image needs ${creditsRequired} credits; you have ${creditsAvailable}.`
          : '';
        return new ApiError('insufficientCredits', `Not enough Apiframe credits.${amounts} Top up your account and try again.`, {
          status,
          creditsRequired,
          creditsAvailable,
        });
      }
      case 400: {
        const { field, problem } = firstValidationDetail(body.details);
        const message = field
          ? `Apiframe refused the parameter "${field}": ${problem ?? 'invalid value'}.`
          : 'Apiframe refused the request parameters. Check the Flux Studio settings.';
        return new ApiError('invalidParameters', message, { status, field });
      }
      case 404:
        return new ApiError('notFound', 'Apiframe does not know this job (it may belong to another key).', { status });
      case 429: {
        const retryAfterMs = parseRetryAfter(retryAfter);
        const wait = retryAfterMs !== undefined ? ` Retrying in ${Math.ceil(retryAfterMs / 1000)} s.` : '';
        return new ApiError('rateLimited', `Apiframe is rate limiting requests.${wait}`, { status, retryAfterMs });
      }
      default:
        return new ApiError('server', `Apiframe had a problem (HTTP ${status}). Try again later.`, {
          status,
          retryAfterMs: parseRetryAfter(retryAfter),
        });
    }
  }
}

/** The first field the server refused. Server text is untrusted: kept short and printable. */
function firstValidationDetail(details: unknown): { field?: string; problem?: string } {
  if (!details || typeof details !== 'object') return {};
  for (const [field, problems] of Object.entries(details as Record<string, unknown>)) {
    const problem = Array.isArray(problems) && typeof problems[0] === 'string' ? problems[0] : undefined;
    return {
      field: field.replace(/[^\w.\[\]-]/g, '').slice(0, 80),
      problem: problem === undefined ? undefined : problem.replace(/[\u0000-\u001f]/g, ' ').slice(0, 200),
    };
  }
  return {};
}

/** "." and ".." can never be one path segment of a URL: every URL parser resolves them (even as %2E). */
function isAddressable(jobId: string): boolean {
  return jobId !== '.' && jobId !== '..';
}

/** A copy of a parsed JSON value with every occurrence of the key in its strings (and keys) replaced. */
export function redactKey(value: unknown, key: string | undefined): unknown {
  if (!key) return value;
  if (typeof value === 'string') return value.split(key).join('[redacted]');
  if (Array.isArray(value)) return value.map((item) => redactKey(item, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [redactKey(name, key) as string, redactKey(item, key)]));
  }
  return value;
}

/** node-fetch 2 does not fail a body cut short before its Content-Length; check it ourselves. */
function bodyComplete(response: Response, text: string): boolean {
  const declared = Number(response.headers.get('content-length'));
  return !Number.isFinite(declared) || declared <= 0 || Buffer.byteLength(text) >= declared || response.headers.get('content-encoding') !== null;
}
