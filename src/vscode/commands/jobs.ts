// "Show Jobs": every unfinished job (running here, running in another window, or paused with its
// reason), with what can be done to each: stop waiting, resume, or forget it.
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import type { JobEngine } from '../../jobs/engine';
import { COMMANDS } from '../../shared/commands';
import { isRunning, type GalleryEntry } from '../../shared/entry';
import { describeReason } from '../errorMessages';
import type { GenerationService } from '../generation';
import { stateLabel } from '../stateLabels';
import { askModal, pick } from '../ui/show';
import { icon, join, l10n, shortPlain, type SafeText } from '../ui/text';

export interface JobsDeps {
  store: GalleryStore;
  engine: JobEngine;
  generation: GenerationService;
}

export async function showJobs({ store, engine, generation }: JobsDeps): Promise<void> {
  const unfinished = store.list().filter((entry) => isRunning(entry.state) || entry.state === 'paused');
  const openGallery = { label: join([icon('file-media'), l10n.t('Open Gallery')]), entry: undefined as GalleryEntry | undefined };
  const items = unfinished.map((entry) => ({ label: shortPlain(entry.options.prompt, 70), description: jobStatus(entry, engine), entry }));
  const picked = await pick([openGallery, ...items], { title: items.length ? l10n.t('Flux: jobs') : l10n.t('Flux: no jobs running') });
  if (!picked) return;
  if (!picked.entry) return void vscode.commands.executeCommand(COMMANDS.openGallery);
  const entry = picked.entry;
  const stop = { label: l10n.t('Stop waiting'), detail: l10n.t('The job goes on at Apiframe; Resume collects it later.') };
  const resume = { label: l10n.t('Resume') };
  const forget = { label: l10n.t('Forget'), detail: l10n.t('Remove it from the gallery without collecting the image.') };
  const actions = isRunning(entry.state) ? [stop, forget] : [resume, forget];
  const action = await pick(actions, { title: shortPlain(entry.options.prompt, 70) });
  if (action === stop) await engine.stopWaiting(entry.id);
  if (action === resume) await generation.retry(entry.id);
  if (action === forget && (await confirmForget(entry))) await engine.remove(entry.id);
}

function jobStatus(entry: GalleryEntry, engine: JobEngine): SafeText {
  if (entry.state === 'paused') return join([icon('debug-pause'), entry.reason ? describeReason(entry.reason) : l10n.t('Paused')]);
  return engine.isActive(entry.id) ? stateLabel(entry) : l10n.t('Running in another window');
}

/** Forgetting an unfinished job gives up a paid image: ask first, and say the job continues at Apiframe. */
export async function confirmForget(entry: GalleryEntry): Promise<boolean> {
  const forget = l10n.t('Forget');
  const detail = entry.jobId
    ? l10n.t('The job goes on at Apiframe and is charged there; Flux Studio will not collect its image. “{0}”', shortPlain(entry.options.prompt, 200))
    : l10n.t('The request never reached Apiframe, so nothing was charged. “{0}”', shortPlain(entry.options.prompt, 200));
  return (await askModal(l10n.t('Forget this unfinished image?'), detail, forget)) === forget;
}
