// The entry list: newest first, filtered by state and prompt text, the variants of one request together
// as one group (listItems.ts), shown in a virtualized grid (only the items near the view are in the DOM,
// see virtualGrid.ts). Changes are gathered and shown with the next frame; unchanged items keep their cards.
import type { EntryView } from '../protocol/gallery';
import { renderCard, type CardContext } from './card';
import { h } from './dom';
import { renderGroup } from './group';
import { buildItems, groupSizes, passesFilter, type ListItem, type StateFilter } from './listItems';
import { t } from './strings';
import { VirtualGrid } from './virtualGrid';

export interface ListCallbacks {
  /** A card was added to the DOM (or replaced). */
  cardRendered(card: HTMLElement, entry: EntryView): void;
  /** A card left the DOM. */
  cardRemoved(card: HTMLElement): void;
  /** Counts of the shown and all entries; undefined while the list holds only the page shell's first screenful. */
  countsChanged(counts: { shown: number; total: number } | undefined): void;
  /** Entries left the gallery. */
  entriesRemoved(ids: readonly string[]): void;
}

export class GalleryList {
  readonly emptyElement: HTMLElement;
  private readonly grid: VirtualGrid;
  private readonly entries = new Map<string, EntryView>();
  private readonly lowerPrompts = new Map<string, string>();
  /** All ids, newest first. */
  private order: string[] = [];
  /** What is shown, by item key; and the key of the item showing each entry. */
  private items = new Map<string, ListItem>();
  private readonly itemOf = new Map<string, string>();
  private changeScheduled = false;
  private complete = false;
  private search = '';
  private filter: StateFilter = 'all';

  constructor(
    ctx: CardContext,
    private readonly callbacks: ListCallbacks,
    /** Shown instead of the list while the gallery holds nothing. */
    private readonly welcome: HTMLElement,
  ) {
    this.emptyElement = h('div', { class: 'empty' });
    this.grid = new VirtualGrid({
      build: (item) => (item.groupSize === undefined ? renderCard(item.entries[0], ctx) : renderGroup(item, ctx)),
      rendered: (element, item) => forEachCard(element, item, callbacks.cardRendered),
      removed: (element, item) => forEachCard(element, item, (card) => callbacks.cardRemoved(card)),
    });
  }

  get element(): HTMLElement {
    return this.grid.element;
  }

  /**
   * Replaces every entry. `complete` is false while only the page shell's first screenful is known
   * (counts and the empty message wait for the rest). Cards of unchanged entries stay as they are.
   */
  setAll(entries: readonly EntryView[], complete: boolean): void {
    const previous = new Map(this.entries);
    this.entries.clear();
    this.lowerPrompts.clear();
    for (const entry of entries) {
      const old = previous.get(entry.id);
      this.remember(old && JSON.stringify(old) === JSON.stringify(entry) ? old : entry);
    }
    const gone = [...previous.keys()].filter((id) => !this.entries.has(id));
    this.order = [...this.entries.values()].sort(compare).map((e) => e.id);
    this.complete = complete;
    this.show(true);
    if (gone.length) this.callbacks.entriesRemoved(gone);
  }

  setQuery(search: string, filter: StateFilter): void {
    if (search === this.search && filter === this.filter) return;
    this.search = search;
    this.filter = filter;
    this.show(true);
  }

  get(id: string): EntryView | undefined {
    return this.entries.get(id);
  }

  isRendered(id: string): boolean {
    const key = this.itemOf.get(id);
    return key !== undefined && this.grid.isRendered(key);
  }

  /** Renders the card of one entry again (its thumbnail arrived, or its selection changed). */
  refresh(id: string): void {
    const key = this.itemOf.get(id);
    if (key !== undefined) this.grid.refresh(key);
  }

  upsert(entry: EntryView): void {
    const isNew = !this.entries.has(entry.id);
    this.remember(entry);
    if (isNew) this.order.splice(insertionIndex(this.order, entry, this.entries), 0, entry.id);
    this.changed();
  }

  remove(id: string): void {
    if (!this.entries.delete(id)) return;
    this.lowerPrompts.delete(id);
    this.order = this.order.filter((x) => x !== id);
    this.changed();
    this.callbacks.entriesRemoved([id]);
  }

  /** Scrolls so that the item `key` is `offset` px below the top of the view; false if it is not shown. */
  scrollToItem(key: string, offset: number): boolean {
    return this.grid.scrollTo(key, offset);
  }

  /** The first item in view (its key is `dataset.key`). */
  topItem(): HTMLElement | undefined {
    return this.grid.topItem();
  }

  // -------------------------------------------------------------------------------------------------

  private remember(entry: EntryView): void {
    this.entries.set(entry.id, entry);
    this.lowerPrompts.set(entry.id, entry.prompt.toLocaleLowerCase());
  }

  private matches(entry: EntryView): boolean {
    if (!passesFilter(entry, this.filter)) return false;
    if (!this.search) return true;
    return (this.lowerPrompts.get(entry.id) ?? '').includes(this.search.toLocaleLowerCase());
  }

  /**
   * Works out the items again and hands them to the grid. `regrouped` (a new filter or set of entries):
   * shown at once; otherwise single entries changed, shown with the next frame (changes come in bursts).
   */
  private show(regrouped: boolean): void {
    const shown = this.order.map((id) => this.entries.get(id)!).filter((entry) => this.matches(entry));
    const items = buildItems(shown, groupSizes(this.entries.values()), this.items);
    this.items = new Map(items.map((item) => [item.key, item]));
    this.itemOf.clear();
    for (const item of items) for (const entry of item.entries) this.itemOf.set(entry.id, item.key);
    this.grid.setItems(items, regrouped);
    this.updateEmpty(shown.length);
    if (regrouped) this.grid.update();
    else this.grid.scheduleUpdate();
  }

  /** Single entries changed: the items are worked out once for a burst of changes. */
  private changed(): void {
    if (this.changeScheduled) return;
    this.changeScheduled = true;
    queueMicrotask(() => {
      this.changeScheduled = false;
      this.show(false);
    });
  }

  private updateEmpty(shown: number): void {
    const total = this.entries.size;
    if (total === 0) this.emptyElement.replaceChildren(this.welcome);
    else this.emptyElement.replaceChildren(h('p', { role: 'status', text: shown === 0 ? t('noMatches') : '' }));
    this.emptyElement.hidden = shown > 0 || !this.complete;
    this.callbacks.countsChanged(this.complete ? { shown, total } : undefined);
  }
}

/** Calls `fn` for each card of an item's element (a single card is the element itself). */
function forEachCard(element: HTMLElement, item: ListItem, fn: (card: HTMLElement, entry: EntryView) => void): void {
  if (item.groupSize === undefined) return fn(element, item.entries[0]);
  for (const entry of item.entries) {
    const card = [...element.querySelectorAll<HTMLElement>('.card')].find((c) => c.dataset.id === entry.id);
    if (card) fn(card, entry);
  }
}

function compare(a: EntryView, b: EntryView): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Where `entry` goes in `ids` (sorted newest first). */
function insertionIndex(ids: readonly string[], entry: EntryView, entries: Map<string, EntryView>): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const other = entries.get(ids[mid]);
    if (other && compare(other, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
