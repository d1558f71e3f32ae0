// The job engine: submits a generation once (one idempotency key per user action, reused on every
// retry), persists the job the moment it is accepted, polls on the adaptive schedule, and stores
// the image before its URL expires. Unfinished jobs resume after a reload or crash.
import { randomUUID } from 'crypto';
import type { ApiframeApi } from '../api/client';
import { ApiError, isApiError } from '../api/errors';
import { Job, isFinished } from '../api/job';
import type { GalleryStore } from '../gallery/store';
import { GalleryEntry, PromptSource, isTerminal } from '../shared/entry';
import type { GenerationOptions } from '../shared/options';
import { validateOptions } from '../api/validation';
import { Clock, systemClock } from './clock';
import { StorageError, downloadImage, storageError } from './download';
import { BackoffPolicy, DEFAULT_BACKOFF, backoffDelay, isRetryable, withRetries } from './retry';
import { DEFAULT_SCHEDULE, DurationModel, Observation, PollSchedule, ScheduleConfig } from './schedule';

export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface EngineDeps {
  api: ApiframeApi;
  store: GalleryStore;
  durations: DurationModel;
  /** Persists the learned durations (called after each completed job). */
  saveDurations?: (samples: number[]) => void;
  clock?: Clock;
  schedule?: ScheduleConfig;
  backoff?: BackoffPolicy;
  log?: EngineLog;
}

export type EngineEvent =
  | { kind: 'completed'; entry: GalleryEntry }
  | { kind: 'failed'; entry: GalleryEntry }
  /** The engine stopped working on the entry and needs the user (key refused, no credits, bad option, offline). */
  | { kind: 'needsAttention'; entry: GalleryEntry; error: ApiError | StorageError };

interface ActiveJob {
  controller: AbortController;
  settled: Promise<void>;
}

