// Entry point of the gallery webview (bundled by esbuild as an IIFE into dist/webview.js, which the
// extension inlines into the page shell, see src/vscode/gallery/html.ts). Builds the page with what the
// shell carries — strings, settings, the first screenful and its thumbnails — before VS Code shows it,
// then asks the extension for every entry, listens to its notifications, and sends commands for user actions.
import {
  CopyLinkCommand,
  DeleteCommand,
  ForgetCommand,
  ImportFromAccountCommand,
  InsertCommand,
  KeepCommand,
  OpenFullSizeCommand,
  ReadyCommand,
  SetApiKeyCommand,
  RerunCommand,
  RetryCommand,
  SaveAsCommand,
  StarCommand,
  UseAsReferenceCommand,
  VaryCommand,
  type EntryView,
  type ExtensionMessage,
  type GalleryBoot,
} from '../protocol/gallery';
import type { IpcCommandType } from '../protocol/ipc';
import { isExtensionMessage } from '../protocol/validate';
import { readBoot } from './boot';
import { CardMenu } from './cardMenu';
import { CompareSelection } from './compare';
import { CompareView } from './compareView';
import { shortPrompt } from './card';
import { h, iconButton, whenLoaded } from './dom';
import { ImageDropTarget } from './dropImage';
import { installDragCopy } from './dragCopy';
import { GalleryList } from './list';
import { PromptBar } from './promptBar';
import { StoredThumbnails } from './storedThumbnails';
import { setStrings, t, type GalleryStringKey } from './strings';
import { ThumbnailMaker } from './thumbnails';
import { Toolbar } from './toolbar';
import { Welcome } from './welcome';
import { loadState, saveState, saveStateNow, send, settleResponse, type PersistedState } from './vscodeApi';

type EntryCommand = IpcCommandType<
  | 'entry/insert'
  | 'entry/saveAs'
  | 'entry/copyLink'
  | 'entry/openFullSize'
  | 'entry/useAsReference'
  | 'entry/rerun'
  | 'entry/vary'
  | 'entry/delete'
  | 'entry/retry'
  | 'entry/forget'
  | 'entry/keep'
>;

const ENTRY_ACTIONS: Record<string, EntryCommand> = {
  insert: InsertCommand,
  saveAs: SaveAsCommand,
  copyLink: CopyLinkCommand,
  openFullSize: OpenFullSizeCommand,
  useAsReference: UseAsReferenceCommand,
  rerun: RerunCommand,
  vary: VaryCommand,
  delete: DeleteCommand,
  retry: RetryCommand,
  forget: ForgetCommand,
  keep: KeepCommand,
};

/** The words a job's state is announced with. */
const STATE_WORDS: Partial<Record<EntryView['state'], GalleryStringKey>> = {
  submitting: 'stateNameSubmitting',
  queued: 'stateNameQueued',
  processing: 'processingAnnounced',
  downloading: 'stateNameDownloading',
  completed: 'stateCompleted',
  failed: 'stateNameFailed',
  paused: 'stateNamePaused',
};

// Marks for the benchmark (scripts/bench.mjs) and for profiling in the webview's developer tools.
performance.mark('flux:script');

