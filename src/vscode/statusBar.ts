// The status bar item: running jobs and the credit balance, today's spending against the limit in its
// tooltip; a click opens Show Jobs (the gallery when no job is unfinished). It appears only
// once Flux Studio is in use here (a key is set or the gallery has entries), so the many repositories in
// which Markdown activates the extension are not given an item their users never asked for.
import type { GalleryStore } from '../gallery/store';
import { COMMANDS } from '../shared/commands';
import { isRunning } from '../shared/entry';
import type { Log } from '../shared/log';
import type { ApiAccess } from './apiAccess';
import { spendingSummary, type SpendingToday } from './budget';
import type { ApiKeyStore } from './keys';
import { StatusItem } from './ui/show';
import { icon, join, l10n, plain, type SafeText } from './ui/text';

/** Credits are read again at most this often (a batch of finished jobs makes one request, not one each). */
const CREDIT_REFRESH_DELAY_MS = 3000;

export class FluxStatusBar {
  private readonly item = new StatusItem('fluxStudio.status', l10n.t('Flux Studio'), COMMANDS.showJobs);
  private balance: number | undefined;
  private hasKey = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private spending: SafeText | undefined;
  /** A read of today's spending is under way (updates during it share it). */
  private readingSpending = false;
  /** What update() drew last, drawn again with the spending when that is read. */
  private drawn: { text: SafeText; action: SafeText; command: string } = { text: plain('Flux'), action: plain(''), command: COMMANDS.showJobs };

  constructor(
    private readonly store: GalleryStore,
    private readonly keys: ApiKeyStore,
    private readonly api: ApiAccess,
    private readonly log: Log,
    private readonly readSpending: () => Promise<SpendingToday>,
  ) {}

  /** Reads whether a key is set (for visibility) and redraws. */
  async refreshKeyState(): Promise<void> {
    this.hasKey = !!(await this.keys.get());
    if (!this.hasKey) this.balance = undefined;
    this.update();
  }

  /** The balance Apiframe last reported, if any. */
  credits(): number | undefined {
    return this.balance;
  }

  setCredits(credits: number | undefined): void {
    this.balance = credits;
    this.update();
  }

  /** Asks Apiframe for the balance soon; calls within the delay share one request. */
  scheduleCreditRefresh(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refreshCredits();
    }, CREDIT_REFRESH_DELAY_MS);
  }

  private async refreshCredits(): Promise<void> {
    if (!(await this.keys.get())) return;
    try {
      this.setCredits((await this.api.client().me()).credits);
    } catch (error) {
      this.log.warn(`could not read the credit balance: ${(error as { kind?: string }).kind ?? 'error'}`);
    }
  }

  update(): void {
    // Counted over the shared gallery, so every window shows the same numbers whichever window works on a job.
    const entries = this.store.list();
    const running = entries.filter((entry) => isRunning(entry.state)).length;
    const paused = entries.filter((entry) => entry.state === 'paused').length;
    const parts = [running > 0 ? join([icon('sync~spin'), l10n.t('Flux: {0} running', running)]) : join([icon('sparkle'), plain('Flux')])];
    if (paused > 0) parts.push(join([icon('debug-pause'), l10n.t('{0} paused', paused)]));
    if (this.balance !== undefined) parts.push(l10n.t('{0} credits', this.balance));
    const idle = running === 0 && paused === 0;
    this.drawn = {
      text: join(parts, ' · '),
      action: idle ? l10n.t('Flux Studio: open the gallery') : l10n.t('Flux Studio: show jobs and open the gallery'),
      command: idle ? COMMANDS.openGallery : COMMANDS.showJobs,
    };
    this.render();
    this.item.setVisible(this.hasKey || entries.length > 0);
    void this.refreshSpending();
  }

  private render(): void {
    const { text, action, command } = this.drawn;
    this.item.set(text, this.spending ? join([action, this.spending], '\n') : action, command);
  }

  private async refreshSpending(): Promise<void> {
    if (this.readingSpending) return;
    this.readingSpending = true;
    try {
      this.spending = spendingSummary(await this.readSpending());
      this.render();
    } catch (error) {
      this.log.warn(`could not read today's spending: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.readingSpending = false;
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.item.dispose();
  }
}
