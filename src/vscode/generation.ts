// Starting generations and following them: the checks before anything is sent (API host, key, options,
// the cost of several variants), the seeds, the cancellable progress notification, and retrying the same
// action (same idempotency key).
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import type { GalleryStore } from '../gallery/store';
import type { JobEngine } from '../jobs/engine';
import { BATCH_CONCURRENCY, startLimited, type BatchStart } from '../jobs/batch';
import type { KeyHolders } from '../jobs/keyHolders';
import { ORIGINAL_PROMPT_MAX_LENGTH, REASON_KINDS, isRunning, type GalleryEntry, type PromptSource } from '../shared/entry';
import type { Log } from '../shared/log';
import type { GenerationOptions } from '../shared/options';
import type { ImagePrice } from '../api/prices';
import { isVariantCount, variantSeeds } from '../shared/variants';
import type { Anchor } from '../insert/anchor';
import type { Placements } from './editor/placement';
import { describeValidation } from './errorMessages';
import type { KeyService } from './keys';
import type { PaymentGate } from './pay';
import type { PriceBook } from './prices';
import { readAfterGenerate, readApiBaseUrl, readGenerationDefaults, workspaceOverrides } from './settings';
import { stateLabel } from './stateLabels';
import { showError, showInfo, showWarning, withNotificationProgress, type ProgressReporter } from './ui/show';
import { join, l10n, shortPlain, type SafeText } from './ui/text';

/** How many images one request makes, whether their cost was already confirmed, and where the image goes. */
export interface VariantRequest {
  /** 1–4 (default 1); the payment gate asks before they are paid for, unless `costConfirmed`. */
  count?: number;
  /** The user confirmed the cost elsewhere (the language model tool's own confirmation, the missing-images question). */
  costConfirmed?: boolean;
  /** false: the caller shows one progress for a batch (runBatch) instead of one per request. */
  followProgress?: boolean;
  /** The selected text the image was made from: with fluxStudio.afterGenerate `insert`, one image lands right after it. */
  placeAfter?: { document: vscode.TextDocument; anchor: Anchor };
  /** The user's own text when the prompt is a language model's rewrite of it (kept in the entry and the image's record). */
  originalPrompt?: string;
}

/** The services a GenerationService hands work to. */
export interface GenerationHelpers {
  gate: PaymentGate;
  prices: PriceBook;
  placements: Placements;
  /** Opens the gallery beside the editor (set once the panel is wired). */
  revealGallery: (preserveFocus: boolean) => void;
}

/** How long a job handed to another window may wait to be taken before this window asks for the key. */
const HANDOVER_TIMEOUT_MS = 15_000;

export class GenerationService {
  private readonly progressShown = new Set<string>();
  private readonly overridesWarned = new Set<string>();
  private readonly delegatedSettled = new vscode.EventEmitter<GalleryEntry>();
  /** A job this window handed to another (it had no key) has ended there: this window reports it. */
  readonly onDidSettleDelegated = this.delegatedSettled.event;

  constructor(
    private readonly engine: JobEngine,
    private readonly store: GalleryStore,
    private readonly keys: KeyService,
    private readonly keyHolders: KeyHolders,
    private readonly log: Log,
    private readonly helpers: GenerationHelpers,
  ) {}

  /** One image; see generateVariants. Returns its entry, or undefined (with the reason shown) when it did not start. */
  async generate(options: GenerationOptions, source?: PromptSource, request: Omit<VariantRequest, 'count'> = {}): Promise<GalleryEntry | undefined> {
    return (await this.generateVariants(options, source, request))[0];
  }