class GalleryApp {
  private readonly state: PersistedState = loadState();
  private readonly app = document.getElementById('app')!;
  private readonly storedThumbnails: StoredThumbnails;
  private list!: GalleryList;
  private promptBar!: PromptBar;
  private credits!: HTMLElement;
  private toolbar!: Toolbar;
  private compare!: CompareSelection;
  private compareView!: CompareView;
  private cardMenu!: CardMenu;
  /** Built with the page's strings, so in build() (after setStrings), like every other part. */
  private welcome!: Welcome;
  /** Says each job's new state to screen readers (cards are re-rendered, so their own status is not announced). */
  private readonly announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  private restoredScroll = false;
  private scrollTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly boot: GalleryBoot | undefined) {
    setStrings(boot?.strings ?? {});
    this.storedThumbnails = new StoredThumbnails(boot?.thumbnails ?? [], {
      isRendered: (id) => this.list.isRendered(id),
      changed: (id) => this.list.refresh(id),
    });
    this.build(boot?.locale);
  }

  start(): void {
    const boot = this.boot;
    if (boot) {
      this.promptBar.applyDefaults(boot.defaults);
      this.setCredits(boot.totalCredits, boot.imageCost);
      // Back to a scrolled position after a reload: wait for every entry rather than flash the top.
      if (!this.state.anchorId && !(this.state.scrollY > 0)) this.list.setAll(boot.entries, boot.entryCount !== null && boot.entries.length >= boot.entryCount);
      // Fetched once the page is shown: a stylesheet or font still loading would keep it hidden.
      whenLoaded(() => document.head.append(h('link', { rel: 'stylesheet', href: boot.codiconStylesheet })));
    }
    if (this.state.draft) this.promptBar.applyDraft(this.state.draft);
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (isExtensionMessage(event.data)) this.onMessage(event.data);
    });
    window.addEventListener(
      'scroll',
      () => {
        // Measured now and again once scrolling has settled (off-screen cards take their real size later).
        this.rememberScroll();
        if (this.scrollTimer) clearTimeout(this.scrollTimer);
        this.scrollTimer = setTimeout(() => this.rememberScroll(), 200);
      },
      { passive: true },
    );
    this.app.addEventListener('click', (event) => this.onClick(event));
    installDragCopy(this.app);
    send(ReadyCommand, {});
  }

  private onMessage(msg: ExtensionMessage): void {
    switch (msg.method) {
      case 'gallery/init': {
        const p = msg.params;
        // The draft, once there is one, wins over the settings (as it does after a reload).
        if (!this.state.draft) this.promptBar.applyDefaults(p.defaults);
        this.setCredits(p.totalCredits, p.imageCost);
        this.list.setAll(Array.isArray(p.entries) ? p.entries : [], true);
        this.app.removeAttribute('aria-busy');
        performance.mark('flux:entries');
        this.restoreScroll();
        break;
      }
      case 'gallery/entriesChanged': {
        for (const id of msg.params.removals) this.list.remove(id);
        for (const entry of msg.params.upserts) {
          if (this.list.get(entry.id)?.state !== entry.state) this.announce(entry);
          this.list.upsert(entry);
        }
        this.compare.prune();
        this.setCredits(msg.params.totalCredits, msg.params.imageCost);
        break;
      }
      case 'gallery/keyState':
        this.welcome.setKeyState(msg.params.hasApiKey === true);
        break;
      case 'gallery/defaultsChanged':
        this.promptBar.applyDefaults(msg.params.defaults);
        break;
      case 'gallery/response':
        settleResponse(msg.params);
        break;
    }
  }

  private build(locale: string | undefined): void {
    const lang = locale || undefined;
    let dateFormat: Intl.DateTimeFormat;
    let numberFormat: Intl.NumberFormat;
    let relativeFormat: Intl.RelativeTimeFormat;
    try {
      dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
      numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
      relativeFormat = new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' });
    } catch {
      dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
      numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
      relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
    }
    if (lang) document.documentElement.lang = lang;

    this.welcome = new Welcome();
    const thumbnails = new ThumbnailMaker((id) => this.list.refresh(id));
    const formats = { dateFormat, relativeFormat, numberFormat };
    const thumbnailSrc = (entry: EntryView) => this.storedThumbnails.src(entry);
    this.list = new GalleryList(
      { ...formats, useFullImage: (id) => thumbnails.hasFailed(id), thumbnailSrc, isSelectedToCompare: (id) => this.compare.has(id) },
      {
        cardRendered: (card, entry: EntryView) => thumbnails.watch(card, entry),
        cardRemoved: (card) => thumbnails.unwatch(card),
        countsChanged: (counts) => this.toolbar.setCounts(counts),
        entriesRemoved: (ids) => {
          for (const id of ids) this.storedThumbnails.release(id);
          this.compare.prune();
        },
      },
      this.welcome.element,
    );
    this.compareView = new CompareView({ ...formats, thumbnailSrc });
    this.compare = new CompareSelection({
      canCompare: (id) => this.list.get(id)?.state === 'completed',
      refresh: (id) => this.list.refresh(id),
      open: (ids) => {
        const entries = ids.map((id) => this.list.get(id)).filter((entry): entry is EntryView => !!entry);
        if (entries.length === ids.length) this.compareView.open(entries, this.compare.focusTarget);
      },
    });
    this.promptBar = new PromptBar(
      (draft) => {
        // At once, not coalesced: if VS Code reloads the page, what the user typed a moment ago comes back.
        this.state.draft = draft;
        saveStateNow(this.state);
      },
      this.state.optionsOpen === true,
      (open) => {
        this.state.optionsOpen = open;
        saveState(this.state);
      },
    );

    this.credits = h('span', { class: 'credits', role: 'status' });
    const importButton = iconButton('importFromAccount', t('importFromAccount'), 'cloud-download', true);
    const header = h(
      'header',
      { class: 'header' },
      h('h1', { text: t('title') }),
      this.credits,
      h('span', { class: 'spacer' }),
      importButton,
    );

    this.toolbar = new Toolbar(this.state, (query) => {
      this.state.search = query.search;
      this.state.filter = query.filter;
      this.list.setQuery(query.search.trim(), query.filter);
      saveState(this.state);
    });
    const drop = new ImageDropTarget();
    const main = h('main', { class: 'main' }, this.toolbar.element, drop.notice, this.list.emptyElement, this.list.element, this.compare.bar);
    this.app.replaceChildren(header, this.promptBar.element, main, drop.overlay, this.compareView.element, this.announcer);
    this.list.setQuery(this.state.search.trim(), this.state.filter);
    this.cardMenu = new CardMenu(this.app);
  }

  private onClick(event: MouseEvent): void {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-action]');
    if (!button || button.disabled) return;
    const action = button.dataset.action!;
    if (action === 'importFromAccount') {
      send(ImportFromAccountCommand, {});
      return;
    }
    if (action === 'setApiKey') {
      send(SetApiKeyCommand, {});
      return;
    }
    if (action === 'example') {
      this.promptBar.fill({ prompt: button.dataset.prompt ?? '' });
      return;
    }
    if (action === 'more') {
      this.cardMenu.toggle(button);
      return;
    }
    const id = button.closest<HTMLElement>('.card')?.dataset.id;
    // The menu goes first (its item then finds no card): the id is read above.
    if (button.getAttribute('role') === 'menuitem') this.cardMenu.close(true);
    const entry = id === undefined ? undefined : this.list.get(id);
    if (!entry) return;
    if (action === 'star') {
      send(StarCommand, { entryId: entry.id, starred: entry.starred !== true });
      return;
    }
    if (action === 'selectToCompare') {
      this.compare.toggle(entry.id);
      return;
    }
    if (action === 'editAndRetry') {
      this.promptBar.fill({
        prompt: entry.prompt,
        aspectRatio: entry.aspectRatio,
        outputFormat: entry.outputFormat,
        outputQuality: entry.outputQuality,
        raw: entry.raw,
        seed: entry.seed,
        imagePrompt: entry.imagePrompt,
        ...(entry.imagePromptStrength !== undefined ? { imagePromptStrength: entry.imagePromptStrength } : {}),
      });
      return;
    }
    const command = ENTRY_ACTIONS[action];
    if (command) send(command, { entryId: entry.id });
  }

  private announce(entry: EntryView): void {
    const state = STATE_WORDS[entry.state];
    if (state) this.announcer.textContent = t('announceState', { prompt: shortPrompt(entry.prompt), state: t(state) });
  }

  private setCredits(total: number, imageCost: number): void {
    if (typeof total === 'number' && Number.isFinite(total)) {
      this.credits.textContent = t('creditsSpent', { credits: new Intl.NumberFormat().format(total) });
    }
    this.promptBar.setImageCost(imageCost);
  }

  /** Remembers the item at the top of the view and its offset, so a reload returns to it. */
  private rememberScroll(): void {
    if (!this.restoredScroll) return;
    this.state.scrollY = window.scrollY;
    const item = window.scrollY > 0 ? this.list.topItem() : undefined;
    if (item?.dataset.key) {
      this.state.anchorId = item.dataset.key;
      this.state.anchorOffset = item.getBoundingClientRect().top;
    } else {
      delete this.state.anchorId;
      delete this.state.anchorOffset;
    }
    saveState(this.state);
  }

  /** Once every entry is known: back to the item that was at the top of the view before the reload. */
  private restoreScroll(): void {
    if (this.restoredScroll) return;
    const { anchorId, anchorOffset, scrollY } = this.state;
    if (!(anchorId && this.list.scrollToItem(anchorId, anchorOffset ?? 0)) && scrollY > 0) window.scrollTo(0, scrollY);
    this.restoredScroll = true;
    saveStateNow(this.state);
  }
}

// The script runs from <head>, before the body it builds on is parsed.
const app = () => new GalleryApp(readBoot()).start();
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', app, { once: true });
else app();