export class JobEngine {
  private readonly active = new Map<string, ActiveJob>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private readonly clock: Clock;
  private readonly backoff: BackoffPolicy;
  private readonly schedule: ScheduleConfig;
  private readonly log: EngineLog;

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? systemClock;
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
    this.schedule = deps.schedule ?? DEFAULT_SCHEDULE;
    this.log = deps.log ?? { info: () => undefined, warn: () => undefined };
  }

  onEvent(listener: (event: EngineEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Records a new generation and starts it. Resolves once the entry is on disk (before the network),
   * so the user's prompt survives whatever happens next. Throws a ValidationError for bad options.
   */
  async start(options: GenerationOptions, source?: PromptSource): Promise<GalleryEntry> {
    const entry: GalleryEntry = {
      id: randomUUID(),
      options: validateOptions(options),
      state: 'submitting',
      progress: 0,
      createdAt: this.clock.now(),
      source,
    };
    await this.deps.store.put(entry);
    this.track(entry.id, false);
    return entry;
  }

  /** Resumes every unfinished entry: after activation, a reload, or a crash. */
  resumeAll(): void {
    for (const entry of this.deps.store.list()) {
      if (!isTerminal(entry.state) && !this.active.has(entry.id)) this.track(entry.id, true);
    }
  }

  /** Stops waiting locally. The server job goes on; `collect` picks it up again. */
  async cancel(id: string): Promise<void> {
    const job = this.active.get(id);
    if (!job) return;
    job.controller.abort();
    await job.settled;
    await this.deps.store.update(id, { detached: true });
  }

  /** Starts waiting again for an unfinished entry, or retries a submit that never reached the server. */
  collect(id: string): void {
    const entry = this.deps.store.get(id);
    if (!entry || this.active.has(id)) return;
    const unsent = entry.state === 'failed' && !entry.jobId;
    if (!isTerminal(entry.state) || unsent) this.track(id, true);
  }

  isActive(id: string): boolean {
    return this.active.has(id);
  }

  activeCount(): number {
    return this.active.size;
  }

  /** Resolves when the engine stops working on the entry (finished, paused or cancelled). */
  async whenSettled(id: string): Promise<GalleryEntry | undefined> {
    await this.active.get(id)?.settled;
    return this.deps.store.get(id);
  }

  dispose(): void {
    for (const job of this.active.values()) job.controller.abort();
    this.listeners.clear();
  }

  private track(id: string, resumed: boolean): void {
    const controller = new AbortController();
    const settled = this.run(id, resumed, controller.signal)
      .catch((error) => this.log.warn(`job ${id}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.active.delete(id));
    this.active.set(id, { controller, settled });
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async run(id: string, resumed: boolean, signal: AbortSignal): Promise<void> {
    let entry = this.deps.store.get(id);
    if (!entry) return;
    if (entry.detached || entry.error) entry = await this.deps.store.update(id, { detached: false, error: undefined, state: entry.jobId ? entry.state : 'submitting' });
    try {
      if (!entry!.jobId) {
        entry = await this.submit(entry!, signal);
        resumed = false;
      }
      const job = await this.pollUntilFinished(entry!, resumed, signal);
      if (job.status === 'COMPLETED') await this.storeResult(id, job, signal);
      else await this.finishFailed(id, job);
    } catch (error) {
      if (signal.aborted) return;
      await this.handleError(id, error);
    }
  }

  private async submit(entry: GalleryEntry, signal: AbortSignal): Promise<GalleryEntry> {
    const jobId = await withRetries(() => this.deps.api.submit(entry.options, { idempotencyKey: entry.id, signal }), {
      clock: this.clock,
      policy: this.backoff,
      signal,
      onRetry: (error, delay) => this.log.warn(`submit ${entry.id}: ${describe(error)}; retrying in ${Math.round(delay)} ms`),
    });
    // Persist before anything else: from here on the job is paid for and must never be lost.
    const accepted = await this.deps.store.update(entry.id, { jobId, state: 'queued', acceptedAt: this.clock.now() });
    this.log.info(`job ${jobId} accepted`);
    return accepted!;
  }

  private async pollUntilFinished(entry: GalleryEntry, pollNow: boolean, signal: AbortSignal): Promise<Job> {
    const schedule = new PollSchedule(this.deps.durations, this.schedule);
    const acceptedAt = entry.acceptedAt ?? entry.createdAt;
    const observations: Observation[] = [];
    let failures = 0;
    let delay = pollNow ? 0 : schedule.nextDelay(this.clock.now() - acceptedAt, observations);
    for (;;) {
      await this.clock.sleep(delay, signal);
      let job: Job;
      try {
        job = await this.deps.api.getJob(entry.jobId!, { signal });
        failures = 0;
      } catch (error) {
        if (!isRetryable(error) || signal.aborted) throw error;
        // A paid job is never given up on for a transient error; the capped backoff bounds requests.
        failures++;
        delay = backoffDelay(Math.min(failures, this.backoff.maxAttempts), this.backoff, error);
        this.log.warn(`poll ${entry.jobId}: ${describe(error)}; retrying in ${Math.round(delay)} ms`);
        continue;
      }
      if (isFinished(job.status)) return job;
      if (job.status === 'UNKNOWN') this.log.warn(`poll ${entry.jobId}: unexpected status, still waiting`);
      const elapsed = this.clock.now() - acceptedAt;
      if (job.status === 'PROCESSING') observations.push({ elapsedMs: elapsed, progress: job.progress });
      this.updateProgress(entry.id, job);
      delay = schedule.nextDelay(elapsed, observations);
    }
  }

  private updateProgress(id: string, job: Job): void {
    const current = this.deps.store.get(id);
    if (!current) return;
    const state = job.status === 'PROCESSING' ? 'processing' : current.state;
    if (state !== current.state) void this.deps.store.update(id, { state, progress: job.progress });
    else if (job.progress !== current.progress) this.deps.store.updateTransient(id, { progress: job.progress });
  }

  private async storeResult(id: string, job: Job, signal: AbortSignal): Promise<void> {
    await this.deps.store.update(id, { state: 'downloading', progress: 100 });
    let current = job;
    for (let attempt = 1; ; attempt++) {
      const url = current.imageUrls[0];
      if (!url) {
        // A COMPLETED job without a usable URL is odd; ask again rather than give up on a paid image.
        if (attempt >= this.backoff.maxAttempts) throw new ApiError('server', 'Apiframe finished the job but sent no image link.');
        await this.clock.sleep(backoffDelay(attempt, this.backoff), signal);
        current = await this.deps.api.getJob(job.id, { signal });
        continue;
      }
      try {
        const image = await downloadImage(this.deps.api, url, this.deps.store.imagesDir, id, signal);
        const entry = await this.deps.store.update(id, {
          state: 'completed',
          imageFile: image.fileName,
          width: image.width,
          height: image.height,
          byteSize: image.byteSize,
          creditCost: current.creditCost,
          completedAt: this.clock.now(),
        });
        this.learnDuration(entry!, current);
        this.log.info(`job ${job.id} stored (${image.byteSize} bytes)`);
        this.emit({ kind: 'completed', entry: entry! });
        return;
      } catch (error) {
        if (signal.aborted || attempt >= this.backoff.maxAttempts) throw error;
        if (isApiError(error) && error.kind === 'notFound') {
          // The URL expired: the job itself hands out a fresh one unless the files were purged.
          current = await withRetries(() => this.deps.api.getJob(job.id, { signal }), { clock: this.clock, policy: this.backoff, signal });
          if (current.expired) return this.markFailed(id, 'Apiframe had already deleted this image before it could be saved.', current.creditCost);
        } else if (!isRetryable(error)) {
          throw error;
        }
        this.log.warn(`download ${job.id}: ${describe(error)}; attempt ${attempt + 1}`);
        await this.clock.sleep(backoffDelay(attempt, this.backoff, error), signal);
      }
    }
  }

  private learnDuration(entry: GalleryEntry, job: Job): void {
    const serverDuration = job.createdAt !== undefined && job.completedAt !== undefined ? job.completedAt - job.createdAt : undefined;
    const duration = serverDuration && serverDuration > 0 ? serverDuration : (entry.completedAt ?? 0) - (entry.acceptedAt ?? entry.createdAt);
    this.deps.durations.add(duration);
    this.deps.saveDurations?.(this.deps.durations.toJSON());
  }

  private finishFailed(id: string, job: Job): Promise<void> {
    const reason = job.status === 'CANCELLED' ? 'The job was cancelled on the server.' : job.error ?? 'Apiframe could not generate this image.';
    return this.markFailed(id, reason, job.creditCost ?? 0);
  }

  /** A final answer from the server: the job will never produce an image. */
  private async markFailed(id: string, reason: string, creditCost?: number): Promise<void> {
    const entry = await this.deps.store.update(id, { state: 'failed', error: reason, creditCost, completedAt: this.clock.now() });
    this.emit({ kind: 'failed', entry: entry! });
  }

  /**
   * Anything else that stops the engine. A job the server accepted is paid for, so it is never
   * failed here, only paused with the reason visible until the user retries (after fixing the key,
   * freeing disk space, coming back online…). A submit that never got a job id fails with its reason.
   */
  private async handleError(id: string, error: unknown): Promise<void> {
    const apiError = isApiError(error)
      ? error
      : storageError(error) ?? new ApiError('server', 'Something unexpected went wrong while generating.');
    const entry = this.deps.store.get(id);
    if (!entry) return;
    const patch: Partial<GalleryEntry> = entry.jobId
      ? { error: apiError.message, detached: true }
      : { state: 'failed', error: apiError.message, completedAt: this.clock.now() };
    let updated: GalleryEntry | undefined;
    try {
      updated = await this.deps.store.update(id, patch);
    } catch {
      // The index cannot be written either (disk full): still tell the user, from memory.
      updated = this.deps.store.updateTransient(id, patch);
    }
    this.emit({ kind: 'needsAttention', entry: updated!, error: apiError });
  }
}

function describe(error: unknown): string {
  return isApiError(error) ? `${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}` : 'unexpected error';
}
