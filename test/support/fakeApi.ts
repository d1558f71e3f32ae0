// An in-memory Apiframe for engine tests, timed by the fake clock. Faults are queued per operation.
import { Readable } from 'stream';
import type { ApiframeApi, CallOptions, ImageResponse, SubmitOptions } from '../../src/api/client';
import { ApiError } from '../../src/api/errors';
import type { Job } from '../../src/api/job';
import type { GenerationOptions } from '../../src/shared/options';
import type { Clock } from '../../src/jobs/clock';

type Operation = 'submit' | 'getJob' | 'fetchImage';
type ImageFault = 'truncate' | 'notImage' | 'expired';

interface FakeJob {
  id: string;
  createdAt: number;
  durationMs: number;
  failReason?: string;
  urlVersion: number;
  /** Apiframe deleted the result files: the job says `expired` and its URLs 404. */
  purged?: boolean;
}

export class FakeApi implements ApiframeApi {
  readonly jobs = new Map<string, FakeJob>();
  readonly byIdempotencyKey = new Map<string, string>();
  readonly calls: Record<Operation, number> = { submit: 0, getJob: 0, fetchImage: 0 };
  readonly submittedOptions: GenerationOptions[] = [];
  readonly callTimes: Array<{ op: Operation; at: number }> = [];
  private readonly faults: Array<{ op: Operation; fault: ApiError | ImageFault }> = [];
  durationMs = 15_000;
  progressModel: 'informative' | 'silent' = 'informative';
  nextFailure?: string;
  private counter = 0;

  constructor(private readonly clock: Clock, private readonly image: Buffer) {}

  fail(op: Operation, fault: ApiError | ImageFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ op, fault });
  }

  private takeFault(op: Operation): ApiError | ImageFault | undefined {
    const index = this.faults.findIndex((f) => f.op === op);
    return index < 0 ? undefined : this.faults.splice(index, 1)[0].fault;
  }

  private record(op: Operation): ApiError | ImageFault | undefined {
    this.calls[op]++;
    this.callTimes.push({ op, at: this.clock.now() });
    return this.takeFault(op);
  }

  async submit(options: GenerationOptions, call: SubmitOptions): Promise<string> {
    const fault = this.record('submit');
    if (fault instanceof ApiError) throw fault;
    this.submittedOptions.push(options);
    const existing = this.byIdempotencyKey.get(call.idempotencyKey);
    if (existing) return existing;
    const id = `00000000-0000-4000-8000-${String(++this.counter).padStart(12, '0')}`;
    this.jobs.set(id, { id, createdAt: this.clock.now(), durationMs: this.durationMs, failReason: this.nextFailure, urlVersion: 0 });
    this.nextFailure = undefined;
    this.byIdempotencyKey.set(call.idempotencyKey, id);
    return id;
  }

  async getJob(id: string, _call?: CallOptions): Promise<Job> {
    const fault = this.record('getJob');
    if (fault instanceof ApiError) throw fault;
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('notFound', 'unknown job');
    const elapsed = this.clock.now() - job.createdAt;
    if (elapsed < job.durationMs) {
      const progress = this.progressModel === 'silent' ? 0 : Math.floor((elapsed / job.durationMs) * 100);
      return { id, status: 'PROCESSING', progress, imageUrls: [], expired: false };
    }
    if (job.failReason) return { id, status: 'FAILED', progress: 100, imageUrls: [], error: job.failReason, creditCost: 0, expired: false };
    job.urlVersion++;
    return {
      id,
      status: 'COMPLETED',
      progress: 100,
      imageUrls: [`https://cdn.example/${id}/v${job.urlVersion}.png`],
      creditCost: 6,
      createdAt: job.createdAt,
      completedAt: job.createdAt + job.durationMs,
      expired: job.purged === true,
    };
  }

  /** A job made elsewhere (another machine), finished long ago: what "Import from account" lists. */
  addFinishedJob(id: string, purged = false): void {
    this.jobs.set(id, { id, createdAt: this.clock.now() - 60_000, durationMs: 15_000, urlVersion: 0, purged });
  }

  async fetchImage(url: string, _call?: CallOptions): Promise<ImageResponse> {
    const fault = this.record('fetchImage');
    if (fault instanceof ApiError) throw fault;
    if (fault === 'expired' || this.jobs.get(url.split('/')[3])?.purged) throw new ApiError('notFound', 'The image link has expired.');
    if (fault === 'notImage') {
      const html = Buffer.from('<html>gateway error</html>');
      return { body: Readable.from([html]), contentLength: html.length };
    }
    if (fault === 'truncate') {
      return { body: Readable.from([this.image.subarray(0, this.image.length >> 1)]), contentLength: this.image.length };
    }
    return { body: Readable.from([this.image]), contentLength: this.image.length };
  }
}
