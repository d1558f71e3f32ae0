// The entry list: newest first, filtered by state and prompt text, shown in a virtualized grid (only the
// cards near the view are in the DOM, see virtualGrid.ts). Updates patch single cards in place.
import type { EntryView } from '../protocol/gallery';
import { isRunning, renderCard, type CardContext } from './card';
import { h } from './dom';
import { t } from './strings';
import { VirtualGrid } from './virtualGrid';
import type { StateFilter } from './vscodeApi';

export interface ListCallbacks {
  /** A card was added to the DOM (or replaced). */
  cardRendered(card: HTMLElement, entry: EntryView): void;
  /** A card left the DOM. */
  cardRemoved(card: HTMLElement): void;
  /** Counts of the shown and all entries; undefined while the list holds only the page shell's first screenful. */
  countsChanged(counts: { shown: number; total: number } | undefined): void;
}

export class GalleryList {
  readonly emptyElement: HTMLParagraphElement;
  private readonly grid: VirtualGrid;
  private readonly entries = new Map<string, EntryView>();
  private readonly lowerPrompts = new Map<string, string>();
  /** All ids, newest first. */
  private order: string[] = [];
  /** Ids passing the filter, newest first. */
  private filtered: string[] = [];
  private complete = false;
  private search = '';
  private filter: StateFilter = 'all';

  constructor(ctx: CardContext, private readonly callbacks: ListCallbacks) {
    this.emptyElement = h('p', { class: 'empty', role: 'status' });
    this.grid = new VirtualGrid({
      entry: (id) => this.entries.get(id),
      build: (entry) => renderCard(entry, ctx),
      cardRendered: (card, entry) => callbacks.cardRendered(card, entry),
      cardRemoved: (card) => callbacks.cardRemoved(card),
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
    this.order = [...this.entries.values()].sort(compare).map((e) => e.id);
    this.complete = complete;
    this.refilter();
  }

  setQuery(search: string, filter: StateFilter): void {
    if (search === this.search && filter === this.filter) return;
    this.search = search;
    this.filter = filter;
    this.refilter();
  }

  get(id: string): EntryView | undefined {
    return this.entries.get(id);
  }

  isRendered(id: string): boolean {
    return this.grid.isRendered(id);
  }

  /** Renders one card again (its thumbnail arrived, or could not be made). */
  refresh(id: string): void {
    this.grid.refresh(id);
  }

  upsert(entry: EntryView): void {
    const isNew = !this.entries.has(entry.id);
    this.remember(entry);
    if (isNew) this.order.splice(insertionIndex(this.order, entry, this.entries), 0, entry.id);
    const index = this.filtered.indexOf(entry.id);
    const passes = this.matches(entry);
    if (index >= 0 && !passes) this.filtered.splice(index, 1);
    else if (index < 0 && passes) this.filtered.splice(insertionIndex(this.filtered, entry, this.entries), 0, entry.id);
    this.changed();
  }

  remove(id: string): void {
    if (!this.entries.delete(id)) return;
    this.lowerPrompts.delete(id);
    this.order = this.order.filter((x) => x !== id);
    this.filtered = this.filtered.filter((x) => x !== id);
    this.changed();
  }

  /** Scrolls so that the card of `id` is `offset` px below the top of the view; false if it is not shown. */
  scrollToEntry(id: string, offset: number): boolean {
    return this.grid.scrollTo(id, offset);
  }

  /** The first card in view. */
  topCard(): HTMLElement | undefined {
    return this.grid.topCard();
  }

  // -------------------------------------------------------------------------------------------------

  private remember(entry: EntryView): void {
    this.entries.set(entry.id, entry);
    this.lowerPrompts.set(entry.id, entry.prompt.toLocaleLowerCase());
  }

  private matches(entry: EntryView): boolean {
    switch (this.filter) {
      case 'completed':
        if (entry.state !== 'completed') return false;
        break;
      case 'failed':
        if (entry.state !== 'failed') return false;
        break;
      case 'running':
        if (!isRunning(entry)) return false;
        break;
    }
    if (!this.search) return true;
    return (this.lowerPrompts.get(entry.id) ?? '').includes(this.search.toLocaleLowerCase());
  }

  /** A new filter or a new set of entries: shown at once. */
  private refilter(): void {
    this.filtered = this.order.filter((id) => this.matches(this.entries.get(id)!));
    this.grid.setIds(this.filtered, true);
    this.updateEmpty();
    this.grid.update();
  }

  /** Single entries changed: shown with the next frame (changes often come in bursts). */
  private changed(): void {
    this.grid.setIds(this.filtered, false);
    this.updateEmpty();
    this.grid.scheduleUpdate();
  }

  private updateEmpty(): void {
    const total = this.entries.size;
    const shown = this.filtered.length;
    this.emptyElement.textContent = total === 0 ? t('empty') : shown === 0 ? t('noMatches') : '';
    this.emptyElement.hidden = shown > 0 || !this.complete;
    this.callbacks.countsChanged(this.complete ? { shown, total } : undefined);
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