  /**
   * Starts `count` generations of the same prompt and settings, each with its own seed and entry (its own
   * idempotency key), grouped when there are several. The seeds are drawn here and sent, so every entry's
   * seed reproduces its image. The webhook always comes from the user's current settings (never from a
   * workspace, never from an old entry). Returns the entries started; none when nothing started (the
   * reason was shown, or the user declined the cost).
   */
  async generateVariants(options: GenerationOptions, source?: PromptSource, request: VariantRequest = {}): Promise<GalleryEntry[]> {
    const count = request.count ?? 1;
    if (!isVariantCount(count)) throw new RangeError(`variant count ${count}`);
    const sending = await this.readyToSend();
    if (!sending) return [];
    const delegate = sending === 'delegate';
    const payment = await this.helpers.gate.pay({ count, costConfirmed: request.costConfirmed });
    if (!payment) return [];
    const webhookUrl = readGenerationDefaults().value.webhookUrl;
    const groupId = count > 1 ? randomUUID() : undefined;
    const originalPrompt = request.originalPrompt?.slice(0, ORIGINAL_PROMPT_MAX_LENGTH);
    const entries: GalleryEntry[] = [];
    try {
      for (const [variantIndex, seed] of variantSeeds(count, options.seed).entries()) {
        const extra = { ...(groupId ? { groupId, variantIndex } : {}), ...(originalPrompt ? { originalPrompt } : {}) };
        entries.push(await this.engine.start({ ...options, seed, webhookUrl }, source, extra, { delegate }));
      }
    } catch (error) {
      // Refused before it was recorded, so nothing was sent: those images do not count against the limit.
      await payment.release(count - entries.length);
      // The options are the same for every variant: a refusal comes at the first, before anything started.
      if (!(error instanceof ValidationError)) throw error;
      void showError(describeValidation(error.field));
    }
    if (entries.length === 0) return entries;
    const { aspectRatio, outputFormat } = entries[0].options;
    this.log.info(`generation ${entries.map((e) => e.id).join(', ')} started (${aspectRatio}, ${outputFormat}${groupId ? `, ${count} variants` : ''})`);
    const afterGenerate = readAfterGenerate();
    if (request.placeAfter && count === 1 && afterGenerate === 'insert') {
      // Progress shows where the text is (and in the status bar); the gallery stays as it is.
      this.helpers.placements.follow(entries[0].id, request.placeAfter.document, request.placeAfter.anchor);
    } else {
      if (count > 1 || afterGenerate === 'gallery') this.helpers.revealGallery(true);
      if (request.followProgress !== false) this.followProgress(entries.map((e) => e.id));
    }
    if (delegate) void this.watchHandover(entries.map((e) => e.id));
    return entries;
  }

  /**
   * Jobs handed to a window that has the key: report them when they end there, and if no window takes
   * them in time (it closed meanwhile), ask for the key here and work on them in this window.
   */
  private async watchHandover(ids: readonly string[]): Promise<void> {
    const taken = await Promise.all(ids.map((id) => this.whenEntry(id, (entry) => entry.state !== 'submitting' || !!entry.jobId, HANDOVER_TIMEOUT_MS)));
    if (taken.some((entry) => entry === 'timeout')) {
      this.log.warn('no window with the API key took the handed-over jobs; asking for the key here');
      if (await this.keys.ensureKey()) for (const id of ids) await this.engine.resume(id);
      else await Promise.all(ids.map((id) => this.failUnsent(id)));
    }
    for (const id of ids) {
      void this.whenEntry(id, (entry) => !isRunning(entry.state)).then((entry) => {
        if (entry && entry !== 'timeout' && !this.engine.isActive(id)) this.delegatedSettled.fire(entry);
      });
    }
  }

  /** A handed-over job nobody took and nobody will send: failed with its reason, so no window submits it days later. */
  private async failUnsent(id: string): Promise<void> {
    const reason = { kind: REASON_KINDS.noKey };
    await this.store.update(id, (current) => (current.state === 'submitting' && !current.jobId ? { state: 'failed', reason, completedAt: Date.now() } : undefined));
  }

