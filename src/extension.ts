// The composition root: builds the core (store, engine) and the small VS Code services around it,
// registers the commands and the gallery, and collects unfinished jobs.
//
// Activation (see README, "Activation"): after start-up in every window, reading one secret. Without an
// API key nothing else happens (no status bar item, no gallery read) until a command is used. With a key the
// gallery is loaded and unfinished jobs are collected in whichever window is open, so a paid image is saved
// before its result links expire even when the window that started it is gone.
import * as path from 'path';
import * as vscode from 'vscode';
import { GalleryStore } from './gallery/store';
import { JobEngine, type EngineEvent } from './jobs/engine';
import { KeyHolders } from './jobs/keyHolders';
import { DurationModel } from './jobs/schedule';
import type { GalleryEntry } from './shared/entry';
import { ApiAccess } from './vscode/apiAccess';
import { generateFromSelection, generateWithOptions } from './vscode/commands/generate';
import { showJobs } from './vscode/commands/jobs';
import { generateWithReference } from './vscode/commands/reference';
import { rerunFromImage } from './vscode/commands/rerunFromImage';
import { registerChatParticipant } from './vscode/chat';
import { registerDropAndPaste } from './vscode/editor/dropPaste';
import { registerMissingImages } from './vscode/editor/missingImages';
import { registerImageHover } from './vscode/editor/hover';
import { TargetFileWriter } from './vscode/editor/targetFiles';
import { EditorTracker } from './vscode/editor/editorTracker';
import { insertIntoWorkspace } from './vscode/editor/insertAction';
import { GalleryPanel, registerGallerySerializer, type GalleryDeps } from './vscode/gallery/panel';
import { GenerationService } from './vscode/generation';
import { AccountImporter } from './vscode/importFromAccount';
import { ApiKeyStore, KeyService } from './vscode/keys';
import { createLog } from './vscode/log';
import { JobNotifier } from './vscode/notifier';
import { registerImageTool, type GenerateImageTool } from './vscode/lmTool';
import { embedMetadataEnabled, readGenerationDefaults, readVariantCount } from './vscode/settings';
import { FluxStatusBar } from './vscode/statusBar';
import { keepVariant } from './vscode/variants';

const DURATIONS_KEY = 'fluxStudio.durations';
/** Paused for these reasons, a job continues by itself once a (different) key is set. */
const KEY_REASONS = new Set(['invalidKey', 'inactiveKey', 'notFound']);

/** Handed to the in-host integration tests only (extension mode Test); not a public API. */
export interface FluxStudioTestApi {
  keys: KeyService;
  store: GalleryStore;
  engine: JobEngine;
  generation: GenerationService;
  importer: AccountImporter;
  imageTool: GenerateImageTool;
}

