// The long-lived pieces one window runs on, built once at activation: the key, the API access, the shared
// gallery store and the job engine, and the VS Code services around them. `ready()` loads the gallery once
// and starts collecting unfinished jobs; every command waits for it.
import * as path from 'path';
import * as vscode from 'vscode';
import { GalleryStore } from '../gallery/store';
import { JobEngine } from '../jobs/engine';
import { KeyHolders } from '../jobs/keyHolders';
import { DurationModel } from '../jobs/schedule';
import { SpendLedger } from '../jobs/spend';
import type { Log } from '../shared/log';
import { ApiAccess } from './apiAccess';
import { SpendingBudget } from './budget';
import { EditorTracker } from './editor/editorTracker';
import { TargetFileWriter } from './editor/targetFiles';
import { ApiKeyStore, KeyService } from './keys';
import { createLog } from './log';
import { embedMetadataEnabled } from './settings';
import { PriceBook } from './prices';
import { FluxStatusBar } from './statusBar';

const DURATIONS_KEY = 'fluxStudio.durations';

export interface CoreServices {
  context: vscode.ExtensionContext;
  log: Log;
  keyStore: ApiKeyStore;
  api: ApiAccess;
  keys: KeyService;
  store: GalleryStore;
  engine: JobEngine;
  editors: EditorTracker;
  statusBar: FluxStatusBar;
  keyHolders: KeyHolders;
  targets: TargetFileWriter;
  /** The price of one image: Apiframe's price list, cached for a day (the one price source). */
  prices: PriceBook;
  /** Today's spending on this machine against fluxStudio.spendingLimit (every window shares it). */
  budget: SpendingBudget;
  /** Loads the gallery once and starts collecting unfinished jobs; a failure lets the next call try again. */
  ready(): Promise<void>;
  /** Gives this window's job leases to the other windows at once and stops the engine. */
  shutdown(): Promise<void>;
}

export function createCoreServices(context: vscode.ExtensionContext): CoreServices {
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
  const prices = new PriceBook(context.globalStorageUri.fsPath, api, log);
  const budget = new SpendingBudget(new SpendLedger(vscode.Uri.joinPath(context.globalStorageUri, 'spending').fsPath), log, () => prices.current().credits);
  const statusBar = new FluxStatusBar(store, keyStore, api, log, () => budget.today());
  const keyHolders = new KeyHolders(path.join(store.root, 'keyholders'));
  const targets = new TargetFileWriter(store, log);
  context.subscriptions.push(channel, keyStore, keys, editors, statusBar, prices, budget);

  let loading: Promise<void> | undefined;
  const ready = () =>
    (loading ??= (async () => {
      await store.load();
      statusBar.update();
      void prices.refresh();
      targets.landPending();
      if (await keyStore.get()) engine.resumeAll();
    })().catch((error) => {
      loading = undefined;
      throw error;
    }));
  const shutdown = async () => {
    await keyHolders.withdraw();
    await engine.dispose();
    store.dispose();
  };
  return { context, log, keyStore, api, keys, store, engine, editors, statusBar, keyHolders, targets, prices, budget, ready, shutdown };
}

/** Wraps a command so that it runs once the gallery is loaded. */
export function whenReady<A extends unknown[], R>(core: Pick<CoreServices, 'ready'>, run: (...args: A) => R) {
  return async (...args: A): Promise<Awaited<R>> => {
    await core.ready();
    return await run(...args);
  };
}
