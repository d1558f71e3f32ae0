// The Apiframe v2 client: one method per endpoint, typed errors, request timeouts, and a request
// hook for the log. The key is read from a provider on every call and only ever goes into the
// X-API-Key header of requests to the configured API host.
import type { Response } from 'node-fetch';
import { GenerationOptions, MODEL_ID } from '../shared/options';
import { BodyTooLargeError, JSON_BODY_CAP_BYTES, declaredLength, readCapped } from './bodyCaps';
import { ApiError, errorForStatus } from './errors';
import { RequestRecord, isRedirect, send, transportError } from './http';
import { Job, normalizeJob } from './job';
import { ImageResponse, openResultImage } from './resultImage';
import { buildGenerateBody } from './validation';

export type { RequestRecord } from './http';
export type { ImageResponse } from './resultImage';

export interface ClientOptions {
  baseUrl: string;
  /** Called for every request, so a changed key is picked up at once. */
  getApiKey: () => Promise<string | undefined>;
  /** Per-request timeout for API calls (default 30 s). */
  timeoutMs?: number;
  onRequest?: (record: RequestRecord) => void;
  /** Called with one log line when a result image link or redirect is refused (never its query string). */
  onRefusedUrl?: (explanation: string) => void;
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

/** What the job engine needs from the API; the benchmarks and tests can substitute a recorder. */
export interface ApiframeApi {
  submit(options: GenerationOptions, call: SubmitOptions): Promise<string>;
  getJob(id: string, call?: CallOptions): Promise<Job>;
  fetchImage(url: string, call?: CallOptions): Promise<ImageResponse>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

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

  /** Apiframe's public price list for images (no key is sent). */
  async imageModels(call: CallOptions = {}): Promise<unknown> {
    return this.requestJson('GET', '/v2/models?modality=image', { signal: call.signal, public: true });
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
   * Opens a result image as a capped stream (see resultImage.ts). Result URLs live on a CDN, so the key is not
   * sent with them. The caller owns the stream (and must consume or destroy it).
   */
  fetchImage(url: string, call: CallOptions = {}): Promise<ImageResponse> {
    return openResultImage(url, {
      apiBaseUrl: this.baseUrl,
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: call.signal,
      onRequest: this.options.onRequest,
      onRefusedUrl: this.options.onRefusedUrl,
    });
  }

  private async requestJson(
    method: string,
    path: string,
    init: { body?: string | Buffer; headers?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number; public?: boolean },
  ): Promise<unknown> {
    // A public endpoint (the price list) is asked without the key: it has no business knowing it.
    const key = init.public ? undefined : await this.options.getApiKey();
    if (!key && !init.public) throw new ApiError('invalidKey', 'No Apiframe API key is set.');
    const exchange = await send(`${this.baseUrl}${path}`, {
      method,
      headers: { Accept: 'application/json', ...init.headers, ...(key ? { 'X-API-Key': key } : {}) },
      body: init.body,
      signal: init.signal,
      timeoutMs: init.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      onRequest: this.options.onRequest,
    });
    const { response } = exchange;
    let bytes: Buffer;
    try {
      // Following a redirect would carry the key to wherever it points: refuse instead.
      if (isRedirect(response.status)) {
        throw new ApiError('server', 'Apiframe answered with a redirect, which Flux Studio does not follow with your key. Check fluxStudio.apiBaseUrl.', {
          status: response.status,
        });
      }
      bytes = await this.readJsonBody(response, init.signal);
    } catch (error) {
      exchange.abort();
      throw error;
    } finally {
      exchange.release();
    }
    let json: unknown;
    try {
      // Whatever the server echoes back, the key never travels further than this line.
      json = bytes.length > 0 ? redactKey(JSON.parse(bytes.toString('utf8')), key) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) throw errorForStatus(response.status, json, response.headers.get('retry-after'));
    if (json === undefined || json === null || typeof json !== 'object') {
      throw new ApiError('server', 'Apiframe sent a response we could not read. Try again in a moment.', { status: response.status });
    }
    return json;
  }

  /** The body, read under the request's timeout and cut off at JSON_BODY_CAP_BYTES. */
  private async readJsonBody(response: Response, signal?: AbortSignal): Promise<Buffer> {
    const tooLarge = () =>
      new ApiError('tooLarge', `Apiframe sent an answer larger than ${JSON_BODY_CAP_BYTES / (1024 * 1024)} MB, which Flux Studio does not read. Try again later; if it keeps happening, check fluxStudio.apiBaseUrl.`, {
        status: response.status,
        limitBytes: JSON_BODY_CAP_BYTES,
      });
    const declared = declaredLength(response.headers);
    if (declared !== undefined && declared > JSON_BODY_CAP_BYTES) throw tooLarge();
    try {
      const bytes = await readCapped(response.body, JSON_BODY_CAP_BYTES);
      // node-fetch 2 does not fail a body cut short before its Content-Length; check it ourselves.
      const encoded = response.headers.get('content-encoding') !== null;
      if (response.ok && !encoded && declared !== undefined && bytes.length < declared) throw new Error('truncated body');
      return bytes;
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw tooLarge();
      throw transportError(error, signal);
    }
  }
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
