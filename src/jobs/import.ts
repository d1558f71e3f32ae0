// "Import from account" as one batch: page through the account's jobs (stopping when a cursor repeats
// or after a page limit), add the completed Ultra jobs the gallery does not have yet, collect their
// images through the engine with at most 4 downloads at once, and report one summary. Imported
// entries carry `imported: true`, so the engine's per-image events are not shown as notifications.
import { createHash } from 'crypto';
import type { CallOptions, JobPage } from '../api/client';
import type { Job } from '../api/job';
import { mapWithLimit } from '../gallery/files';
import { GalleryEntry, REASON_KINDS } from '../shared/entry';
import { GENERATION_DEFAULTS, GenerationOptions, MODEL_ID, PROMPT_MAX_LENGTH, isAspectRatio, isOutputFormat } from '../shared/options';
import { Clock, systemClock } from './clock';
import type { JobEngine } from './engine';
import { withRetries } from './retry';

/** What the importer needs from the API (the client implements it; tests substitute a fake). */
export interface JobLister {
  listJobs(query: { cursor?: string; limit?: number; status?: string }, call?: CallOptions): Promise<JobPage>;
}

export interface ImportDeps {
  api: JobLister;
  engine: Pick<JobEngine, 'collectExisting' | 'remove'>;
  /** Jobs already in the gallery are skipped. */
  findByJobId(jobId: string): GalleryEntry | undefined;
  clock?: Clock;
}

export interface ImportOptions {
  signal?: AbortSignal;
  /** Reported after the listing (done 0) and after each image. */
  onProgress?: (progress: { done: number; total: number }) => void;
  pageSize?: number;
  maxPages?: number;
  concurrency?: number;
}

export interface ImportSummary {
  imported: number;
  /** Completed jobs whose images Apiframe had already deleted (nothing to import). */
  expired: number;
  /** Kept in the gallery, paused with their reason (Retry there). */
  failed: number;
  /** Already in the gallery, not finished, or not Flux 1.1 Pro Ultra. */
  skipped: number;
  cancelled: boolean;
  /** The listing stopped before the end: the server repeated a cursor, or the page limit was reached. */
  listingCut?: 'repeatedCursor' | 'pageLimit';
}

export const IMPORT_DEFAULTS = { pageSize: 100, maxPages: 50, concurrency: 4 };

export async function importFromAccount(deps: ImportDeps, options: ImportOptions = {}): Promise<ImportSummary> {
  const { pageSize, maxPages, concurrency } = { ...IMPORT_DEFAULTS, ...options };
  const summary: ImportSummary = { imported: 0, expired: 0, failed: 0, skipped: 0, cancelled: false };
  const candidates: Job[] = [];
  const seenJobs = new Set<string>();
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    if (options.signal?.aborted) return { ...summary, cancelled: true };
    const listed = await withRetries(() => deps.api.listJobs({ cursor, limit: pageSize, status: 'COMPLETED' }, { signal: options.signal }), {
      clock: deps.clock ?? systemClock,
      signal: options.signal,
    });
    for (const job of listed.jobs) {
      if (seenJobs.has(job.id)) continue;
      seenJobs.add(job.id);
      if (job.status !== 'COMPLETED' || (job.model && job.model !== MODEL_ID) || deps.findByJobId(job.id)) summary.skipped++;
      else if (job.expired) summary.expired++;
      else candidates.push(job);
    }
    if (!listed.hasMore || !listed.nextCursor) break;
    if (seenCursors.has(listed.nextCursor)) {
      summary.listingCut = 'repeatedCursor';
      break;
    }
    if (page >= maxPages) {
      summary.listingCut = 'pageLimit';
      break;
    }
    seenCursors.add(listed.nextCursor);
    cursor = listed.nextCursor;
  }

  let done = 0;
  options.onProgress?.({ done, total: candidates.length });
  const inFlight = new Set<string>();
  const onAbort = () => {
    // What is not stored yet is dropped from the gallery; the jobs stay at Apiframe for a later import.
    for (const id of inFlight) void deps.engine.remove(id);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await mapWithLimit(candidates, concurrency, async (job) => {
      if (options.signal?.aborted) return;
      const entry = importedEntry(job);
      inFlight.add(entry.id);
      const settled = await deps.engine.collectExisting(entry);
      inFlight.delete(entry.id);
      if (options.signal?.aborted) return;
      if (!settled) summary.skipped++;
      else if (settled.state === 'completed') summary.imported++;
      else if (settled.state === 'failed' && settled.reason?.kind === REASON_KINDS.imageExpired) {
        summary.expired++;
        await deps.engine.remove(entry.id);
      } else summary.failed++;
      options.onProgress?.({ done: ++done, total: candidates.length });
    });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return { ...summary, cancelled: !!options.signal?.aborted };
}

/** The same job always gets the same entry id, so two windows importing at once cannot add it twice. */
export function importedEntryId(jobId: string): string {
  const hex = createHash('sha256').update(`flux-studio-import:${jobId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function importedEntry(job: Job): GalleryEntry {
  return {
    id: importedEntryId(job.id),
    jobId: job.id,
    options: optionsFromJobInput(job.input),
    state: 'queued',
    progress: 100,
    createdAt: job.createdAt ?? Date.now(),
    acceptedAt: job.createdAt,
    creditCost: job.creditCost,
    imported: true,
  };
}

/**
 * The options a job was made with, as far as the service reports them (defensively: the shape is not
 * documented). A job without a readable prompt gets an empty one; the UI shows a placeholder.
 */
export function optionsFromJobInput(input: unknown): GenerationOptions {
  const record = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const params = (record.fluxParams && typeof record.fluxParams === 'object' ? record.fluxParams : {}) as Record<string, unknown>;
  return {
    prompt: typeof record.prompt === 'string' ? record.prompt.trim().slice(0, PROMPT_MAX_LENGTH) : '',
    aspectRatio: isAspectRatio(params.aspect_ratio) ? params.aspect_ratio : GENERATION_DEFAULTS.aspectRatio,
    outputFormat: isOutputFormat(params.output_format) ? params.output_format : GENERATION_DEFAULTS.outputFormat,
    outputQuality: Number.isInteger(params.output_quality) ? (params.output_quality as number) : GENERATION_DEFAULTS.outputQuality,
    raw: params.raw === true,
    seed: Number.isSafeInteger(params.seed) ? (params.seed as number) : undefined,
    imagePrompt: typeof params.image_prompt === 'string' ? params.image_prompt : undefined,
    imagePromptStrength: typeof params.image_prompt_strength === 'number' ? params.image_prompt_strength : undefined,
  };
}
