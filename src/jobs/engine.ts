// The job engine of one window: starts generations, works on every job whose lease it holds
// (jobRun.ts), keeps looking for unfinished jobs nobody works on (a window closed or crashed), and
// carries out what the user asks: stop waiting, resume/retry, remove. Several windows run one engine
// each over the same gallery; the leases make sure exactly one of them works on each job.
import { randomUUID } from 'crypto';
import * as path from 'path';
import { validateOptions } from '../api/validation';
import type { ApiframeApi } from '../api/client';
import type { GalleryChange, GalleryStore } from '../gallery/store';
import { GalleryEntry, PromptSource, REASON_KINDS, isRunning } from '../shared/entry';
import type { GenerationOptions } from '../shared/options';
import { Clock, systemClock } from './clock';
import { SILENT_LOG, type Log } from '../shared/log';
import type { MetadataEmbedding } from './embedRecord';
import { EngineEvent, RunContext, runJob } from './jobRun';
import { DEFAULT_LEASE_TIMING, LeaseManager, LeaseTiming } from './lease';
import { BackoffPolicy, DEFAULT_BACKOFF } from './retry';
import { DEFAULT_SCHEDULE, DurationModel, ScheduleConfig } from './schedule';

export type { EngineEvent } from './jobRun';

export interface EngineDeps {
  api: ApiframeApi;
  store: GalleryStore;
  durations: DurationModel;
  /** Persists the learned durations (called after each completed job). */
  saveDurations?: (samples: number[]) => void;
  clock?: Clock;
  schedule?: ScheduleConfig;
  backoff?: BackoffPolicy;
  log?: Log;
  lease?: LeaseTiming;
  /** How often to look for unfinished jobs nobody works on (after resumeAll). */
  orphanScanMs?: number;
  /** Writes the generation record into each stored image (see embedRecord.ts). */
  metadata?: MetadataEmbedding;
}

interface ActiveJob {
  controller: AbortController;
  settled: Promise<void>;
}

