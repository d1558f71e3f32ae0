// One job, worked on by the window that holds its lease: submit once (the entry id is the
// idempotency key of every retry), persist the job id the moment it is accepted, poll on the
// adaptive schedule, and store the image before its URL expires. Every state write is conditional on
// the entry still running, so a pause or removal from another window is never overwritten.
import type { ApiframeApi } from '../api/client';
import { ApiError, isApiError } from '../api/errors';
import { Job, isFinished } from '../api/job';
import type { GalleryStore } from '../gallery/store';
import type { Log } from '../shared/log';
import { EntryReason, GalleryEntry, REASON_KINDS, REASON_TEXT_MAX_LENGTH, isRunning, reasonFromError } from '../shared/entry';
import type { Clock } from './clock';
import { downloadImage } from './download';
import { embedRecord, type MetadataEmbedding } from './embedRecord';
import { BackoffPolicy, backoffDelay, isRetryable, withRetries } from './retry';
import { DurationModel, Observation, PollSchedule, ScheduleConfig } from './schedule';

/** The engine logs where the store does (one log interface for the core). */
export type EngineEvent =
  /** Entries with `imported: true` belong to an import batch: the importer reports them as one summary. */
  | { kind: 'completed'; entry: GalleryEntry }
  | { kind: 'failed'; entry: GalleryEntry }
  /** The engine paused the entry and needs the user (key refused, no credits, disk full, offline…); `entry.reason` says why. */
  | { kind: 'needsAttention'; entry: GalleryEntry };

export interface RunContext {
  api: ApiframeApi;
  store: GalleryStore;
  durations: DurationModel;
  saveDurations?: (samples: number[]) => void;
  clock: Clock;
  schedule: ScheduleConfig;
  backoff: BackoffPolicy;
  log: Log;
  /** Writes the generation record into each stored image; absent: stored as downloaded. */
  metadata?: MetadataEmbedding;
  /**
   * Job ids the server gave that could not be written to disk (disk full), by entry id: kept for the
   * life of the window so that Resume polls that job instead of submitting again.
   */
  unsavedJobIds: Map<string, AcceptedJob>;
  emit(event: EngineEvent): void;
}

export interface AcceptedJob {
  jobId: string;
  acceptedAt: number;
}

/** The entry was paused or removed by someone else (another window, the user): stop without writing. */
class StoppedElsewhere extends Error {}

export async function runJob(ctx: RunContext, id: string, pollNow: boolean, signal: AbortSignal): Promise<void> {
  let entry = ctx.store.get(id);
  if (!entry || !isRunning(entry.state)) return;
  try {
    const unsaved = ctx.unsavedJobIds.get(id);
    if (!entry.jobId && unsaved) {
      entry = await recordJobId(ctx, id, unsaved);
    } else if (!entry.jobId) {
      entry = await submit(ctx, entry, signal);
      pollNow = false;
    }
    const job = await pollUntilFinished(ctx, entry, pollNow, signal);
    if (job.status === 'COMPLETED') await storeResult(ctx, id, job, signal);
    else if (job.status === 'CANCELLED') await markFailed(ctx, id, { kind: REASON_KINDS.jobCancelled }, job.creditCost ?? 0);
    else await markFailed(ctx, id, serverFailure(job), job.creditCost ?? 0);
  } catch (error) {
    if (signal.aborted || error instanceof StoppedElsewhere) return;
    await pause(ctx, id, error);
  }
}

function serverFailure(job: Job): EntryReason {
  return job.error ? { kind: REASON_KINDS.jobFailed, params: { message: job.error.slice(0, REASON_TEXT_MAX_LENGTH) } } : { kind: REASON_KINDS.jobFailed };
}

/** Writes `patch` only while the entry is still running; anything else means someone stopped it. */
async function advance(ctx: RunContext, id: string, patch: Partial<GalleryEntry>): Promise<GalleryEntry> {
  let applied = false;
  const entry = await ctx.store.update(id, (current) => {
    applied = isRunning(current.state);
    return applied ? patch : undefined;
  });
  if (!entry || !applied) throw new StoppedElsewhere();
  return entry;
}

/**
 * Sends the submit. The request in flight is never aborted (Cancel, pause, another window): once sent it
 * may have created a paid job, so it completes and its job id is recorded; the signal only stops
 * further attempts between retries.
 */
