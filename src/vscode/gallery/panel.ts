// The gallery webview panel: one owner class (createOrShow / revive / dispose), the serializer that
// restores it after a reload, and the bridge between the webview protocol and the store and actions (requests
// are answered in requests.ts, card buttons run in entryActions.ts). Everything the webview sends is validated by
// parseWebviewMessage, and entry ids must exist in the gallery.
import * as vscode from 'vscode';
import { COMMANDS } from '../../shared/commands';
import type { GalleryChange } from '../../gallery/store';
import type { ResponseParams } from '../../protocol/ipc';
import {
  DefaultsChangedNotification,
  EntriesChangedNotification,
  InitNotification,
  KeyStateNotification,
  ResponseNotification,
  isRequestMethod,
  type NotificationMethod,
  type NotificationParamsMap,
  type PromptDefaults,
  type WebviewMessage,
} from '../../protocol/gallery';
import type { IpcNotificationType } from '../../protocol/ipc';
import { parseWebviewMessage } from '../../protocol/validate';
import type { GalleryEntry } from '../../shared/entry';
import type { GenerationOptions } from '../../shared/options';
import type { EntryActionDeps } from '../editor/insertAction';
import { l10n } from '../ui/text';
import { droppedImageFile } from './droppedImage';
import { runEntryAction } from './entryActions';
import { toEntryView } from './entryView';
import { buildGalleryPage, localizedGalleryStrings } from './page';
import { PAGE_START_TIMEOUT_MS, PageStartWatch } from './pageStart';
import { answerRequest, RequestRefused, type RequestMessage } from './requests';
import { ThumbnailStore } from './thumbnailStore';

/** What the gallery asks the rest of the extension to do. */
export interface GalleryActions {
  /**
   * Starts a generation, or `variants` of them (1–4, the cost confirmed first when more than one); the
   * first entry, undefined when none started (the reason was shown).
   */
  generate(options: GenerationOptions, variants?: number, originalPrompt?: string): Promise<GalleryEntry | undefined>;
  /** A language model's rewrite of the prompt; undefined when there is none (the reason was shown, or the user cancelled). */
  enhancePrompt(prompt: string): Promise<string | undefined>;
  rerun(entry: GalleryEntry): Promise<void>;
  vary(entry: GalleryEntry): Promise<void>;
  useAsReference(entry: GalleryEntry): Promise<void>;
  importFromAccount(): Promise<void>;
  /** Continues a paused job. */
  retry(entry: GalleryEntry): Promise<void>;
  /** Removes an entry in any state (stops waiting first). */
  remove(entry: GalleryEntry): Promise<boolean>;
  star(entry: GalleryEntry, starred: boolean): Promise<void>;
  /** Keep this variant: offers to delete the other finished, unstarred variants of its group. */
  keep(entry: GalleryEntry): Promise<void>;
  /** An image file dropped onto the gallery: offers Re-run with the settings recorded in it. */
  rerunFromImage(file: vscode.Uri): Promise<void>;
}

export interface GalleryDeps extends EntryActionDeps {
  extensionUri: vscode.Uri;
  actions: GalleryActions;
  /** Prompt-bar defaults from the settings. */
  getDefaults(): PromptDefaults;
  /** Whether an API key is stored, and when that changes (the empty gallery says whether one is set). */
  apiKey: { isSet(): Promise<boolean>; onDidChange: vscode.Event<unknown> };
  /** Credits per image, from the one price source. */
  imageCost(): number;
  /** Resolves once the gallery store has loaded: the panel opens at once, its page is set after. */
  whenLoaded(): Promise<void>;
}

export interface ShowOptions {
  preserveFocus?: boolean;
  viewColumn?: vscode.ViewColumn;
}

const FLUSH_DELAY_MS = 50;
/** A page that never starts is opened again in a new panel at most this often in a row. */
const MAX_REOPENS = 2;

export class GalleryPanel {
  static readonly viewType = 'fluxStudio.gallery';
  private static current: GalleryPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly pendingUpserts = new Map<string, GalleryEntry>();
  private readonly pendingRemovals = new Set<string>();
  private readonly thumbnails: ThumbnailStore;
  private readonly pageStart: PageStartWatch;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The webview has sent `ready` since it was (re)loaded; until then updates are dropped (init resends all). */
  private webviewReady = false;
  private loggedThumbnailFailure = false;
  private disposed = false;