export class JobEngine {
  private readonly active = new Map<string, ActiveJob>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private readonly context: RunContext;
  private readonly leases: LeaseManager;
  private readonly clock: Clock;
  private readonly stopped = new AbortController();
  /** The orphan scan while this window collects jobs (resumeAll); aborted by stopCollecting and dispose. */
  private scan: AbortController | undefined;
  /** Lease attempts under way, so that dispose leaves no lease behind. */
  private readonly takingOver = new Set<Promise<void>>();
  private readonly storeSubscription: { dispose(): void };

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? systemClock;
    const log = deps.log ?? SILENT_LOG;
    this.context = {
      api: deps.api,
      store: deps.store,
      durations: deps.durations,
      saveDurations: deps.saveDurations,
      clock: this.clock,
      schedule: deps.schedule ?? DEFAULT_SCHEDULE,
      backoff: deps.backoff ?? DEFAULT_BACKOFF,
      log,
      metadata: deps.metadata,
      unsavedJobIds: new Map(),
      emit: (event) => this.emit(event),
    };
    this.leases = new LeaseManager(
      path.join(deps.store.root, 'leases'),
      this.clock,
      deps.lease ?? DEFAULT_LEASE_TIMING,
      (id) => {
        log.warn(`job ${id}: another window took it over`);
        this.active.get(id)?.controller.abort();
      },
      (message) => log.warn(message),
    );
    this.storeSubscription = deps.store.onDidChange((change) => this.onStoreChange(change));
  }

  onEvent(listener: (event: EngineEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Records a new generation and starts it. Resolves once the entry is on disk (before the network),
   * so the user's prompt survives whatever happens next. Throws a ValidationError for bad options.
   * `delegate`: this window has no key; the entry is left for a window that has one (which takes it over
   * at once through the change feed), and this window only reports it.
   */
  async start(
    options: GenerationOptions,
    source?: PromptSource,
    /** Its place among variants, and the user's text when the prompt is a rewrite of it. */
    extra?: Pick<GalleryEntry, 'groupId' | 'variantIndex' | 'originalPrompt'>,
    { delegate = false } = {},
  ): Promise<GalleryEntry> {
    const entry: GalleryEntry = {
      id: randomUUID(),
      options: validateOptions(options),
      state: 'submitting',
      progress: 0,
      createdAt: this.clock.now(),
      source,
      ...extra,
      ...(delegate ? { delegated: true } : {}),
    };
    if (delegate) return this.deps.store.create(entry);
    // The lease first: no other window may pick the entry up before this one starts on it.
    await this.leases.tryAcquire(entry.id);
    const created = await this.deps.store.create(entry).catch(async (error) => {
      await this.leases.release(entry.id);
      throw error;
    });
    this.track(entry.id, false);
    return created;
  }

  /**
   * Adds a job that already exists at Apiframe (an import) and collects its image. Resolves with the
   * entry once the engine stops working on it, or undefined when another window added it first.
   */
  async collectExisting(entry: GalleryEntry): Promise<GalleryEntry | undefined> {
    if (!(await this.leases.tryAcquire(entry.id))) return undefined;
    try {
      await this.deps.store.create(entry);
    } catch (error) {
      await this.leases.release(entry.id);
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw error;
    }
    this.track(entry.id, true);
    return this.whenSettled(entry.id);
  }

  /**
   * Works on every unfinished job nobody else works on — after activation, and from then on every
   * few seconds, so jobs of a window that closed or crashed are taken over. Paused jobs wait for the user.
   */
  resumeAll(): void {
    if (this.stopped.signal.aborted) return;
    void this.resumeOrphans();
    if (this.scan) return;
    const scan = new AbortController();
    this.scan = scan;
    void (async () => {
      for (;;) {
        await this.clock.sleep(this.deps.orphanScanMs ?? 4_000, scan.signal);
        await this.resumeOrphans();
      }
    })().catch(() => undefined);
  }

  /**
   * This window has no key any more: it takes over no job from now on (it would send it without a key and
   * pause it), so a window with a key does. Jobs it already works on go on.
   */
  stopCollecting(): void {
    this.scan?.abort();
    this.scan = undefined;
  }

  private async resumeOrphans(): Promise<void> {
    for (const entry of this.deps.store.list()) {
      if (this.stopped.signal.aborted) return;
      await this.takeOver(entry);
    }
  }

  /** Works on an unfinished job nobody works on, if its lease is free. (Awaited by dispose.) */
  private takeOver(entry: GalleryEntry): Promise<void> {
    const attempt = this.tryTakeOver(entry).finally(() => this.takingOver.delete(attempt));
    this.takingOver.add(attempt);
    return attempt;
  }

  private async tryTakeOver(entry: GalleryEntry): Promise<void> {
    if (!isRunning(entry.state) || this.active.has(entry.id)) return;
    try {
      if (!(await this.leases.tryAcquire(entry.id))) return;
      if (this.stopped.signal.aborted) return void (await this.leases.release(entry.id)); // disposed meanwhile
      this.track(entry.id, true);
    } catch (error) {
      this.context.log.warn(`job ${entry.id}: could not take it over: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The user asks to continue (Resume, Retry): the same action with the same idempotency key, so
   * nothing is charged twice. Works for paused jobs, unfinished jobs nobody works on, and submits
   * that failed before reaching the server. Resolves whether this window now works on it.
   */
  async resume(id: string): Promise<boolean> {
    if (this.active.has(id)) return true;
    const resumable = (entry: GalleryEntry) => entry.state === 'paused' || isRunning(entry.state) || (entry.state === 'failed' && !entry.jobId);
    const entry = this.deps.store.get(id);
    if (!entry || !resumable(entry) || !(await this.leases.tryAcquire(id))) return false;
    const updated = await this.deps.store.update(id, (current) =>
      resumable(current) ? { state: current.jobId ? (isRunning(current.state) ? current.state : 'queued') : 'submitting', reason: undefined } : undefined,
    );
    if (!updated || !isRunning(updated.state) || this.active.has(id)) {
      if (!this.active.has(id)) await this.leases.release(id);
      return this.active.has(id);
    }
    this.track(id, true);
    return true;
  }

  /**
   * Stops waiting for a job. The job goes on at Apiframe and stays paused here (in every window)
   * until the user resumes it; it is not resumed automatically on the next start.
   */
  async stopWaiting(id: string): Promise<void> {
    await this.abortLocal(id);
    await this.deps.store.update(id, (current) => (isRunning(current.state) ? { state: 'paused', reason: { kind: REASON_KINDS.stoppedWaiting } } : undefined));
  }

  /**
   * Removes the entry in any state (Delete, and Forget for an unfinished job): stops waiting first,
   * then drops the entry and its files. A job still running at Apiframe goes on there. With `onlyIf`,
   * only when it holds for the entry (checked again on disk, under the entry's lock).
   */
  async remove(id: string, onlyIf?: (current: GalleryEntry) => boolean): Promise<boolean> {
    const entry = this.deps.store.get(id);
    if (onlyIf && !(entry && onlyIf(entry))) return false;
    await this.abortLocal(id);
    return this.deps.store.remove(id, onlyIf);
  }

  isActive(id: string): boolean {
    return this.active.has(id);
  }

  /** Resolves when the engine stops working on the entry (finished, paused, stopped or taken over). */
  async whenSettled(id: string): Promise<GalleryEntry | undefined> {
    await this.active.get(id)?.settled;
    return this.deps.store.get(id);
  }

  /** Stops all work and gives the leases up, so another window takes the unfinished jobs over at once. */
  async dispose(): Promise<void> {
    this.stopped.abort();
    this.stopCollecting();
    this.storeSubscription.dispose();
    this.listeners.clear();
    await Promise.all(this.takingOver);
    const running = [...this.active.values()];
    for (const job of running) job.controller.abort();
    await Promise.all(running.map((job) => job.settled));
    await this.leases.releaseAll();
  }

  private async abortLocal(id: string): Promise<void> {
    const job = this.active.get(id);
    if (job) {
      job.controller.abort();
      await job.settled;
    }
    await this.leases.release(id);
  }

  private track(id: string, pollNow: boolean): void {
    const controller = new AbortController();
    const settled = runJob(this.context, id, pollNow, controller.signal)
      .catch((error) => this.context.log.warn(`job ${id}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(async () => {
        this.active.delete(id);
        if (!this.stopped.signal.aborted) await this.leases.release(id);
      });
    this.active.set(id, { controller, settled });
  }

  /**
   * Another window paused or removed a job this one works on: stop (it wrote the new state). A window
   * without a key handed a new job over: a window that collects jobs (resumeAll) takes it at once.
   */
  private onStoreChange(change: GalleryChange): void {
    const id = change.kind === 'remove' ? change.id : change.entry.id;
    const stopped = change.kind === 'remove' || change.entry.state === 'paused';
    if (stopped) this.active.get(id)?.controller.abort();
    else if (this.scan && change.entry.delegated && !this.stopped.signal.aborted) void this.takeOver(change.entry);
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
