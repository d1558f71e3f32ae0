// Entry point of the gallery webview (bundled by esbuild as an IIFE into dist/webview.js, which the
// extension inlines into the page shell, see src/vscode/gallery/html.ts). Builds the page with what the
// shell carries — strings, settings, the first screenful and its thumbnails — before VS Code shows it,
// then asks the extension for every entry, listens to its notifications, and sends commands for user actions.
import {
  CopyLinkCommand,
  DeleteCommand,
  ImportFromAccountCommand,
  InsertCommand,
  OpenFullSizeCommand,
  ReadyCommand,
  RerunCommand,
  SaveAsCommand,
  UseAsReferenceCommand,
  VaryCommand,
  type EntryView,
  type ExtensionMessage,
  type GalleryBoot,
} from '../protocol/gallery';
import type { IpcCommandType } from '../protocol/ipc';
import { isExtensionMessage } from '../protocol/validate';
import { readBoot } from './boot';
import { h, icon, iconButton } from './dom';
import { installDragCopy } from './dragCopy';
import { GalleryList } from './list';
import { PromptBar } from './promptBar';
import { StoredThumbnails } from './storedThumbnails';
import { setStrings, t } from './strings';
import { ThumbnailMaker } from './thumbnails';
import { loadState, saveState, saveStateNow, send, settleResponse, type PersistedState, type StateFilter } from './vscodeApi';

type EntryCommand = IpcCommandType<
  'entry/insert' | 'entry/saveAs' | 'entry/copyLink' | 'entry/openFullSize' | 'entry/useAsReference' | 'entry/rerun' | 'entry/vary' | 'entry/delete'
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
  private count!: HTMLElement;
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
      this.setCredits(boot.totalCredits);
      // Back to a scrolled position after a reload: wait for every entry rather than flash the top.
      if (!this.state.anchorId && !(this.state.scrollY > 0)) this.list.setAll(boot.entries, boot.entries.length >= boot.entryCount);
      // Fetched once the page is shown: a stylesheet or font still loading would keep it hidden.
      window.addEventListener('load', () => document.head.append(h('link', { rel: 'stylesheet', href: boot.codiconStylesheet })), { once: true });
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
        this.setCredits(p.totalCredits);
        this.list.setAll(Array.isArray(p.entries) ? p.entries : [], true);
        this.app.removeAttribute('aria-busy');
        performance.mark('flux:entries');
        this.restoreScroll();
        break;
      }
      case 'gallery/entriesChanged': {
        for (const id of msg.params.removals) {
          this.list.remove(id);
          this.storedThumbnails.release(id);
        }
        for (const entry of msg.params.upserts) this.list.upsert(entry);
        this.setCredits(msg.params.totalCredits);
        break;
      }
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
    try {
      dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
      numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    } catch {
      dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
      numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
    }
    if (lang) document.documentElement.lang = lang;

    const thumbnails = new ThumbnailMaker((id) => this.list.refresh(id));
    this.list = new GalleryList(
      { dateFormat, numberFormat, useFullImage: (id) => thumbnails.hasFailed(id), thumbnailSrc: (entry) => this.storedThumbnails.src(entry) },
      {
        cardRendered: (card, entry: EntryView) => thumbnails.watch(card, entry),
        cardRemoved: (card) => thumbnails.unwatch(card),
        countsChanged: (counts) => {
          this.count.textContent = counts ? t('shownCount', counts) : '';
        },
      },
    );
    this.promptBar = new PromptBar((draft) => {
      this.state.draft = draft;
      saveState(this.state);
    });

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

    const search = h('input', {
      type: 'search',
      class: 'search',
      placeholder: t('search'),
      'aria-label': t('search'),
      value: this.state.search,
      maxlength: 500,
    });
    search.value = this.state.search;
    const filter = h('select', { class: 'filter', 'aria-label': t('filter') });
    const filters: [StateFilter, string][] = [
      ['all', t('filterAll')],
      ['completed', t('filterCompleted')],
      ['running', t('filterRunning')],
      ['failed', t('filterFailed')],
    ];
    for (const [value, label] of filters) filter.append(h('option', { value, text: label }));
    filter.value = this.state.filter;
    this.count = h('span', { class: 'count', 'aria-live': 'polite' });
    let searchTimer: ReturnType<typeof setTimeout> | undefined;
    const applyQuery = () => {
      this.state.search = search.value;
      this.state.filter = filter.value as StateFilter;
      this.list.setQuery(this.state.search.trim(), this.state.filter);
      saveState(this.state);
    };
    search.addEventListener('input', () => {
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = setTimeout(applyQuery, 150);
    });
    filter.addEventListener('change', applyQuery);
    const toolbar = h(
      'div',
      { class: 'filters', role: 'search' },
      h('span', { class: 'search-box' }, icon('search'), search),
      h('label', { class: 'field inline' }, h('span', { class: 'label', text: t('filter') }), filter),
      this.count,
    );
    const main = h('main', { class: 'main' }, toolbar, this.list.emptyElement, this.list.element);
    this.app.replaceChildren(header, this.promptBar.element, main);
    this.list.setQuery(this.state.search.trim(), this.state.filter);
  }

  private onClick(event: MouseEvent): void {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-action]');
    if (!button || button.disabled) return;
    const action = button.dataset.action!;
    if (action === 'importFromAccount') {
      send(ImportFromAccountCommand, {});
      return;
    }
    const id = button.closest<HTMLElement>('.card')?.dataset.id;
    if (!id) return;
    if (action === 'editAndRetry') {
      const entry = this.list.get(id);
      if (entry) {
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
      }
      return;
    }
    const command = ENTRY_ACTIONS[action];
    if (command) send(command, { entryId: id });
  }

  private setCredits(total: number): void {
    if (typeof total === 'number' && Number.isFinite(total)) {
      this.credits.textContent = t('creditsSpent', { credits: new Intl.NumberFormat().format(total) });
    }
  }

  /** Remembers the card at the top of the view and its offset, so a reload returns to it. */
  private rememberScroll(): void {
    if (!this.restoredScroll) return;
    this.state.scrollY = window.scrollY;
    const card = window.scrollY > 0 ? this.list.topCard() : undefined;
    if (card?.dataset.id) {
      this.state.anchorId = card.dataset.id;
      this.state.anchorOffset = card.getBoundingClientRect().top;
    } else {
      delete this.state.anchorId;
      delete this.state.anchorOffset;
    }
    saveState(this.state);
  }

  /** Once every entry is known: back to the card that was at the top of the view before the reload. */
  private restoreScroll(): void {
    if (this.restoredScroll) return;
    const { anchorId, anchorOffset, scrollY } = this.state;
    if (!(anchorId && this.list.scrollToEntry(anchorId, anchorOffset ?? 0)) && scrollY > 0) window.scrollTo(0, scrollY);
    this.restoredScroll = true;
    saveStateNow(this.state);
  }
}

// The script runs from <head>, before the body it builds on is parsed.
const app = () => new GalleryApp(readBoot()).start();
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', app, { once: true });
else app();
