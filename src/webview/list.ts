// The entry list: newest first, filtered by state and prompt text, rendered incrementally (first
// screenful at once, the rest in idle-sized chunks), each card with content-visibility so off-screen
// cards cost little. Updates patch single cards in place.
import type { EntryView } from '../protocol/gallery';
import { isRunning, renderCard, type CardContext } from './card';
import { h } from './dom';
import { t } from './strings';
import type { StateFilter } from './vscodeApi';

const FIRST_CHUNK = 24;
const CHUNK = 120;
/** Milliseconds of each animation frame spent rendering more cards in the background. */
const FRAME_BUDGET_MS = 8;

export interface ListCallbacks {
  /** A card was added to the DOM (or replaced). */
  cardRendered(card: HTMLElement, entry: EntryView): void;
  /** A card left the DOM. */
  cardRemoved(card: HTMLElement): void;
  countsChanged(shown: number, total: number): void;
}

export class GalleryList {
  readonly element: HTMLElement;
  private readonly emptyMessage: HTMLParagraphElement;
  private readonly entries = new Map<string, EntryView>();
  private readonly lowerPrompts = new Map<string, string>();
  /** All ids, newest first. */
  private order: string[] = [];
  /** Ids passing the filter, newest first; the first `rendered` of them are in the DOM, in order. */
  private filtered: string[] = [];
  private rendered = 0;
  private readonly nodes = new Map<string, HTMLElement>();
  private chunkScheduled = false;
  private search = '';
  private filter: StateFilter = 'all';
  private afterRender: (() => void)[] = [];

  constructor(
    private readonly ctx: CardContext,
    private readonly callbacks: ListCallbacks,
  ) {
    this.element = h('div', { class: 'grid', role: 'list' });
    this.emptyMessage = h('p', { class: 'empty', role: 'status' });
  }

  get emptyElement(): HTMLElement {
    return this.emptyMessage;
  }

  setAll(entries: readonly EntryView[]): void {
    this.entries.clear();
    this.lowerPrompts.clear();
    for (const entry of entries) this.remember(entry);
    this.order = [...this.entries.values()].sort(compare).map((e) => e.id);
    this.rebuild();
  }

  setQuery(search: string, filter: StateFilter): void {
    if (search === this.search && filter === this.filter) return;
    this.search = search;
    this.filter = filter;
    this.rebuild();
  }

  get(id: string): EntryView | undefined {
    return this.entries.get(id);
  }

  /** Re-renders one card (e.g. after its thumbnail could not be made). */
  refresh(id: string): void {
    const entry = this.entries.get(id);
    if (entry) this.upsert(entry);
  }

  upsert(entry: EntryView): void {
    const isNew = !this.entries.has(entry.id);
    this.remember(entry);
    if (isNew) this.order.splice(insertionIndex(this.order, entry, this.entries), 0, entry.id);
    const index = this.filtered.indexOf(entry.id);
    const passes = this.matches(entry);
    if (index >= 0 && !passes) {
      this.filtered.splice(index, 1);
      if (index < this.rendered) {
        this.rendered--;
        this.detach(entry.id);
      }
    } else if (index >= 0) {
      if (index < this.rendered) this.replace(entry);
    } else if (passes) {
      const at = insertionIndex(this.filtered, entry, this.entries);
      this.filtered.splice(at, 0, entry.id);
      if (at < this.rendered) {
        const next = this.nodes.get(this.filtered[at + 1]);
        const card = this.build(entry);
        this.element.insertBefore(card, next ?? null);
        this.rendered++;
        this.callbacks.cardRendered(card, entry);
      }
    }
    this.scheduleChunk();
    this.updateEmpty();
  }

  remove(id: string): void {
    if (!this.entries.delete(id)) return;
    this.lowerPrompts.delete(id);
    this.order = this.order.filter((x) => x !== id);
    const index = this.filtered.indexOf(id);
    if (index >= 0) {
      this.filtered.splice(index, 1);
      if (index < this.rendered) {
        this.rendered--;
        this.detach(id);
      }
    }
    this.updateEmpty();
  }

