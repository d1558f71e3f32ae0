// "Import from Account": Ultra images made elsewhere (another machine, a script) come into the gallery as
// one batch — one progress notification with a count and Cancel, at most 4 downloads at once (the core's
// importer), and one summary at the end instead of a notification per image.
import type { GalleryStore } from '../gallery/store';
import type { JobEngine } from '../jobs/engine';
import { importFromAccount, type ImportSummary } from '../jobs/import';
import type { ApiAccess } from './apiAccess';
import { describeError } from './errorMessages';
import type { KeyService } from './keys';
import { showError, showInfo, withNotificationProgress } from './ui/show';
import { join, l10n, type SafeText } from './ui/text';

export class AccountImporter {
  constructor(
    private readonly keys: KeyService,
    private readonly api: ApiAccess,
    private readonly store: GalleryStore,
    private readonly engine: JobEngine,
    /** Called once after the batch (e.g. to read the credit balance once). */
    private readonly onFinished: () => void,
  ) {}

  /** Runs the import; resolves with its summary (undefined when it did not start or failed, with the reason shown). */
  async importFromAccount(): Promise<ImportSummary | undefined> {
    if (!(await this.keys.ensureKey())) return undefined;
    return withNotificationProgress(l10n.t('Flux: importing from your Apiframe account'), true, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      progress.report(l10n.t('Listing your images…'));
      let reported = 0;
      try {
        const summary = await importFromAccount(
          { api: this.api.client(), engine: this.engine, findByJobId: (jobId) => this.store.findByJobId(jobId) },
          {
            signal: controller.signal,
            onProgress: ({ done, total }) => {
              const increment = total > 0 ? ((done - reported) / total) * 100 : 0;
              reported = done;
              progress.report(l10n.t('{0} of {1} images', done, total), increment);
            },
          },
        );
        void showInfo(summaryMessage(summary));
        return summary;
      } catch (error) {
        if (!controller.signal.aborted) void showError(describeError(error));
        return undefined;
      } finally {
        this.onFinished();
      }
    });
  }
}

function summaryMessage(summary: ImportSummary): SafeText {
  const parts: SafeText[] = [
    summary.cancelled
      ? l10n.t('Import cancelled after {0} images.', summary.imported)
      : summary.imported === 0
        ? l10n.t('Nothing new to import.')
        : l10n.t('Imported {0} images.', summary.imported),
  ];
  if (summary.expired > 0) parts.push(l10n.t('{0} had expired at Apiframe.', summary.expired));
  if (summary.failed > 0) parts.push(l10n.t('{0} could not be saved yet: they are paused in the gallery (Retry there).', summary.failed));
  if (summary.listingCut) parts.push(l10n.t('Apiframe listed more than Flux Studio reads at once; run the import again for older images.'));
  return join(parts);
}
