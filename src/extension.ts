// The composition root: builds the core (store, engine) and the small VS Code services around it,
// registers the commands and the gallery, and resumes unfinished jobs.
import * as vscode from 'vscode';
import { GalleryStore } from './gallery/store';
import { JobEngine } from './jobs/engine';
import { DurationModel } from './jobs/schedule';
import { isTerminal, type GalleryEntry } from './shared/entry';
import { ApiAccess } from './vscode/apiAccess';
import { generateFromSelection, generateWithOptions } from './vscode/commands/generate';
import { showJobs } from './vscode/commands/jobs';
import { generateWithReference } from './vscode/commands/reference';
import { EditorTracker } from './vscode/editor/editorTracker';
import { insertIntoWorkspace } from './vscode/editor/insertAction';
import { GalleryPanel, registerGallerySerializer, type GalleryDeps } from './vscode/gallery/panel';
import { GenerationService } from './vscode/generation';
import { AccountImporter } from './vscode/importFromAccount';
import { ApiKeyStore, KeyService } from './vscode/keys';
import { createLog } from './vscode/log';
import { JobNotifier } from './vscode/notifier';
import { readGenerationDefaults } from './vscode/settings';
import { FluxStatusBar } from './vscode/statusBar';

const DURATIONS_KEY = 'fluxStudio.durations';

/** Handed to the in-host integration tests only (extension mode Test); not a public API. */
export interface FluxStudioTestApi {
  keys: KeyService;
  store: GalleryStore;
  engine: JobEngine;
  generation: GenerationService;
  importer: AccountImporter;
}

export async function activate(context: vscode.ExtensionContext): Promise<FluxStudioTestApi | undefined> {
  const subscriptions = context.subscriptions;
  const channel = vscode.window.createOutputChannel('Flux Studio', { log: true });
  const keyStore = new ApiKeyStore(context.secrets);
  const log = createLog(channel, () => keyStore.peek());
  const api = new ApiAccess(keyStore, log);
  const keys = new KeyService(keyStore, () => api.client().me());
  const store = new GalleryStore(vscode.Uri.joinPath(context.globalStorageUri, 'gallery').fsPath);
  const durations = new DurationModel(context.globalState.get<number[]>(DURATIONS_KEY, []));
  const engine = new JobEngine({
    api: api.engineApi,
    store,
    durations,
    saveDurations: (samples) => void context.globalState.update(DURATIONS_KEY, samples),
    log,
  });
  const editors = new EditorTracker();
  const statusBar = new FluxStatusBar(store, engine, keyStore, api, log);
  subscriptions.push(channel, keyStore, keys, editors, statusBar, { dispose: () => engine.dispose() });

  const galleryDeps: GalleryDeps = {
    extensionUri: context.extensionUri,
    store,
    log,
    editors,
    actions: {
      generate: (options) => generation.generate(options),
      rerun: async (entry) => void (await generation.generate(entry.options, entry.source)),
      vary: async (entry) => void (await generation.generate({ ...entry.options, seed: randomSeed() }, entry.source)),
      useAsReference: (entry: GalleryEntry) => generateWithReference(referenceDeps, entry),
      importFromAccount: async () => void (await importer.importFromAccount()),
    },
    getDefaults: () => {
      const { aspectRatio, outputFormat, outputQuality, raw, seed, imagePromptStrength } = readGenerationDefaults().value;
      return { aspectRatio, outputFormat, outputQuality, raw, seed, imagePromptStrength };
    },
  };
  const revealGallery = (preserveFocus: boolean) =>
    void GalleryPanel.createOrShow(galleryDeps, { preserveFocus, viewColumn: preserveFocus ? vscode.ViewColumn.Beside : undefined });
  const generation = new GenerationService(engine, store, keys, log, revealGallery);
  const importer = new AccountImporter(keys, api, store, engine);
  const referenceDeps = { generation, keys, api, store };
  const notifier = new JobNotifier(generation, keys, revealGallery);

  subscriptions.push(
    registerGallerySerializer(galleryDeps),
    engine.onEvent((event) => {
      statusBar.scheduleCreditRefresh();
      void notifier.notify(event);
    }),
    store.onDidChange(() => statusBar.update()),
    keys.onDidCheckAccount((account) => statusBar.setCredits(account.credits)),
    keyStore.onDidChange(() => {
      void statusBar.refreshKeyState();
      void keyStore.get().then((key) => key && resumeJobsWaitingForKey(store, engine));
    }),
  );

  const commands: Record<string, (...args: any[]) => unknown> = {
    'fluxStudio.generateFromSelection': () => generateFromSelection(generation),
    'fluxStudio.generate': () => generateWithOptions(generation),
    'fluxStudio.generateWithReference': (uri?: vscode.Uri) => generateWithReference(referenceDeps, uri instanceof vscode.Uri ? uri : undefined),
    'fluxStudio.setApiKey': () => keys.promptForKey(),
    'fluxStudio.clearApiKey': () => keys.clearKey(),
    'fluxStudio.showJobs': () => showJobs(store, engine, generation),
    'fluxStudio.openGallery': () => revealGallery(false),
    'fluxStudio.importFromAccount': () => importer.importFromAccount(),
    // Used by notifications ("Image ready" → Insert into workspace); not in the palette.
    'fluxStudio.insertIntoWorkspace': (id: unknown) => {
      const entry = typeof id === 'string' ? store.get(id) : undefined;
      return entry ? insertIntoWorkspace(entry, galleryDeps) : undefined;
    },
  };
  for (const [id, handler] of Object.entries(commands)) subscriptions.push(vscode.commands.registerCommand(id, handler));

  await store.load();
  await statusBar.refreshKeyState();
  if (store.list().some((entry) => !isTerminal(entry.state)) && (await keyStore.get())) engine.resumeAll();
  return context.extensionMode === vscode.ExtensionMode.Test ? { keys, store, engine, generation, importer } : undefined;
}

/** Jobs that paused for want of a key continue once one is set. */
function resumeJobsWaitingForKey(store: GalleryStore, engine: JobEngine): void {
  for (const entry of store.list()) {
    if (!isTerminal(entry.state) && !engine.isActive(entry.id)) engine.collect(entry.id);
  }
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

export function deactivate(): void {}
