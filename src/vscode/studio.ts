// Wires the vscode-free core (client, engine, gallery store) to VS Code: the key, the settings,
// the log, and what the user sees while a job runs (progress, status bar, messages with actions).
import * as vscode from 'vscode';
import { Account, ApiframeApi, ApiframeClient } from '../api/client';
import { ApiError, ApiErrorKind, ValidationError, isApiError } from '../api/errors';
import { GalleryStore } from '../gallery/store';
import { EngineEvent, JobEngine } from '../jobs/engine';
import { importFromAccount } from '../jobs/import';
import { DurationModel } from '../jobs/schedule';
import { GalleryEntry, PromptSource, REASON_KINDS, isRunning, isTerminal } from '../shared/entry';
import type { GenerationOptions } from '../shared/options';
import { ApiKeyStore } from './apiKey';
import { describeError, describeValidation } from './errorMessages';
import { Log, createLog, logRequest } from './log';
import { readApiBaseUrl } from './settings';

const DURATIONS_KEY = 'fluxStudio.durations';

export class FluxStudio implements vscode.Disposable {
  readonly log: Log;
  readonly keys: ApiKeyStore;
  readonly store: GalleryStore;
  readonly engine: JobEngine;
  private readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private credits: number | undefined;
  private readonly progressShown = new Set<string>();
  /** Opens the gallery beside the editor; set by the extension once the panel is wired. */
  revealGallery: (preserveFocus: boolean) => void = () => undefined;

  constructor(context: vscode.ExtensionContext) {
    const channel = vscode.window.createOutputChannel('Flux Studio', { log: true });
    this.keys = new ApiKeyStore(context.secrets);
    this.log = createLog(channel, () => this.keys.peek());
    this.store = new GalleryStore(vscode.Uri.joinPath(context.globalStorageUri, 'gallery').fsPath);
    const durations = new DurationModel(context.globalState.get<number[]>(DURATIONS_KEY, []));
    this.engine = new JobEngine({
      api: this.api,
      store: this.store,
      durations,
      saveDurations: (samples) => void context.globalState.update(DURATIONS_KEY, samples),
      log: this.log,
    });
    this.statusBar = vscode.window.createStatusBarItem('fluxStudio.status', vscode.StatusBarAlignment.Right, 100);
    this.statusBar.name = vscode.l10n.t('Flux Studio');
    this.statusBar.command = 'fluxStudio.showJobs';
    this.disposables.push(channel, this.keys, this.statusBar, this.engine.onEvent((event) => this.onEngineEvent(event)));
    this.disposables.push(this.store.onDidChange(() => this.updateStatusBar()));
    this.disposables.push({ dispose: () => void this.engine.dispose() }, { dispose: () => this.store.dispose() });
  }

  /** Loads the gallery and resumes every job that was running when the window last closed. */
  async start(): Promise<void> {
    await this.store.load();
    this.updateStatusBar();
    this.statusBar.show();
    if (this.store.list().some((entry) => !isTerminal(entry.state))) {
      if (await this.keys.get()) this.engine.resumeAll();
    }
  }

  /** A client for the configured host; the engine goes through `api`, which builds it per call. */
  client(): ApiframeClient {
    const base = readApiBaseUrl();
    if ('error' in base) throw new ApiError('invalidParameters', base.error, { field: 'apiBaseUrl' });
    return new ApiframeClient({
      baseUrl: base.url,
      getApiKey: () => this.keys.get(),
      onRequest: (record) => logRequest(this.log, record),
    });
  }

  private readonly api: ApiframeApi = {
    submit: (options, call) => this.client().submit(options, call),
    getJob: (id, call) => this.client().getJob(id, call),
    fetchImage: (url, call) => this.client().fetchImage(url, call),
  };

  // ---- the key --------------------------------------------------------------------------------