  /** Renders synchronously until `id` is in the DOM; returns its card. */
  ensureRendered(id: string): HTMLElement | undefined {
    const index = this.filtered.indexOf(id);
    if (index < 0) return undefined;
    while (this.rendered <= index) this.renderChunk(CHUNK);
    return this.nodes.get(id);
  }

  /** Runs `fn` once every card of the current filter is in the DOM. */
  whenFullyRendered(fn: () => void): void {
    if (this.rendered >= this.filtered.length) fn();
    else this.afterRender.push(fn);
  }

  /** The first rendered card whose bottom is below `y` (viewport coordinates). */
  cardAt(y: number): HTMLElement | undefined {
    // Binary search over rendered cards in document order (rows are monotonic in a grid).
    let lo = 0;
    let hi = this.rendered - 1;
    let found: HTMLElement | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const node = this.nodes.get(this.filtered[mid]);
      if (!node) break;
      if (node.getBoundingClientRect().bottom > y) {
        found = node;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return found;
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

  private rebuild(): void {
    for (const node of this.nodes.values()) this.callbacks.cardRemoved(node);
    this.nodes.clear();
    this.element.replaceChildren();
    this.filtered = this.order.filter((id) => this.matches(this.entries.get(id)!));
    this.rendered = 0;
    this.renderChunk(FIRST_CHUNK);
    this.scheduleChunk();
    this.updateEmpty();
  }

  private renderChunk(size: number): void {
    const end = Math.min(this.filtered.length, this.rendered + size);
    if (end <= this.rendered) return;
    const fragment = document.createDocumentFragment();
    const created: [HTMLElement, EntryView][] = [];
    for (let i = this.rendered; i < end; i++) {
      const entry = this.entries.get(this.filtered[i])!;
      const card = this.build(entry);
      created.push([card, entry]);
      fragment.append(card);
    }
    this.element.append(fragment);
    this.rendered = end;
    for (const [card, entry] of created) this.callbacks.cardRendered(card, entry);
    if (this.rendered >= this.filtered.length) {
      const waiting = this.afterRender;
      this.afterRender = [];
      for (const fn of waiting) fn();
    }
  }

  private scheduleChunk(): void {
    if (this.chunkScheduled || this.rendered >= this.filtered.length) return;
    this.chunkScheduled = true;
    requestAnimationFrame(() => {
      this.chunkScheduled = false;
      const start = performance.now();
      do this.renderChunk(12);
      while (this.rendered < this.filtered.length && performance.now() - start < FRAME_BUDGET_MS);
      this.scheduleChunk();
    });
  }

  private build(entry: EntryView): HTMLElement {
    const card = renderCard(entry, this.ctx);
    card.setAttribute('role', 'listitem');
    this.nodes.set(entry.id, card);
    return card;
  }

  private replace(entry: EntryView): void {
    const old = this.nodes.get(entry.id);
    const card = this.build(entry);
    if (!old) return;
    // Keep keyboard focus on the same action if it was inside the card.
    const focused = old.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.action : undefined;
    this.callbacks.cardRemoved(old);
    old.replaceWith(card);
    this.callbacks.cardRendered(card, entry);
    if (focused) (card.querySelector<HTMLElement>(`[data-action="${focused}"]`) ?? card.querySelector('button'))?.focus();
  }

  private detach(id: string): void {
    const node = this.nodes.get(id);
    if (!node) return;
    this.nodes.delete(id);
    this.callbacks.cardRemoved(node);
    node.remove();
  }

  private updateEmpty(): void {
    const total = this.entries.size;
    const shown = this.filtered.length;
    this.emptyMessage.textContent = total === 0 ? t('empty') : shown === 0 ? t('noMatches') : '';
    this.emptyMessage.hidden = shown > 0;
    this.callbacks.countsChanged(shown, total);
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
