// The gallery webview panel: one owner class (createOrShow / revive / dispose), the serializer that
// restores it after a reload, and the bridge between the webview protocol and the store/actions.
// Everything the webview sends is validated by `parseWebviewMessage`, and ids must exist in the gallery.
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../gallery/files';
import type { GalleryChange, GalleryStore } from '../gallery/store';
import {
  DidCompleteNotification,
  EntriesChangedNotification,
  FillPromptBarNotification,
  DefaultsChangedNotification,
  InitNotification,
  THUMBNAIL_DATA_URL_PREFIX,
  THUMBNAIL_MAX_BYTES,
  notificationMessage,
  parseWebviewMessage,
  type EntryView,
  type IpcNotificationType,
  type NotificationMethod,
  type NotificationParamsMap,
  type PromptDefaults,
  type PromptOptions,
  type WebviewMessage,
} from '../protocol/messages';
import { GALLERY_STRINGS_EN, GALLERY_STRING_KEYS, type GalleryStrings } from '../protocol/strings';
import { isTerminal, type GalleryEntry } from '../shared/entry';
import type { GenerationOptions } from '../shared/options';
import { renderGalleryHtml } from '../webview/html';
import {
  copyImageLink,
  deleteEntry,
  insertIntoWorkspace,
  openFullSize,
  saveImageAs,
  trackActiveTextEditor,
  type GalleryLog,
} from './insertImage';

export { copyImageLink, deleteEntry, insertIntoWorkspace, openFullSize, saveImageAs, type GalleryLog } from './insertImage';

/** What the gallery asks the job engine to do; implemented by the extension wiring. */
export interface GalleryActions {
  generate(options: GenerationOptions): Promise<void>;
  rerun(entry: GalleryEntry): Promise<void>;
  vary(entry: GalleryEntry): Promise<void>;
  useAsReference(entry: GalleryEntry): Promise<void>;
  importFromAccount(): Promise<void>;
}

export interface GalleryDeps {
  extensionUri: vscode.Uri;
  store: GalleryStore;
  log: GalleryLog;
  /** Webview strings; missing keys fall back to `localizedGalleryStrings()`. */
  strings?: Partial<GalleryStrings>;
  actions: GalleryActions;
  /** Prompt-bar defaults from the settings. */
  getDefaults(): PromptDefaults;
}

export interface ShowOptions {
  preserveFocus?: boolean;
  viewColumn?: vscode.ViewColumn;
}

/** The English table run through `vscode.l10n.t` (English text is the key in l10n/bundle.l10n.*.json). */
export function localizedGalleryStrings(): GalleryStrings {
  const strings = {} as GalleryStrings;
  for (const key of GALLERY_STRING_KEYS) strings[key] = vscode.l10n.t(GALLERY_STRINGS_EN[key]);
  return strings;
}

const FLUSH_DELAY_MS = 50;

export class GalleryPanel {
  static readonly viewType = 'fluxStudio.gallery';
  private static current: GalleryPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly pendingUpserts = new Map<string, GalleryEntry>();
  private readonly pendingRemovals = new Set<string>();
  private readonly thumbnailsInFlight = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The webview has sent `ready` since it was (re)loaded; until then updates are dropped (init resends all). */
  private webviewReady = false;
  private loggedThumbnailFailure = false;
  private disposed = false;

  /** The open panel, if any. */
  static get currentPanel(): GalleryPanel | undefined {
    return GalleryPanel.current;
  }

  /**
   * Reveals the gallery, creating it if needed. For a job that just started pass
   * `{ preserveFocus: true, viewColumn: vscode.ViewColumn.Beside }`: an already visible gallery is
   * left where it is.
   */
  static createOrShow(deps: GalleryDeps, options: ShowOptions = {}): GalleryPanel {
    const preserveFocus = options.preserveFocus ?? false;
    const existing = GalleryPanel.current;
    if (existing) {
      if (!(preserveFocus && existing.panel.visible)) {
        existing.panel.reveal(existing.panel.visible ? undefined : options.viewColumn, preserveFocus);
      }
      return existing;
    }
    const viewColumn = options.viewColumn ?? vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(
      GalleryPanel.viewType,
      vscode.l10n.t('Flux Gallery'),
      { viewColumn, preserveFocus },
      { ...webviewOptions(deps), retainContextWhenHidden: false },
    );
    return new GalleryPanel(panel, deps);
  }