  /** Apiframe's price changed: the open gallery's cost labels follow at once. */
  static priceChanged(): void {
    const panel = GalleryPanel.current;
    if (!panel?.webviewReady) return;
    panel.post(EntriesChangedNotification, { upserts: [], removals: [], totalCredits: panel.deps.store.totalCreditsSpent(), imageCost: panel.deps.imageCost() });
  }

  /**
   * Reveals the gallery, creating it if needed. For a job that just started pass
   * `{ preserveFocus: true, viewColumn: vscode.ViewColumn.Beside }`: an already visible gallery is left where it is.
   */
  static createOrShow(deps: GalleryDeps, options: ShowOptions = {}): GalleryPanel {
    const preserveFocus = options.preserveFocus ?? false;
    const existing = GalleryPanel.current;
    if (existing) {
      if (!(preserveFocus && existing.panel.visible)) existing.panel.reveal(existing.panel.visible ? undefined : options.viewColumn, preserveFocus);
      return existing;
    }
    return GalleryPanel.open(deps, { viewColumn: options.viewColumn, preserveFocus }, 0);
  }

  private static open(deps: GalleryDeps, options: ShowOptions, reopens: number): GalleryPanel {
    const preserveFocus = options.preserveFocus ?? false;
    const panel = vscode.window.createWebviewPanel(
      GalleryPanel.viewType,
      l10n.t('Flux Gallery'),
      { viewColumn: options.viewColumn ?? vscode.ViewColumn.Active, preserveFocus },
      // Kept while hidden: the page holds ~5 MB of heap with 1,000 entries, ~12 MB with 10,000 (bench item 4), and
      // shows again in ~0.1 s; reloaded instead, it took ~1.5 s in code-server (a new page waits ~1 s for VS Code).
      { ...webviewOptions(deps), retainContextWhenHidden: true },
    );
    return new GalleryPanel(panel, deps, reopens);
  }

  /** Used by the serializer after a reload. */
  static revive(panel: vscode.WebviewPanel, deps: GalleryDeps): GalleryPanel {
    GalleryPanel.current?.dispose();
    panel.title = l10n.t('Flux Gallery'); // in the display language of now, not of the session that saved it
    panel.webview.options = webviewOptions(deps);
    return new GalleryPanel(panel, deps);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: GalleryDeps,
    private readonly reopens = 0,
  ) {
    GalleryPanel.current = this;
    this.thumbnails = new ThumbnailStore(deps.store, deps.log);
    this.pageStart = new PageStartWatch(panel, () => this.reopen());
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.png');
    this.disposables.push(
      this.pageStart,
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      deps.store.onDidChange((change) => this.onStoreChange(change)),
      deps.apiKey.onDidChange(() => void this.sendKeyState()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fluxStudio')) this.post(DefaultsChangedNotification, { defaults: this.deps.getDefaults() });
      }),
    );
    void this.render().catch((error) => deps.log.error(`Gallery: could not build the page: ${describe(error)}`));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (GalleryPanel.current === this) GalleryPanel.current = undefined;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  /**
   * Sets the page shell (see page.ts) once its files and first screenful are read. It does not wait for the
   * store's first load (with 10,000 entries 0.4–0.6 s): the page starts meanwhile, and its entries come with
   * `gallery/init` once the store has loaded.
   */
  private async render(): Promise<void> {
    const html = await buildGalleryPage({
      webview: this.panel.webview,
      extensionUri: this.deps.extensionUri,
      store: this.deps.store,
      thumbnails: this.thumbnails,
      settings: { strings: localizedGalleryStrings(), defaults: this.deps.getDefaults(), imageCost: this.deps.imageCost() },
      title: l10n.t('Flux Gallery'),
    });
    if (this.disposed) return;
    this.panel.webview.html = html;
    this.pageStart.expectStart();
  }

  /** The page never started (see pageStart.ts): the gallery again in a new panel, in the same place. */
  private reopen(): void {
    const seconds = PAGE_START_TIMEOUT_MS / 1000;
    if (this.reopens >= MAX_REOPENS) {
      this.deps.log.warn(`Gallery: the page did not start within ${seconds} s; close the gallery and open it again`);
      return;
    }
    this.deps.log.warn(`Gallery: the page did not start within ${seconds} s (VS Code's webview host hung); opening the gallery again`);
    const viewColumn = this.panel.viewColumn;
    this.dispose();
    GalleryPanel.open(this.deps, { viewColumn, preserveFocus: true }, this.reopens + 1);
  }