/** Stops the engine (giving its jobs' leases to the other windows at once) when the extension stops. */
let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FluxStudioTestApi | undefined> {
  const subscriptions = context.subscriptions;
  const channel = vscode.window.createOutputChannel('Flux Studio', { log: true });
  const keyStore = new ApiKeyStore(context.secrets);
  const log = createLog(channel, () => keyStore.peek());
  const api = new ApiAccess(keyStore, log);
  const keys = new KeyService(keyStore, () => api.client().me());
  const store = new GalleryStore(vscode.Uri.joinPath(context.globalStorageUri, 'gallery').fsPath, { log });
  const engine = new JobEngine({
    api: api.engineApi,
    store,
    durations: new DurationModel(context.globalState.get<number[]>(DURATIONS_KEY, [])),
    saveDurations: (samples) => void context.globalState.update(DURATIONS_KEY, samples),
    log,
    metadata: { enabled: embedMetadataEnabled, appVersion: String(context.extension.packageJSON.version ?? '') },
  });
  const editors = new EditorTracker();
  const statusBar = new FluxStatusBar(store, keyStore, api, log);
  const keyHolders = new KeyHolders(path.join(store.root, 'keyholders'));
  const targets = new TargetFileWriter(store, log);
  shutdown = async () => {
    await keyHolders.withdraw();
    await engine.dispose();
    store.dispose();
  };
  subscriptions.push(channel, keyStore, keys, editors, statusBar);

  /** Loads the gallery once and starts collecting unfinished jobs; every command waits for it. */
  let loading: Promise<void> | undefined;
  const ready = () =>
    (loading ??= (async () => {
      await store.load();
      statusBar.update();
      targets.landPending();
      if (await keyStore.get()) engine.resumeAll();
    })().catch((error) => {
      loading = undefined; // the next command tries again
      throw error;
    }));
  const whenReady =
    <A extends unknown[]>(run: (...args: A) => unknown) =>
    async (...args: A) => {
      await ready();
      return run(...args);
    };

  const galleryDeps: GalleryDeps = {
    extensionUri: context.extensionUri,
    store,
    log,
    editors,
    actions: {
      generate: async (options, count) => (await generation.generateVariants(options, undefined, { count }))[0],
      rerun: async (entry) => void (await generation.generate(entry.options, entry.source)),
      // Without a seed, the generation draws a new one.
      vary: async (entry) => void (await generation.generate({ ...entry.options, seed: undefined }, entry.source)),
      useAsReference: (entry: GalleryEntry) => generateWithReference(referenceDeps, entry),
      importFromAccount: async () => void (await importer.importFromAccount()),
      retry: (entry) => generation.retry(entry.id),
      remove: (entry) => engine.remove(entry.id),
      star: async (entry, starred) => void (await store.update(entry.id, { starred: starred || undefined })),
      keep: async (entry) => void (await keepVariant(entry, { store, log, remove: (id, onlyIf) => engine.remove(id, onlyIf) })),
      rerunFromImage: async (file) => void (await rerunFromImage(generation, file)),
    },
    getDefaults: () => {
      const { aspectRatio, outputFormat, outputQuality, raw, seed, imagePromptStrength } = readGenerationDefaults().value;
      return { aspectRatio, outputFormat, outputQuality, raw, seed, imagePromptStrength, variants: readVariantCount().value };
    },
  };
  const revealGallery = (preserveFocus: boolean) =>
    void GalleryPanel.createOrShow(galleryDeps, { preserveFocus, viewColumn: preserveFocus ? vscode.ViewColumn.Beside : undefined });
  const generation = new GenerationService(engine, store, keys, keyHolders, log, revealGallery);
  const importer = new AccountImporter(keys, api, store, engine, () => statusBar.scheduleCreditRefresh());
  const referenceDeps = { generation, keys, api, store };
  const notifier = new JobNotifier(generation, keys, revealGallery);
  const imageTool = registerImageTool({ generation, engine, store, log, editors });

  subscriptions.push(
    registerGallerySerializer(galleryDeps, ready),
    imageTool.registration,
    registerChatParticipant(context.extensionUri, editors),
    registerDropAndPaste(galleryDeps, ready),
    registerImageHover(log),
    registerMissingImages({ store, generation, targets, log }, ready),
    engine.onEvent((event) => {
      if (event.kind === 'completed') void targets.land(event.entry.id);
    }),
    engine.onEvent((event) => {
      if (!event.entry.imported) statusBar.scheduleCreditRefresh();
      // A job another window handed over is reported there (it started it), not here.
      if (!event.entry.delegated) void notifier.notify(event);
    }),
    generation.onDidSettleDelegated((entry) => void notifier.notify(settledEvent(entry))),
    store.onDidChange(() => statusBar.update()),
    keys.onDidCheckAccount((account) => statusBar.setCredits(account.credits)),
    keyStore.onDidChange(async () => {
      await statusBar.refreshKeyState();
      const key = await keyStore.get();
      await (key ? keyHolders.announce() : keyHolders.withdraw()).catch((error) => log.warn(`key marker: ${String(error)}`));
      if (!key) return;
      await ready();
      engine.resumeAll();
      for (const entry of store.list()) {
        if (entry.state === 'paused' && KEY_REASONS.has(entry.reason?.kind ?? '')) void generation.retry(entry.id);
      }
    }),
  );

  const commands: Record<string, (...args: any[]) => unknown> = {
    'fluxStudio.generateFromSelection': () => generateFromSelection(generation),
    'fluxStudio.generate': () => generateWithOptions(generation),
    'fluxStudio.generateWithReference': (uri?: vscode.Uri) => generateWithReference(referenceDeps, uri instanceof vscode.Uri ? uri : undefined),
    'fluxStudio.setApiKey': () => keys.promptForKey(),
    'fluxStudio.clearApiKey': () => keys.clearKey(),
    'fluxStudio.showJobs': () => showJobs({ store, engine, generation }),
    'fluxStudio.openGallery': () => revealGallery(false),
    'fluxStudio.importFromAccount': () => importer.importFromAccount(),
    'fluxStudio.rerunFromImage': (uri?: vscode.Uri) => rerunFromImage(generation, uri instanceof vscode.Uri ? uri : undefined),
    // Used by notifications ("Image ready" → Insert into workspace); not in the palette.
    'fluxStudio.insertIntoWorkspace': (id: unknown) => {
      const entry = typeof id === 'string' ? store.get(id) : undefined;
      return entry ? insertIntoWorkspace(entry, galleryDeps) : undefined;
    },
  };
  for (const [id, handler] of Object.entries(commands)) subscriptions.push(vscode.commands.registerCommand(id, whenReady(handler)));

  // Activation does not wait for the gallery (a command that triggered it would wait too); commands do.
  const starting = statusBar
    .refreshKeyState()
    .then(async () => (await keyStore.get()) && (await keyHolders.announce(), await ready()))
    .catch((error) => log.error(`could not load the gallery: ${error instanceof Error ? error.message : String(error)}`));
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  await starting;
  await ready();
  return { keys, store, engine, generation, importer, imageTool: imageTool.tool };
}

/** The engine event a job that ended in another window stands for, to report it here. */
function settledEvent(entry: GalleryEntry): EngineEvent {
  return { kind: entry.state === 'completed' ? 'completed' : entry.state === 'failed' ? 'failed' : 'needsAttention', entry };
}

export async function deactivate(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