  /** Asks for the key, checks it with Apiframe, and stores it. Returns whether a key is now set. */
  async promptForKey(reason?: string): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Flux: Set API Key'),
      prompt: reason ?? vscode.l10n.t('Paste your Apiframe API key (it starts with afk_). It is kept in VS Code\'s secret storage.'),
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'afk_…',
      validateInput: (value) => (value.trim().length < 8 || /\s/.test(value.trim()) ? vscode.l10n.t('That does not look like an API key.') : undefined),
    });
    if (key === undefined) return false;
    return this.setKey(key.trim());
  }

  async setKey(key: string): Promise<boolean> {
    const previous = await this.keys.get();
    await this.keys.set(key);
    let account: Account;
    try {
      account = await this.client().me();
    } catch (error) {
      if (isApiError(error) && (error.kind === 'invalidKey' || error.kind === 'inactiveKey')) {
        if (previous) await this.keys.set(previous);
        else await this.keys.clear();
        const retry = vscode.l10n.t('Set API Key');
        void vscode.window.showErrorMessage(describeError(error), retry).then((choice) => choice === retry && this.promptForKey());
        return false;
      }
      // Offline or a server hiccup: keep the key, say we could not check it.
      void vscode.window.showWarningMessage(vscode.l10n.t('API key saved, but it could not be checked now: {0}', describeError(error)));
      this.resumePaused();
      return true;
    }
    this.credits = account.credits;
    this.updateStatusBar();
    const who = account.userLabel ?? account.teamName ?? vscode.l10n.t('your account');
    void vscode.window.showInformationMessage(
      account.credits !== undefined
        ? vscode.l10n.t('API key saved for {0}. Credits available: {1}.', who, account.credits)
        : vscode.l10n.t('API key saved for {0}.', who),
    );
    this.resumePaused();
    return true;
  }

  async clearKey(): Promise<void> {
    await this.keys.clear();
    this.credits = undefined;
    this.updateStatusBar();
    void vscode.window.showInformationMessage(vscode.l10n.t('Your Apiframe API key was removed from this computer.'));
  }

  /** Jobs waiting for a key continue once one is set. */
  private resumePaused(): void {
    for (const entry of this.store.list()) {
      const pausedByProblem = entry.state === 'paused' && entry.reason?.kind !== REASON_KINDS.stoppedWaiting;
      if ((isRunning(entry.state) || pausedByProblem) && !this.engine.isActive(entry.id)) void this.engine.resume(entry.id);
    }
  }

  /** The key, asking for it inline when there is none. */
  async ensureKey(): Promise<boolean> {
    if (await this.keys.get()) return true;
    return this.promptForKey(vscode.l10n.t('Flux Studio needs your Apiframe API key to generate images. It is kept in VS Code\'s secret storage.'));
  }

  // ---- generating -----------------------------------------------------------------------------

  /** Starts a generation and shows its progress. Returns the entry, or undefined if it did not start. */
  async generate(options: GenerationOptions, source?: PromptSource): Promise<GalleryEntry | undefined> {
    const base = readApiBaseUrl();
    if ('error' in base) {
      const open = vscode.l10n.t('Open Settings');
      if ((await vscode.window.showErrorMessage(base.error, open)) === open) {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'fluxStudio.apiBaseUrl');
      }
      return undefined;
    }
    if (!(await this.ensureKey())) return undefined;
    let entry: GalleryEntry;
    try {
      entry = await this.engine.start(options, source);
    } catch (error) {
      if (error instanceof ValidationError) {
        void vscode.window.showErrorMessage(describeValidation(error.field));
        return undefined;
      }
      throw error;
    }
    this.log.info(`generation ${entry.id} started (${entry.options.aspectRatio}, ${entry.options.outputFormat})`);
    this.revealGallery(true);
    this.showProgress(entry.id);
    return entry;
  }

  /** A cancellable notification that follows one job until the engine stops working on it. */
  showProgress(id: string): void {
    if (this.progressShown.has(id)) return;
    this.progressShown.add(id);
    const entry = this.store.get(id);
    if (!entry) return;
    const prompt = shorten(entry.options.prompt, 50);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Flux: generating “{0}”', prompt), cancellable: true },
      async (progress, token) => {
        const started = Date.now();
        let reported = 0;
        const report = () => {
          const current = this.store.get(id);
          if (!current) return;
          const increment = Math.max(0, current.progress - reported);
          reported += increment;
          const elapsed = Math.round((Date.now() - started) / 1000);
          progress.report({ increment, message: `${stateLabel(current)} · ${vscode.l10n.t('{0} s', elapsed)}` });
        };
        const ticker = setInterval(report, 1000);
        const subscription = this.store.onDidChange((change) => change.kind === 'upsert' && change.entry.id === id && report());
        token.onCancellationRequested(() => {
          void this.engine.stopWaiting(id).then(() =>
            vscode.window.showInformationMessage(
              vscode.l10n.t('Stopped waiting for “{0}”. The job goes on at Apiframe; collect it from Flux: Show Jobs or the gallery.', prompt),
            ),
          );
        });
        report();
        try {
          await this.engine.whenSettled(id);
        } finally {
          clearInterval(ticker);
          subscription.dispose();
          this.progressShown.delete(id);
        }
      },
    );
  }

  private async onEngineEvent(event: EngineEvent): Promise<void> {
    const prompt = shorten(event.entry.options.prompt, 60);
    void this.refreshCredits();
    if (event.kind === 'completed') {
      const insert = vscode.l10n.t('Insert into workspace');
      const open = vscode.l10n.t('Open Gallery');
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Image ready: “{0}”', prompt), insert, open);
      if (choice === insert) void vscode.commands.executeCommand('fluxStudio.insertIntoWorkspace', event.entry.id);
      if (choice === open) this.revealGallery(false);
      return;
    }
    if (event.kind === 'failed') {
      const retry = vscode.l10n.t('Edit prompt and retry');
      const choice = await vscode.window.showErrorMessage(
        vscode.l10n.t('Flux could not generate “{0}”: {1}', prompt, String(event.entry.reason?.params?.message ?? '')),
        retry,
      );
      if (choice === retry) await this.editAndRetry(event.entry);
      return;
    }
    // Interim until the notifier renders stored reasons: the reason as the ApiError it came from.
    const reason = event.entry.reason;
    await this.askForAttention(event.entry, Object.assign(new ApiError((reason?.kind ?? 'server') as ApiErrorKind, ''), reason?.params));
  }

  /** A job stopped because the user must do something: offer exactly that. */
  private async askForAttention(entry: GalleryEntry, error: ApiError): Promise<void> {
    const setKey = vscode.l10n.t('Set API Key');
    const retry = vscode.l10n.t('Retry');
    const openSettings = vscode.l10n.t('Open Settings');
    const actions =
      error.kind === 'invalidKey' || error.kind === 'inactiveKey'
        ? [setKey]
        : error.kind === 'invalidParameters'
          ? [openSettings]
          : [retry];
    const message = error.kind === 'invalidParameters' && error.field === 'apiBaseUrl' ? error.message : describeError(error);
    const choice = await vscode.window.showErrorMessage(message, ...actions);
    if (choice === setKey) {
      if (await this.promptForKey()) await this.retry(entry.id);
    } else if (choice === retry) {
      await this.retry(entry.id);
    } else if (choice === openSettings) {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'fluxStudio');
    }
  }

  /** Continues the same user action (same idempotency key), so nothing can be charged twice. */
  async retry(id: string): Promise<void> {
    await this.engine.resume(id);
    this.showProgress(id);
  }

  async editAndRetry(entry: GalleryEntry): Promise<void> {
    const prompt = await vscode.window.showInputBox({
      title: vscode.l10n.t('Edit prompt and retry'),
      value: entry.options.prompt,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('The prompt is empty.')),
    });
    if (prompt !== undefined) await this.generate({ ...entry.options, prompt }, entry.source);
  }

  // ---- account --------------------------------------------------------------------------------

  async refreshCredits(): Promise<void> {
    if (!(await this.keys.get())) return;
    try {
      this.credits = (await this.client().me()).credits;
      this.updateStatusBar();
    } catch (error) {
      this.log.warn(`could not read the credit balance: ${isApiError(error) ? error.kind : 'error'}`);
    }
  }

  /** Brings Ultra jobs made elsewhere (another machine, a script) into the gallery. */
  async importFromAccount(): Promise<number> {
    if (!(await this.ensureKey())) return 0;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Flux: importing from your Apiframe account'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let imported = 0;
        try {
          // Interim wiring of the batch importer (the lead redoes the summary and its strings).
          const summary = await importFromAccount(
            { api: this.client(), engine: this.engine, findByJobId: (jobId) => this.store.findByJobId(jobId) },
            { signal: controller.signal, onProgress: ({ done }) => progress.report({ message: vscode.l10n.t('{0} imported', done) }) },
          );
          imported = summary.imported;
        } catch (error) {
          if (!token.isCancellationRequested) void vscode.window.showErrorMessage(describeError(error));
        }
        void vscode.window.showInformationMessage(
          imported === 0 ? vscode.l10n.t('Nothing new to import.') : vscode.l10n.t('Importing {0} images into the gallery.', imported),
        );
        return imported;
      },
    );
  }

  private updateStatusBar(): void {
    const running = this.store.list().filter((entry) => !isTerminal(entry.state) && this.engine.isActive(entry.id)).length;
    const parts = [running > 0 ? `$(sync~spin) ${vscode.l10n.t('Flux: {0} running', running)}` : '$(sparkle) Flux'];
    if (this.credits !== undefined) parts.push(vscode.l10n.t('{0} credits', this.credits));
    this.statusBar.text = parts.join(' · ');
    this.statusBar.tooltip = vscode.l10n.t('Flux Studio: show jobs and open the gallery');
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

export function stateLabel(entry: GalleryEntry): string {
  switch (entry.state) {
    case 'submitting':
      return vscode.l10n.t('Sending');
    case 'queued':
      return vscode.l10n.t('Queued');
    case 'processing':
      return vscode.l10n.t('Generating {0}%', entry.progress);
    case 'downloading':
      return vscode.l10n.t('Saving the image');
    case 'completed':
      return vscode.l10n.t('Done');
    case 'failed':
      return vscode.l10n.t('Failed');
    case 'paused':
      return vscode.l10n.t('Not waiting');
  }
}

export function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