  private post<M extends NotificationMethod>(type: IpcNotificationType<M>, params: NotificationParamsMap[M]): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage({ method: type.method, params }).then(undefined, () => undefined);
  }

  private sendInit(): void {
    this.pendingUpserts.clear();
    this.pendingRemovals.clear();
    this.webviewReady = true;
    const { store } = this.deps;
    this.post(InitNotification, {
      entries: store.list().map((entry) => toEntryView(entry, this.panel.webview, store)),
      defaults: this.deps.getDefaults(),
      totalCredits: store.totalCreditsSpent(),
      imageCost: this.deps.imageCost(),
    });
    void this.sendKeyState();
  }

  private async sendKeyState(): Promise<void> {
    const hasApiKey = await this.deps.apiKey.isSet();
    if (this.webviewReady) this.post(KeyStateNotification, { hasApiKey });
  }

  /** Store changes are batched and sent as increments (never the whole list). */
  private onStoreChange(change: GalleryChange): void {
    if (!this.webviewReady) return;
    if (change.kind === 'upsert') {
      this.pendingRemovals.delete(change.entry.id);
      this.pendingUpserts.set(change.entry.id, change.entry);
    } else {
      this.pendingUpserts.delete(change.id);
      this.pendingRemovals.add(change.id);
    }
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (!this.webviewReady || (!this.pendingUpserts.size && !this.pendingRemovals.size)) return;
    const { store } = this.deps;
    const upserts = [...this.pendingUpserts.values()].map((entry) => toEntryView(entry, this.panel.webview, store));
    const removals = [...this.pendingRemovals];
    this.pendingUpserts.clear();
    this.pendingRemovals.clear();
    this.post(EntriesChangedNotification, { upserts, removals, totalCredits: store.totalCreditsSpent(), imageCost: this.deps.imageCost() });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`Gallery: ignored a message from the webview: ${parsed.reason}`);
      return;
    }
    const msg = parsed.msg;
    if (!isRequest(msg)) {
      await this.handleCommand(msg).catch((error) => this.deps.log.error(`Gallery: ${msg.method} failed: ${describe(error)}`));
      return;
    }
    let response: ResponseParams;
    try {
      await this.deps.whenLoaded(); // the first screen's cards may come from the first-screen file
      response = { requestId: msg.id, ok: true, result: await answerRequest(msg, this.deps, this.thumbnails, this.panel.webview) };
    } catch (error) {
      this.deps.log.warn(`Gallery: ${msg.method} failed: ${describe(error)}`);
      response = { requestId: msg.id, ok: false, error: error instanceof RequestRefused ? error.message : '' };
    }
    this.post(ResponseNotification, response);
  }

  private async handleCommand(msg: CommandMessage): Promise<void> {
    const { actions, log } = this.deps;
    if (msg.method === 'gallery/ready') {
      // VS Code loaded the page again (its state, the prompt bar's draft included, came back with it).
      if (this.webviewReady) log.info('Gallery: VS Code loaded the page again');
      this.pageStart.markStarted();
    }
    // Before the store has loaded, the first screen's cards come from the first-screen file: act on them after.
    await this.deps.whenLoaded();
    switch (msg.method) {
      case 'gallery/ready':
        return this.sendInit();
      case 'gallery/importFromAccount':
        return actions.importFromAccount();
      case 'gallery/setApiKey':
        return void (await vscode.commands.executeCommand(COMMANDS.setApiKey));
      case 'gallery/dropImage':
        return actions.rerunFromImage(droppedImageFile(msg.params.uri));
      case 'entry/thumbnailFailed':
        if (!this.loggedThumbnailFailure) {
          this.loggedThumbnailFailure = true;
          log.warn(`Gallery: the webview could not make a thumbnail (${msg.params.reason}); it shows the full image scaled down instead`);
        }
        return;
    }
    return runEntryAction(msg, this.deps);
  }
}

export type CommandMessage = Exclude<WebviewMessage, RequestMessage>;

function isRequest(msg: WebviewMessage): msg is RequestMessage {
  return isRequestMethod(msg.method);
}

function describe(error: unknown): string {
  return error instanceof Error && error.stack ? error.stack : String(error);
}

function webviewOptions(deps: GalleryDeps): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [
      // The codicons and the script's source map (the stylesheet and script are inlined, see page.ts).
      vscode.Uri.joinPath(deps.extensionUri, 'dist'),
      vscode.Uri.file(deps.store.imagesDir),
      vscode.Uri.file(deps.store.thumbsDir),
    ],
  };
}

/** Restores the gallery after a window reload (its page is set once the store has loaded); call from `activate`. */
export function registerGallerySerializer(deps: GalleryDeps): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(GalleryPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      GalleryPanel.revive(panel, deps);
    },
  });
}