async function submit(ctx: RunContext, entry: GalleryEntry, signal: AbortSignal): Promise<GalleryEntry> {
  const jobId = await withRetries(() => ctx.api.submit(entry.options, { idempotencyKey: entry.id }), {
    clock: ctx.clock,
    policy: ctx.backoff,
    signal,
    onRetry: (error, delay) => ctx.log.warn(`submit ${entry.id}: ${describe(error)}; retrying in ${Math.round(delay)} ms`),
  });
  // Logged before anything else: from here on the job is paid for, and the log outlives a full disk.
  ctx.log.info(`job ${jobId} accepted for entry ${entry.id}`);
  return recordJobId(ctx, entry.id, { jobId, acceptedAt: ctx.clock.now() });
}

/**
 * Writes the job id whatever the entry's state (a pause from another window keeps its state and gains
 * the job id, so Resume polls instead of paying again). When the write fails the id stays in memory.
 * Throws StoppedElsewhere when the entry is no longer running.
 */
async function recordJobId(ctx: RunContext, id: string, accepted: AcceptedJob): Promise<GalleryEntry> {
  let entry: GalleryEntry | undefined;
  try {
    entry = await ctx.store.update(id, (current) => (current.jobId ? undefined : { ...accepted, ...(isRunning(current.state) ? { state: 'queued' as const } : {}) }));
  } catch (error) {
    ctx.unsavedJobIds.set(id, accepted);
    ctx.store.updateTransient(id, accepted);
    ctx.log.warn(`job ${accepted.jobId} of entry ${id} is kept in memory only: ${describe(error)}`);
    throw error;
  }
  ctx.unsavedJobIds.delete(id);
  if (!entry || !isRunning(entry.state)) throw new StoppedElsewhere();
  return entry;
}

async function pollUntilFinished(ctx: RunContext, entry: GalleryEntry, pollNow: boolean, signal: AbortSignal): Promise<Job> {
  const schedule = new PollSchedule(ctx.durations, ctx.schedule);
  const acceptedAt = entry.acceptedAt ?? entry.createdAt;
  const observations: Observation[] = [];
  let failures = 0;
  let delay = pollNow ? 0 : schedule.nextDelay(ctx.clock.now() - acceptedAt, observations);
  for (;;) {
    await ctx.clock.sleep(delay, signal);
    let job: Job;
    try {
      job = await ctx.api.getJob(entry.jobId!, { signal });
      failures = 0;
    } catch (error) {
      if (!isRetryable(error) || signal.aborted) throw error;
      // A paid job is never given up on for a transient error; the capped backoff bounds requests.
      failures++;
      delay = backoffDelay(Math.min(failures, ctx.backoff.maxAttempts), ctx.backoff, error);
      ctx.log.warn(`poll ${entry.jobId}: ${describe(error)}; retrying in ${Math.round(delay)} ms`);
      continue;
    }
    if (isFinished(job.status)) return job;
    if (job.status === 'UNKNOWN') ctx.log.warn(`poll ${entry.jobId}: unexpected status, still waiting`);
    const elapsed = ctx.clock.now() - acceptedAt;
    if (job.status === 'PROCESSING') observations.push({ elapsedMs: elapsed, progress: job.progress });
    await updateProgress(ctx, entry.id, job);
    delay = schedule.nextDelay(elapsed, observations);
  }
}

async function updateProgress(ctx: RunContext, id: string, job: Job): Promise<void> {
  const current = ctx.store.get(id);
  if (!current) throw new StoppedElsewhere();
  const state = job.status === 'PROCESSING' ? 'processing' : current.state;
  if (state !== current.state) await advance(ctx, id, { state, progress: job.progress });
  else if (job.progress !== current.progress) ctx.store.updateTransient(id, { progress: job.progress });
}

