// Entry point of the gallery webview (bundled by esbuild as an IIFE into dist/webview.js).
// Builds the page, listens to the extension's notifications, and sends commands for user actions.
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
} from '../protocol/gallery';
import type { IpcCommandType } from '../protocol/ipc';
import { isExtensionMessage } from '../protocol/validate';
import { h, icon, iconButton } from './dom';
import { installDragCopy } from './dragCopy';
import { GalleryList } from './list';
import { PromptBar } from './promptBar';
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

class GalleryApp {
  private readonly state: PersistedState = loadState();
  private readonly app = document.getElementById('app')!;
  private list: GalleryList | undefined;
  private promptBar: PromptBar | undefined;
  private thumbnails: ThumbnailMaker | undefined;
  private credits: HTMLElement | undefined;
  private count: HTMLElement | undefined;
  private header: HTMLElement | undefined;
  private restoredScroll = false;
  private scrollTimer: ReturnType<typeof setTimeout> | undefined;

  start(): void {
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
        setStrings(p.strings ?? {});
        this.build(p.locale);
        this.promptBar!.applyDefaults(p.defaults);
        if (this.state.draft) this.promptBar!.applyDraft(this.state.draft);
        this.setCredits(p.totalCredits);
        this.list!.setAll(Array.isArray(p.entries) ? p.entries : []);
        this.app.removeAttribute('aria-busy');
        this.restoreScroll();
        break;
      }
      case 'gallery/entriesChanged': {
        if (!this.list) return;
        for (const id of msg.params.removals) this.list.remove(id);
        for (const entry of msg.params.upserts) this.list.upsert(entry);
        this.setCredits(msg.params.totalCredits);
        break;
      }
      case 'gallery/defaultsChanged':
        this.promptBar?.applyDefaults(msg.params.defaults);
        break;
      case 'gallery/response':
        settleResponse(msg.params);
        break;
    }
  }

  private build(locale: string): void {
    const lang = typeof locale === 'string' && locale ? locale : undefined;
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

    this.thumbnails = new ThumbnailMaker((id) => this.list?.refresh(id));
    const thumbnails = this.thumbnails;
    this.list = new GalleryList(
      { dateFormat, numberFormat, useFullImage: (id) => thumbnails.hasFailed(id) },
      {
        cardRendered: (card, entry: EntryView) => thumbnails.watch(card, entry),
        cardRemoved: (card) => thumbnails.unwatch(card),
        countsChanged: (shown, total) => {
          if (this.count) this.count.textContent = t('shownCount', { shown, total });
        },
      },
    );
    this.promptBar = new PromptBar((draft) => {
      this.state.draft = draft;
      saveState(this.state);
    });

    this.credits = h('span', { class: 'credits', role: 'status' });
    const importButton = iconButton('importFromAccount', t('importFromAccount'), 'cloud-download', true);
    this.header = h(
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
      this.list!.setQuery(this.state.search.trim(), this.state.filter);
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
    this.list.setQuery(this.state.search.trim(), this.state.filter);

    const main = h('main', { class: 'main' }, toolbar, this.list.emptyElement, this.list.element);
    this.app.replaceChildren(this.header, this.promptBar.element, main);
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
      const entry = this.list?.get(id);
      if (entry) {
        this.promptBar?.fill({
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
    if (this.credits && typeof total === 'number' && Number.isFinite(total)) {
      this.credits.textContent = t('creditsSpent', { credits: new Intl.NumberFormat().format(total) });
    }
  }

  /** Remembers the card at the top of the view and its offset, so a reload returns to it. */
  private rememberScroll(): void {
    if (!this.list || !this.restoredScroll) return;
    this.state.scrollY = window.scrollY;
    const card = window.scrollY > 0 ? this.list.cardAt(0) : undefined;
    if (card?.dataset.id) {
      this.state.anchorId = card.dataset.id;
      this.state.anchorOffset = card.getBoundingClientRect().top;
    } else {
      delete this.state.anchorId;
      delete this.state.anchorOffset;
    }
    saveState(this.state);
  }

  private restoreScroll(): void {
    const { anchorId, anchorOffset, scrollY } = this.state;
    const done = () => {
      this.restoredScroll = true;
      saveStateNow(this.state);
    };
    if (anchorId && this.list) {
      const card = this.list.ensureRendered(anchorId);
      if (card) {
        // Cards above the anchor take their real height only once laid out (content-visibility), which
        // moves the anchor; correct for a few frames until it stays put.
        let frames = 0;
        let still = 0;
        const settle = () => {
          const delta = card.getBoundingClientRect().top - (anchorOffset ?? 0);
          if (Math.abs(delta) > 1) {
            window.scrollBy(0, delta);
            still = 0;
          } else still++;
          if (++frames < 30 && still < 3) requestAnimationFrame(settle);
          else done();
        };
        requestAnimationFrame(settle);
        return;
      }
    }
    if (scrollY > 0) {
      this.list?.whenFullyRendered(() =>
        requestAnimationFrame(() => {
          window.scrollTo(0, scrollY);
          done();
        }),
      );
      return;
    }
    done();
  }
}

new GalleryApp().start();
