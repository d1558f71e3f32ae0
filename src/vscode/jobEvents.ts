// What happens in this window when jobs move or the key changes: results land in their target files, the
// status bar and notifications follow, and a new key resumes the jobs paused for want of one.
import * as vscode from 'vscode';
import type { EngineEvent } from '../jobs/engine';
import type { GalleryEntry } from '../shared/entry';
import type { Features } from './features';
import { GalleryPanel } from './gallery/panel';
import type { CoreServices } from './services';
import { showInfo } from './ui/show';
import { l10n } from './ui/text';

/** Paused for these reasons, a job can continue once a (different) key is set: the user is asked first. */
const KEY_REASONS = new Set(['invalidKey', 'inactiveKey', 'notFound']);

export function registerJobEvents(core: CoreServices, features: Features): vscode.Disposable {
  const { engine, store, statusBar, targets } = core;
  const { notifier, generation, placements } = features;
  return vscode.Disposable.from(
    placements,
    core.prices.onDidChange(() => GalleryPanel.priceChanged()),
    engine.onEvent((event) => {
      if (event.kind !== 'completed') return;
      void targets.land(event.entry.id);
      placements.completed(event.entry);
    }),
    engine.onEvent((event) => {
      if (!event.entry.imported) statusBar.scheduleCreditRefresh();
      // A job another window handed over is reported there (it started it), not here; a placed image needs no "ready".
      if (!event.entry.delegated && !placements.placesCompleted(event)) void notifier.notify(event);
    }),
    generation.onDidSettleDelegated((entry) => {
      const event = settledEvent(entry);
      if (!placements.placesCompleted(event)) void notifier.notify(event);
    }),
    store.onDidChange((change) => {
      statusBar.update();
      // Every window sees every change of the shared gallery; the ledger refunds each failure once.
      if (change.kind === 'upsert') void core.budget.refundIfFailed(change.entry);
    }),
    core.budget.onDidChange(() => statusBar.update()),
    core.keys.onDidCheckAccount((account) => statusBar.setCredits(account.credits)),
    core.keyStore.onDidChange(() => onKeyChanged(core, features)),
  );
}

async function onKeyChanged(core: CoreServices, { generation }: Features): Promise<void> {
  await core.statusBar.refreshKeyState();
  const key = await core.keyStore.get();
  await setHasApiKeyContext(key !== undefined);
  await (key ? core.keyHolders.announce() : core.keyHolders.withdraw()).catch((error) => core.log.warn(`key marker: ${String(error)}`));
  if (!key) return core.engine.stopCollecting();
  await core.ready();
  core.engine.resumeAll();
  // Jobs paused under another key would be charged to this one: asked, never retried by themselves.
  const paused = core.store.list().filter((entry) => entry.state === 'paused' && KEY_REASONS.has(entry.reason?.kind ?? ''));
  if (paused.length === 0) return;
  const retryAll = l10n.t('Retry with This Key');
  const question = l10n.t('{0} paused jobs stopped on a key problem. Retry them with the new API key? They are charged to it.', paused.length);
  if ((await showInfo(question, retryAll)) === retryAll) for (const entry of paused) void generation.retry(entry.id);
}

/** The engine event a job that ended in another window stands for, to report it here. */
function settledEvent(entry: GalleryEntry): EngineEvent {
  return { kind: entry.state === 'completed' ? 'completed' : entry.state === 'failed' ? 'failed' : 'needsAttention', entry };
}

/** Activation does not wait for the gallery (a command that triggered it would wait too); commands do. */
export function startWindow(core: CoreServices): Promise<unknown> {
  return core.statusBar
    .refreshKeyState()
    .then(async () => {
      const key = await core.keyStore.get();
      await setHasApiKeyContext(key !== undefined);
      return key && (await core.keyHolders.announce(), await core.ready());
    })
    .catch((error) => core.log.error(`could not load the gallery: ${error instanceof Error ? error.message : String(error)}`));
}

/** `fluxStudio.hasApiKey`: the walkthrough's key step completes only once a key is stored. */
function setHasApiKeyContext(hasApiKey: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'fluxStudio.hasApiKey', hasApiKey);
}
