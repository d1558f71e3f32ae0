// Starting generations and following them: the checks before anything is sent (API host, key, options),
// the cancellable progress notification, and retrying the same action (same idempotency key).
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import type { GalleryStore } from '../gallery/store';
import type { JobEngine } from '../jobs/engine';
import type { GalleryEntry, PromptSource } from '../shared/entry';
import type { Log } from '../shared/log';
import type { GenerationOptions } from '../shared/options';
import { describeValidation } from './errorMessages';
import type { KeyService } from './keys';
import { readApiBaseUrl, readGenerationDefaults, workspaceOverrides } from './settings';
import { stateLabel } from './stateLabels';
import { showError, showInfo, showWarning, withNotificationProgress } from './ui/show';
import { l10n, shortPlain, type SafeText } from './ui/text';

export class GenerationService {
  private readonly progressShown = new Set<string>();
  private readonly overridesWarned = new Set<string>();

  constructor(
    private readonly engine: JobEngine,
    private readonly store: GalleryStore,
    private readonly keys: KeyService,
    private readonly log: Log,
    /** Opens the gallery beside the editor (set once the panel is wired). */
    private readonly revealGallery: (preserveFocus: boolean) => void,
  ) {}

  /**
   * Starts a generation and shows its progress. The webhook always comes from the user's current
   * settings (never from a workspace, never from an old entry). Returns the entry, or undefined (with the
   * reason shown) when it did not start.
   */
  async generate(options: GenerationOptions, source?: PromptSource): Promise<GalleryEntry | undefined> {
    const base = readApiBaseUrl();
    if ('error' in base) {
      const open = l10n.t('Open Settings');
      if ((await showError(base.error, open)) === open) {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'fluxStudio.apiBaseUrl');
      }
      return undefined;
    }
    await this.warnAboutWorkspaceOverrides();
    if (!(await this.keys.ensureKey())) return undefined;
    let entry: GalleryEntry;
    try {
      entry = await this.engine.start({ ...options, webhookUrl: readGenerationDefaults().value.webhookUrl }, source);
    } catch (error) {
      if (error instanceof ValidationError) {
        void showError(describeValidation(error.field));
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
    const entry = this.store.get(id);
    if (!entry || this.progressShown.has(id)) return;
    this.progressShown.add(id);
    const prompt = shortPlain(entry.options.prompt, 50);
    void withNotificationProgress(l10n.t('Flux: generating “{0}”', prompt), true, async (progress, token) => {
      const started = Date.now();
      let reported = 0;
      const report = () => {
        const current = this.store.get(id);
        if (!current) return;
        const increment = Math.max(0, current.progress - reported);
        reported += increment;
        const elapsed = Math.round((Date.now() - started) / 1000);
        progress.report(l10n.t('{0} · {1} s', stateLabel(current), elapsed), increment);
      };
      const ticker = setInterval(report, 1000);
      const subscription = this.store.onDidChange((change) => change.kind === 'upsert' && change.entry.id === id && report());
      token.onCancellationRequested(() => {
        void this.engine.stopWaiting(id).then(() =>
          showInfo(l10n.t('Stopped waiting for “{0}”. The job goes on at Apiframe; collect it from Flux: Show Jobs or the gallery.', prompt)),
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
    });
  }

  /** Continues the same user action (same idempotency key), so nothing can be charged twice. */
  async retry(id: string): Promise<void> {
    if (await this.engine.resume(id)) this.showProgress(id);
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