  /** The entry once `done(entry)` holds (undefined if it was removed; 'timeout' after `timeoutMs`). */
  private whenEntry(id: string, done: (entry: GalleryEntry) => boolean, timeoutMs?: number): Promise<GalleryEntry | undefined | 'timeout'> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const check = () => {
        const entry = this.store.get(id);
        if (entry && !done(entry)) return false;
        finish(entry);
        return true;
      };
      const finish = (result: GalleryEntry | undefined | 'timeout') => {
        subscription.dispose();
        if (timer) clearTimeout(timer);
        resolve(result);
      };
      const subscription = this.store.onDidChange(() => void check());
      if (check()) return;
      if (timeoutMs !== undefined) timer = setTimeout(() => finish('timeout'), timeoutMs);
    });
  }

  /** What one image costs: the one price source (Apiframe's price list, or the documented value). */
  imageCost(): ImagePrice {
    return this.helpers.prices.current();
  }

  /** The price, read again from Apiframe's list when the cached one is older than a day. */
  refreshPrice(): Promise<ImagePrice> {
    return this.helpers.prices.refresh();
  }

  /**
   * The checks before anything is sent: a usable API host, the key. Without a key here, the job is handed
   * to another window that has one ('delegate': code-server shows a window the secrets set in other
   * windows only after it reloads); when there is none, the key is asked for.
   */
  private async readyToSend(): Promise<boolean | 'delegate'> {
    const base = readApiBaseUrl();
    if ('error' in base) {
      const open = l10n.t('Open Settings');
      if ((await showError(base.error, open)) === open) {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'fluxStudio.apiBaseUrl');
      }
      return false;
    }
    await this.warnAboutWorkspaceOverrides();
    if (!(await this.keys.store.get()) && (await this.keyHolders.othersHaveKey())) return 'delegate';
    return this.keys.ensureKey();
  }

  /** A cancellable notification that follows one job until the engine stops working on it. */
  showProgress(id: string): void {
    this.followProgress([id]);
  }

  /**
   * Starts a batch's requests (the missing images of a file) BATCH_CONCURRENCY at a time, under one
   * cancellable notification titled by the caller. Cancel starts nothing more (those are not paid) and stops
   * waiting for the started ones: their submits complete, and their jobs go on at Apiframe.
   */
  async runBatch<T>(items: readonly T[], start: (item: T) => Promise<GalleryEntry | undefined | false>, title: SafeText): Promise<void> {
    const started: string[] = [];
    await withNotificationProgress(title, true, async (progress, token) => {
      const cancel = new AbortController();
      token.onCancellationRequested(() => cancel.abort());
      const tracking = this.trackProgress(progress, started, items.length);
      try {
        const startOne = async (item: T): Promise<BatchStart<string>> => {
          const entry = await start(item);
          if (entry === false) return 'stop';
          if (!entry) return 'skip';
          started.push(entry.id);
          this.progressShown.add(entry.id);
          return { started: entry.id };
        };
        const untilSettled = (id: string) => this.whenEntry(id, (entry) => !isRunning(entry.state));
        const { notStarted } = await startLimited(items, BATCH_CONCURRENCY, startOne, untilSettled, cancel.signal);
        if (cancel.signal.aborted) {
          await Promise.all(started.map((id) => this.engine.stopWaiting(id)));
          void showInfo(
            join([
              l10n.t('Stopped: {0} of {1} images were not started, and nothing was paid for them.', notStarted, items.length),
              ...(started.length ? [l10n.t('The {0} already started go on at Apiframe; collect them from Flux: Show Jobs or the gallery.', started.length)] : []),
            ]),
          );
          return;
        }
        await Promise.all(started.map(untilSettled));
      } finally {
        tracking.dispose();
        for (const id of started) this.progressShown.delete(id);
      }
    });
  }

  /** One cancellable notification for the jobs of one request (a job already followed is left out). */
  private followProgress(ids: readonly string[]): void {
    const followed = ids.filter((id) => this.store.get(id) && !this.progressShown.has(id));
    if (followed.length === 0) return;
    for (const id of followed) this.progressShown.add(id);
    const prompt = shortPlain(this.store.get(followed[0])!.options.prompt, 50);
    const title = followed.length === 1 ? l10n.t('Flux: generating “{0}”', prompt) : l10n.t('Flux: generating {0} variants of “{1}”', followed.length, prompt);
    // No Cancel while the submit is on its way: it may already have created a paid job, and it always completes.
    const submitted = () => Promise.all(followed.map((id) => this.whenEntry(id, (entry) => entry.state !== 'submitting' || !!entry.jobId)));
    void withNotificationProgress(l10n.t('Flux: submitting “{0}”…', prompt), false, submitted).then(() => this.followUntilDone(followed, title, prompt));
  }

  private followUntilDone(followed: readonly string[], title: SafeText, prompt: SafeText): void {
    void withNotificationProgress(title, true, async (progress, token) => {
      const tracking = this.trackProgress(progress, followed, followed.length);
      token.onCancellationRequested(() => {
        void Promise.all(followed.map((id) => this.engine.stopWaiting(id))).then(() =>
          showInfo(l10n.t('Stopped waiting for “{0}”. The job goes on at Apiframe; collect it from Flux: Show Jobs or the gallery.', prompt)),
        );
      });
      try {
        // Followed through the shared gallery, so it ends when the job ends in whichever window works on it.
        await Promise.all(followed.map((id) => this.whenEntry(id, (entry) => !isRunning(entry.state))));
      } finally {
        tracking.dispose();
        for (const id of followed) this.progressShown.delete(id);
      }
    });
  }

  /**
   * Reports the mean progress of the jobs `ids` holds (it may grow) out of `total`, with one job's state or
   * "N of M ready", every second and on each change of theirs.
   */
  private trackProgress(progress: ProgressReporter, ids: readonly string[], total: number): vscode.Disposable {
    const started = Date.now();
    let reported = 0;
    const report = () => {
      const current = ids.map((id) => this.store.get(id)).filter((entry): entry is GalleryEntry => !!entry);
      if (current.length === 0) return;
      const increment = Math.max(0, current.reduce((sum, entry) => sum + entry.progress, 0) / total - reported);
      reported += increment;
      const elapsed = Math.round((Date.now() - started) / 1000);
      const status = total === 1 ? stateLabel(current[0]) : l10n.t('{0} of {1} ready', current.filter((e) => e.state === 'completed').length, total);
      progress.report(l10n.t('{0} · {1} s', status, elapsed), increment);
    };
    const ticker = setInterval(report, 1000);
    const subscription = this.store.onDidChange((change) => change.kind === 'upsert' && ids.includes(change.entry.id) && report());
    report();
    return new vscode.Disposable(() => {
      clearInterval(ticker);
      subscription.dispose();
    });
  }

  /** Continues the same user action (same idempotency key), so nothing can be charged twice. */
  async retry(id: string): Promise<void> {
    // A failed job that never reached Apiframe was refunded, and continuing it submits (pays) again.
    const entry = this.store.get(id);
    const payment = entry?.state === 'failed' && !entry.jobId ? await this.helpers.gate.pay({ count: 1, costConfirmed: true }) : null;
    if (payment === undefined) return;
    if (await this.engine.resume(id)) this.showProgress(id);
    else await payment?.release(1);
  }

  async editAndRetry(entry: GalleryEntry, askPrompt: (value: string) => Thenable<string | undefined>): Promise<void> {
    const prompt = await askPrompt(entry.options.prompt);
    if (prompt !== undefined) await this.generate({ ...entry.options, prompt }, entry.source);
  }

  /** Once per window and setting: say that a workspace's value for a user-only setting is ignored. */
  private async warnAboutWorkspaceOverrides(): Promise<void> {
    for (const key of await workspaceOverrides()) {
      if (this.overridesWarned.has(key)) continue;
      this.overridesWarned.add(key);
      this.log.warn(`the workspace sets fluxStudio.${key}; ignored (user settings only)`);
      void showWarning(workspaceOverrideMessage(key));
    }
  }
}

function workspaceOverrideMessage(key: string): SafeText {
  return l10n.t('This workspace sets fluxStudio.{0}, which only your user settings may set. Flux Studio ignores it.', key);
}