  /** Used by the serializer after a reload. */
  static revive(panel: vscode.WebviewPanel, deps: GalleryDeps): GalleryPanel {
    GalleryPanel.current?.dispose();
    panel.webview.options = webviewOptions(deps);
    return new GalleryPanel(panel, deps);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: GalleryDeps,
  ) {
    GalleryPanel.current = this;
    panel.title = vscode.l10n.t('Flux Gallery');
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidChangeViewState(() => {
        // Without retainContextWhenHidden the page is torn down when hidden and reloads when shown.
        if (!panel.visible) this.webviewReady = false;
      }),
      deps.store.onDidChange((change) => this.onStoreChange(change)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fluxStudio')) this.post(DefaultsChangedNotification, { defaults: this.defaults() });
      }),
    );
    panel.webview.html = this.html();
  }

  /** Puts options into the prompt bar (e.g. after the extension resolved a reference image URL). */
  fillPromptBar(options: Partial<PromptOptions>): void {
    this.post(FillPromptBarNotification, { options });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (GalleryPanel.current === this) GalleryPanel.current = undefined;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  // -------------------------------------------------------------------------------------------------

  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, 'dist');
    return renderGalleryHtml({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'gallery.css')).toString(),
      codiconUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
      title: vscode.l10n.t('Flux Gallery'),
      lang: vscode.env.language,
    });
  }

  private post<M extends NotificationMethod>(type: IpcNotificationType<M>, params: NotificationParamsMap[M]): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(notificationMessage(type, params)).then(undefined, () => undefined);
  }

  private defaults(): PromptDefaults {
    const d = this.deps.getDefaults();
    const defaults: PromptDefaults = {
      aspectRatio: d.aspectRatio,
      outputFormat: d.outputFormat,
      outputQuality: d.outputQuality,
      raw: d.raw,
    };
    if (d.seed !== undefined && d.seed !== null) defaults.seed = d.seed;
    if (d.imagePromptStrength !== undefined) defaults.imagePromptStrength = d.imagePromptStrength;
    return defaults;
  }

  private strings(): GalleryStrings {
    const strings = localizedGalleryStrings();
    for (const key of GALLERY_STRING_KEYS) {
      const given = this.deps.strings?.[key];
      if (typeof given === 'string' && given) strings[key] = given;
    }
    return strings;
  }

  private sendInit(): void {
    this.pendingUpserts.clear();
    this.pendingRemovals.clear();
    this.webviewReady = true;
    this.post(InitNotification, {
      entries: this.deps.store.list().map((entry) => this.toView(entry)),
      strings: this.strings(),
      defaults: this.defaults(),
      totalCredits: this.deps.store.totalCreditsSpent(),
      locale: vscode.env.language,
    });
  }

  private toView(entry: GalleryEntry): EntryView {
    const o = entry.options;
    const view: EntryView = {
      id: entry.id,
      prompt: o.prompt || vscode.l10n.t('(imported image)'),
      aspectRatio: o.aspectRatio,
      outputFormat: o.outputFormat,
      outputQuality: o.outputQuality,
      raw: o.raw,
      state: entry.state,
      progress: Math.max(0, Math.min(100, Math.round(entry.progress || 0))),
      createdAt: entry.createdAt,
    };
    if (o.seed !== undefined) view.seed = o.seed;
    if (o.imagePrompt) view.imagePrompt = o.imagePrompt;
    if (o.imagePrompt && o.imagePromptStrength !== undefined) view.imagePromptStrength = o.imagePromptStrength;
    const serverText = entry.reason?.params?.message;
    if (typeof serverText === 'string') view.error = serverText;
    if (entry.completedAt) view.durationMs = Math.max(0, entry.completedAt - (entry.acceptedAt ?? entry.createdAt));
    if (entry.creditCost !== undefined) view.creditCost = entry.creditCost;
    if (entry.width) view.width = entry.width;
    if (entry.height) view.height = entry.height;
    if (entry.imported) view.imported = true;
    const webview = this.panel.webview;
    if (entry.thumbFile) {
      view.thumbUri = webview.asWebviewUri(vscode.Uri.file(this.deps.store.thumbPath(entry.thumbFile))).toString();
    } else if (entry.state === 'completed' && entry.imageFile) {
      view.imageUri = webview.asWebviewUri(vscode.Uri.file(this.deps.store.imagePath(entry.imageFile))).toString();
    }
    return view;
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
    const upserts = [...this.pendingUpserts.values()].map((entry) => this.toView(entry));
    const removals = [...this.pendingRemovals];
    this.pendingUpserts.clear();
    this.pendingRemovals.clear();
    this.post(EntriesChangedNotification, { upserts, removals, totalCredits: this.deps.store.totalCreditsSpent() });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`Gallery: ignored a message from the webview: ${parsed.reason}`);
      return;
    }
    const msg = parsed.msg;
    try {
      const result = await this.handle(msg);
      if (result !== 'silent') this.post(DidCompleteNotification, { requestId: msg.id, ok: result === 'ok' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.error(`Gallery: ${msg.method} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
      this.post(DidCompleteNotification, { requestId: msg.id, ok: false, error: message.slice(0, 500) });
      if (msg.method !== 'gallery/generate' && msg.method !== 'entry/thumbnail') void vscode.window.showErrorMessage(message);
    }
  }

  /** 'ok' / 'rejected' are answered with didComplete; 'silent' is not. Throws for failures to report. */
  private async handle(msg: WebviewMessage): Promise<'ok' | 'rejected' | 'silent'> {
    const { actions, store } = this.deps;
    const insertDeps = { store, log: this.deps.log };
    switch (msg.method) {
      case 'gallery/ready':
        this.sendInit();
        return 'silent';
      case 'gallery/generate':
        await actions.generate({ ...msg.params.options });
        return 'ok';
      case 'gallery/importFromAccount':
        await actions.importFromAccount();
        return 'ok';
      case 'entry/thumbnailFailed':
        if (!this.loggedThumbnailFailure) {
          this.loggedThumbnailFailure = true;
          this.deps.log.warn(
            `Gallery: the webview could not make a thumbnail (${msg.params.reason}); it shows the full image scaled down instead`,
          );
        }
        return 'silent';
    }
    const entry = store.get(msg.params.entryId);
    if (!entry) {
      this.deps.log.warn(`Gallery: ignored ${msg.method} for an id that is not in the gallery`);
      return 'rejected';
    }
    const completed = entry.state === 'completed' && !!entry.imageFile;
    const needsImage = (): boolean => {
      if (!completed) this.deps.log.warn(`Gallery: ignored ${msg.method} for ${entry.id} in state ${entry.state}`);
      return completed;
    };
    switch (msg.method) {
      case 'entry/thumbnail':
        return (await this.saveThumbnail(entry, msg.params.dataUrl)) ? 'ok' : 'rejected';
      case 'entry/insert':
        if (!needsImage()) return 'rejected';
        return (await insertIntoWorkspace(entry, insertDeps)) ? 'ok' : 'rejected';
      case 'entry/saveAs':
        if (!needsImage()) return 'rejected';
        return (await saveImageAs(entry, insertDeps)) ? 'ok' : 'rejected';
      case 'entry/copyLink':
        if (!needsImage()) return 'rejected';
        return (await copyImageLink(entry, insertDeps)) !== undefined ? 'ok' : 'rejected';
      case 'entry/openFullSize':
        if (!needsImage()) return 'rejected';
        await openFullSize(entry, insertDeps);
        return 'ok';
      case 'entry/useAsReference':
        if (!needsImage()) return 'rejected';
        await actions.useAsReference(entry);
        return 'ok';
      case 'entry/vary':
        if (!needsImage()) return 'rejected';
        await actions.vary(entry);
        return 'ok';
      case 'entry/rerun':
        if (!isTerminal(entry.state)) return 'rejected';
        await actions.rerun(entry);
        return 'ok';
      case 'entry/delete':
        if (!isTerminal(entry.state)) {
          this.deps.log.warn(`Gallery: ignored delete of ${entry.id} while it is ${entry.state}`);
          return 'rejected';
        }
        return (await deleteEntry(entry, insertDeps)) ? 'ok' : 'rejected';
    }
  }

  /**
   * Stores a thumbnail the webview drew: only for a completed entry without one, only WebP of at most
   * 200 KB; written atomically to `thumbs/<id>.webp`, then recorded as the entry's `thumbFile`.
   */
  private async saveThumbnail(entry: GalleryEntry, dataUrl: string): Promise<boolean> {
    const { store, log } = this.deps;
    if (entry.thumbFile || entry.state !== 'completed' || !entry.imageFile || this.thumbnailsInFlight.has(entry.id)) {
      return false;
    }
    const bytes = Buffer.from(dataUrl.slice(THUMBNAIL_DATA_URL_PREFIX.length), 'base64');
    const isWebp =
      bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP';
    if (!isWebp || bytes.length > THUMBNAIL_MAX_BYTES) {
      log.warn(`Gallery: rejected a thumbnail for ${entry.id} (${isWebp ? 'too large' : 'not WebP'})`);
      return false;
    }
    this.thumbnailsInFlight.add(entry.id);
    try {
      const fileName = thumbFileName(entry.id);
      await writeFileAtomic(store.thumbPath(fileName), bytes);
      if (!store.get(entry.id)) return false; // deleted meanwhile; its files went with it
      await store.update(entry.id, { thumbFile: fileName });
      return true;
    } finally {
      this.thumbnailsInFlight.delete(entry.id);
    }
  }
}

/** `<id>.webp` when the id is file-name safe (UUIDs are), else a hash of it. */
function thumbFileName(id: string): string {
  const safe = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : crypto.createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `${safe}.webp`;
}

function webviewOptions(deps: GalleryDeps): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [
      vscode.Uri.joinPath(deps.extensionUri, 'dist'),
      vscode.Uri.joinPath(deps.extensionUri, 'media'),
      vscode.Uri.file(deps.store.imagesDir),
      vscode.Uri.file(deps.store.thumbsDir),
    ],
  };
}

/**
 * Restores the gallery after a window reload; call from `activate` (also starts tracking the last
 * text editor, which "Insert into workspace" needs while the gallery has focus).
 */
export function registerGallerySerializer(context: vscode.ExtensionContext, deps: GalleryDeps): vscode.Disposable {
  const disposables = vscode.Disposable.from(
    trackActiveTextEditor(),
    vscode.window.registerWebviewPanelSerializer(GalleryPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        GalleryPanel.revive(panel, deps);
      },
    }),
  );
  context.subscriptions.push(disposables);
  return disposables;
}

/** The command handlers the lead registers (gallery entries by id, e.g. from a tree or a notification). */
export function galleryEntryCommands(deps: Pick<GalleryDeps, 'store' | 'log'>) {
  const withEntry =
    <T>(run: (entry: GalleryEntry) => Promise<T>) =>
    async (id: string): Promise<T | undefined> => {
      const entry = typeof id === 'string' ? deps.store.get(id) : undefined;
      if (!entry) {
        deps.log.warn(`Gallery: no entry ${String(id)}`);
        return undefined;
      }
      return run(entry);
    };
  const insertDeps = { store: deps.store, log: deps.log };
  return {
    insertIntoWorkspace: withEntry((e) => insertIntoWorkspace(e, insertDeps)),
    saveAs: withEntry((e) => saveImageAs(e, insertDeps)),
    copyLink: withEntry((e) => copyImageLink(e, insertDeps)),
    openFullSize: withEntry((e) => openFullSize(e, insertDeps)),
    delete: withEntry((e) => deleteEntry(e, insertDeps)),
  };
}
