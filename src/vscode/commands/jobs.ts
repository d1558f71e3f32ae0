// "Show Jobs": what is unfinished, with "Stop waiting" / "Resume waiting" for each.
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import type { JobEngine } from '../../jobs/engine';
import type { GalleryEntry } from '../../shared/entry';
import type { GenerationService } from '../generation';
import { stateLabel } from '../stateLabels';
import { pick } from '../ui/show';
import { icon, join, l10n, plain, shortPlain } from '../ui/text';

export async function showJobs(store: GalleryStore, engine: JobEngine, generation: GenerationService): Promise<void> {
  const unfinished = store.list().filter((entry) => entry.state !== 'completed' && !(entry.state === 'failed' && entry.jobId));
  const openGallery = { label: join([icon('file-media'), l10n.t('Open Gallery')]), entry: undefined as GalleryEntry | undefined };
  const items = unfinished.map((entry) => ({
    label: shortPlain(entry.options.prompt, 70),
    description: engine.isActive(entry.id) ? stateLabel(entry) : entry.error ? plain(entry.error) : l10n.t('Not waiting'),
    entry,
  }));
  const picked = await pick([openGallery, ...items], {
    title: items.length ? l10n.t('Flux: jobs') : l10n.t('Flux: no jobs running'),
  });
  if (!picked) return;
  if (!picked.entry) return void vscode.commands.executeCommand('fluxStudio.openGallery');
  const entry = picked.entry;
  const stop = { label: l10n.t('Stop waiting') };
  const resume = { label: l10n.t('Resume waiting') };
  const action = await pick(engine.isActive(entry.id) ? [stop] : [resume], { title: shortPlain(entry.options.prompt, 70) });
  if (action === stop) await engine.cancel(entry.id);
  if (action === resume) generation.retry(entry.id);
}
