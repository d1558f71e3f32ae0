// The daily spending limit (fluxStudio.spendingLimit) over the shared ledger (src/jobs/spend.ts): every paid
// request reserves its credits here before any job starts; a request that would pass today's limit stops
// with a modal of its own (shown from wherever the request came, the language model tool's invoke included,
// so no auto-approval skips it) that offers to raise today's limit. Failed jobs are refunded by Apiframe and
// given back here.
import * as vscode from 'vscode';
import type { SpendDay, SpendLedger } from '../jobs/spend';
import type { GalleryEntry } from '../shared/entry';
import type { Log } from '../shared/log';
import { readSpendingLimit, SECTION } from './settings';
import { askModal } from './ui/show';
import { join, l10n, type SafeText } from './ui/text';

/** Today's spending with the limit in force (0 = none). */
export interface SpendingToday extends SpendDay {
  limit: number;
}

export class SpendingBudget implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Today's spending changed in this window (other windows' changes show at the next read). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly ledger: SpendLedger,
    private readonly log: Log,
    /** What one image costs now (credits), for refunds. */
    private readonly imageCredits: () => number,
  ) {}

  /**
   * Reserves `credits` for a request, or — when that would pass today's limit — asks whether to raise
   * today's limit. Resolves false (nothing reserved) when the request must stop before any job.
   * `reason` names the request in the log.
   */
  async ensureWithinSpendingLimit(credits: number, reason: string): Promise<boolean> {
    const limit = readSpendingLimit();
    for (;;) {
      const reservation = await this.ledger.reserve(credits, limit);
      if (reservation.ok) {
        this.log.info(`spending: ${credits} credits reserved for ${reason} (today ${reservation.day.spent}${limit ? ` of ${Math.max(limit, reservation.day.raisedLimit ?? 0)}` : ''})`);
        this.changed.fire();
        return true;
      }
      const raiseTo = Math.max(reservation.limit * 2, reservation.day.spent + credits);
      this.log.warn(`spending: ${reason} (${credits} credits) would pass today's limit (${reservation.day.spent} of ${reservation.limit} spent)`);
      if (!(await askToRaise(credits, reservation.day.spent, reservation.limit, raiseTo))) return false;
      await this.ledger.raiseToday(raiseTo);
      this.log.info(`spending: today's limit raised to ${raiseTo} by the user`);
    }
  }

  /** Gives back credits reserved at `reservedAt` for images that were never sent (see SpendLedger.release). */
  async release(credits: number, reservedAt: number, reason: string): Promise<void> {
    try {
      const day = await this.ledger.release(credits, reservedAt);
      this.log.info(`spending: ${credits} credits released, ${reason} (today ${day.spent})`);
      this.changed.fire();
    } catch (error) {
      this.log.warn(`spending: could not release ${credits} credits: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Gives back what a failed job reserved (Apiframe refunds failed jobs); once per job, whichever window sees it. */
  async refundIfFailed(entry: GalleryEntry): Promise<void> {
    if (entry.state !== 'failed' || entry.imported || (entry.creditCost ?? 0) > 0) return;
    try {
      if (await this.ledger.refund(`${entry.id}@${entry.completedAt ?? 0}`, this.imageCredits(), entry.createdAt)) this.changed.fire();
    } catch (error) {
      this.log.warn(`spending: could not refund ${entry.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async today(): Promise<SpendingToday> {
    const setting = readSpendingLimit();
    const day = await this.ledger.today();
    return { ...day, limit: setting === 0 ? 0 : Math.max(setting, day.raisedLimit ?? 0) };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The over-limit modal; resolves whether the user raised today's limit. */
async function askToRaise(credits: number, spent: number, limit: number, raiseTo: number): Promise<boolean> {
  const raise = l10n.t("Raise Today's Limit to {0}", raiseTo);
  const settings = l10n.t('Open Settings');
  const detail: SafeText = join([
    l10n.t('This request costs {0} credits, and {1} of today’s {2} credits are already spent.', credits, spent, limit),
    l10n.t('Nothing was sent. The limit protects you from runaway requests (an agent calling the image tool in a loop); change it with the setting fluxStudio.spendingLimit.'),
  ]);
  const answer = await askModal(l10n.t('Flux: this would pass today’s spending limit'), detail, raise, settings);
  if (answer === settings) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.spendingLimit`);
  return answer === raise;
}

/** "Today: 42 of 300 credits spent", for the status bar tooltip. */
export function spendingSummary(today: SpendingToday): SafeText {
  return today.limit === 0
    ? l10n.t('Today: {0} credits spent (no daily limit)', today.spent)
    : l10n.t('Today: {0} of {1} credits spent (daily limit)', today.spent, today.limit);
}