async function storeResult(ctx: RunContext, id: string, job: Job, signal: AbortSignal): Promise<void> {
  await advance(ctx, id, { state: 'downloading', progress: 100 });
  let current = job;
  for (let attempt = 1; ; attempt++) {
    const url = current.imageUrls[0];
    if (!url) {
      // A COMPLETED job without a usable URL is odd; ask again rather than give up on a paid image.
      if (attempt >= ctx.backoff.maxAttempts) throw new ApiError('server', 'Apiframe finished the job but sent no image link.');
      await ctx.clock.sleep(backoffDelay(attempt, ctx.backoff), signal);
      current = await ctx.api.getJob(job.id, { signal });
      continue;
    }
    try {
      const image = await downloadImage(ctx.api, url, ctx.store.imagesDir, id, signal);
      const completedAt = ctx.clock.now();
      const byteSize = (await embedRecord(ctx, id, job.id, image.fileName, completedAt)) ?? image.byteSize;
      await completeWith(ctx, id, current, {
        state: 'completed',
        imageFile: image.fileName,
        width: image.width,
        height: image.height,
        byteSize,
        creditCost: current.creditCost,
        completedAt,
      });
      ctx.log.info(`job ${job.id} stored (${image.byteSize} bytes)`);
      return;
    } catch (error) {
      if (signal.aborted || error instanceof StoppedElsewhere || attempt >= ctx.backoff.maxAttempts) throw error;
      if (isApiError(error) && error.kind === 'notFound') {
        // The URL expired: the job itself hands out a fresh one unless the files were purged.
        current = await withRetries(() => ctx.api.getJob(job.id, { signal }), { clock: ctx.clock, policy: ctx.backoff, signal });
        if (current.expired) return markFailed(ctx, id, { kind: REASON_KINDS.imageExpired }, current.creditCost);
      } else if (!isRetryable(error)) {
        throw error;
      }
      ctx.log.warn(`download ${job.id}: ${describe(error)}; attempt ${attempt + 1}`);
      await ctx.clock.sleep(backoffDelay(attempt, ctx.backoff, error), signal);
    }
  }
}

/**
 * Records the stored image. The image arrived, so it wins over a pause from another window; but an
 * entry removed meanwhile stays removed, and its image file goes too.
 */
async function completeWith(ctx: RunContext, id: string, job: Job, patch: Partial<GalleryEntry>): Promise<void> {
  const entry = await ctx.store.update(id, (current) => (current.state === 'completed' || current.state === 'failed' ? undefined : patch));
  if (!entry) {
    await ctx.store.removeImageFile(patch.imageFile!);
    throw new StoppedElsewhere();
  }
  if (entry.state !== 'completed') throw new StoppedElsewhere();
  learnDuration(ctx, entry, job);
  ctx.emit({ kind: 'completed', entry });
}

function learnDuration(ctx: RunContext, entry: GalleryEntry, job: Job): void {
  const serverDuration = job.createdAt !== undefined && job.completedAt !== undefined ? job.completedAt - job.createdAt : undefined;
  const duration = serverDuration && serverDuration > 0 ? serverDuration : (entry.completedAt ?? 0) - (entry.acceptedAt ?? entry.createdAt);
  ctx.durations.add(duration);
  ctx.saveDurations?.(ctx.durations.toJSON());
}

/** A final answer from the server: the job will never produce an image. */
async function markFailed(ctx: RunContext, id: string, reason: EntryReason, creditCost?: number): Promise<void> {
  const entry = await advance(ctx, id, { state: 'failed', reason, creditCost, completedAt: ctx.clock.now() });
  ctx.emit({ kind: 'failed', entry });
}

/**
 * Anything else that stops the work. A job the server accepted is paid for, so it is never failed
 * here, only paused with its reason until the user retries (after fixing the key, freeing disk space,
 * coming back online…). So is a submit that may have reached the server; only a request refused as
 * invalid fails, since sending it again cannot help.
 */
async function pause(ctx: RunContext, id: string, error: unknown): Promise<void> {
  if (!isApiError(error) && !(error as { code?: unknown })?.code) ctx.log.warn(`job ${id}: unexpected error: ${describe(error)}`);
  const reason = reasonFromError(error);
  const entry = ctx.store.get(id);
  if (!entry) return;
  const refused = !entry.jobId && isApiError(error) && error.kind === 'invalidParameters';
  // A job id the disk refused a moment ago rides along: this write may succeed.
  const patch: Partial<GalleryEntry> = refused ? { state: 'failed', reason, completedAt: ctx.clock.now() } : { state: 'paused', reason, ...ctx.unsavedJobIds.get(id) };
  let updated: GalleryEntry | undefined;
  try {
    updated = await ctx.store.update(id, (current) => (isRunning(current.state) ? patch : undefined));
    if (updated?.jobId) ctx.unsavedJobIds.delete(id);
  } catch {
    if (!isRunning(entry.state)) return;
    // The entry cannot be written either (disk full): still tell the user, from memory.
    updated = ctx.store.updateTransient(id, patch);
  }
  if (updated && updated.state === patch.state) ctx.emit({ kind: 'needsAttention', entry: updated });
}

function describe(error: unknown): string {
  if (isApiError(error)) return `${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}`;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : 'unexpected error';
}
