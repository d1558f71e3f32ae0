// "Import from Account": brings Ultra jobs made elsewhere (another machine, a script) into the gallery.
import { randomUUID } from 'crypto';
import type { GalleryStore } from '../gallery/store';
import type { JobEngine } from '../jobs/engine';
import { MODEL_ID, isAspectRatio, isOutputFormat, type GenerationOptions } from '../shared/options';
import type { ApiAccess } from './apiAccess';
import { describeError } from './errorMessages';
import type { KeyService } from './keys';
import { showError, showInfo, withNotificationProgress } from './ui/show';
import { l10n } from './ui/text';

export class AccountImporter {
  constructor(
    private readonly keys: KeyService,
    private readonly api: ApiAccess,
    private readonly store: GalleryStore,
    private readonly engine: JobEngine,
  ) {}

  async importFromAccount(): Promise<number> {
    if (!(await this.keys.ensureKey())) return 0;
    return withNotificationProgress(l10n.t('Flux: importing from your Apiframe account'), true, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let cursor: string | undefined;
      let imported = 0;
      try {
        do {
          const page = await this.api.client().listJobs({ cursor, limit: 50, status: 'COMPLETED' }, { signal: controller.signal });
          for (const job of page.jobs) {
            if (job.status !== 'COMPLETED' || job.expired || (job.model && job.model !== MODEL_ID)) continue;
            if (this.store.findByJobId(job.id)) continue;
            const entry = await this.store.put({
              id: randomUUID(),
              jobId: job.id,
              options: optionsFromJobInput(job.input),
              state: 'queued',
              progress: 100,
              createdAt: job.createdAt ?? Date.now(),
              acceptedAt: job.createdAt,
              creditCost: job.creditCost,
              imported: true,
            });
            this.engine.collect(entry.id);
            imported++;
            progress.report(l10n.t('{0} imported', imported));
          }
          cursor = page.hasMore ? page.nextCursor : undefined;
        } while (cursor && !token.isCancellationRequested);
      } catch (error) {
        if (!token.isCancellationRequested) void showError(describeError(error));
      }
      void showInfo(imported === 0 ? l10n.t('Nothing new to import.') : l10n.t('Importing {0} images into the gallery.', imported));
      return imported;
    });
  }
}

/** The options a job was made with, as far as the service reports them (defensively: unsure shape). */
function optionsFromJobInput(input: unknown): GenerationOptions {
  const record = (input && typeof input === 'object' ? input : {}) as Record<string, any>;
  const params = (record.fluxParams && typeof record.fluxParams === 'object' ? record.fluxParams : {}) as Record<string, unknown>;
  return {
    prompt: typeof record.prompt === 'string' && record.prompt.trim() ? record.prompt.slice(0, 2000) : l10n.t('(imported image)'),
    aspectRatio: isAspectRatio(params.aspect_ratio) ? params.aspect_ratio : '16:9',
    outputFormat: isOutputFormat(params.output_format) ? params.output_format : 'jpg',
    outputQuality: Number.isInteger(params.output_quality) ? (params.output_quality as number) : 90,
    raw: params.raw === true,
    seed: Number.isSafeInteger(params.seed) ? (params.seed as number) : undefined,
    imagePrompt: typeof params.image_prompt === 'string' ? params.image_prompt : undefined,
    imagePromptStrength: typeof params.image_prompt_strength === 'number' ? params.image_prompt_strength : undefined,
  };
}
