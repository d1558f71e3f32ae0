// The grid of cards, virtualized: only the rows within a screen of the view are in the DOM, and padding
// stands in for the rows above and below, so 10,000 entries cost about what a screenful does. Row heights
// are measured as rows are shown (rows never shown count as the average of those measured); when rows
// above the view turn out taller or shorter, the card at the top of the view is kept where it was.
import type { EntryView } from '../protocol/gallery';
import { h } from './dom';
import { rowAt, rowTops } from './rows';

/** Cards are kept rendered this many view heights above and below the view. */
const OVERSCAN_SCREENS = 1;
/** A first guess at a row's height, until one has been measured. */
const DEFAULT_ROW_HEIGHT = 420;

export interface GridSource {
  /** The entry an id stands for now; a card is built again when this changes. */
  entry(id: string): EntryView | undefined;
  build(entry: EntryView): HTMLElement;
  /** A card was added to the DOM (or replaced). */
  cardRendered(card: HTMLElement, entry: EntryView): void;
  /** A card left the DOM. */
  cardRemoved(card: HTMLElement): void;
}

interface Rendered {
  card: HTMLElement;
  entry: EntryView;
}

export class VirtualGrid {
  readonly element: HTMLElement;
  private ids: readonly string[] = [];
  private readonly rendered = new Map<string, Rendered>();
  /** Measured height of each row (sparse: rows not shown yet have none). */
  private rowHeights: number[] = [];
  private averageRowHeight = DEFAULT_ROW_HEIGHT;
  private columns = 1;
  private width = -1;
  private updateScheduled = false;

  constructor(private readonly source: GridSource) {
    this.element = h('div', { class: 'grid', role: 'list' });
    window.addEventListener('scroll', () => this.scheduleUpdate(), { passive: true });
    new ResizeObserver((records) => {
      // A new width changes the columns and every row's height (the grid's height changes at every update).
      const width = records[records.length - 1].contentRect.width;
      if (width === this.width) return;
      this.width = width;
      this.rowHeights = [];
      this.scheduleUpdate();
    }).observe(this.element);
  }

  /**
   * The ids to show, in order. `regrouped`: most rows now hold other cards (a new filter), so their
   * measured heights no longer apply.
   */
  setIds(ids: readonly string[], regrouped: boolean): void {
    this.ids = ids;
    if (regrouped) this.rowHeights = [];
  }

  isRendered(id: string): boolean {
    return this.rendered.has(id);
  }

  /** Builds the card of `id` again, in place, if it is rendered. */
  refresh(id: string): void {
    const shown = this.rendered.get(id);
    const entry = this.source.entry(id);
    if (shown && entry) this.replace(shown, entry);
  }

  /** The first card in view (the first whose bottom is below the top of the view). */
  topCard(): HTMLElement | undefined {
    for (const card of this.element.children) {
      const { top, bottom } = card.getBoundingClientRect();
      if (bottom > 0) return top < window.innerHeight ? (card as HTMLElement) : undefined;
    }
    return undefined;
  }

  /** Scrolls so that the card of `id` is `offset` px below the top of the view; false if it is not shown. */
  scrollTo(id: string, offset: number): boolean {
    const index = this.ids.indexOf(id);
    if (index < 0) return false;
    const tops = this.layout();
    window.scrollTo(0, window.scrollY + this.element.getBoundingClientRect().top + tops[Math.floor(index / this.columns)] - offset);
    // Rows on the way may be taller or shorter than guessed: correct until the card stays put.
    for (let i = 0; i < 4; i++) {
      this.update();
      const card = this.rendered.get(id)?.card;
      const delta = card ? card.getBoundingClientRect().top - offset : 0;
      if (Math.abs(delta) < 1) break;
      window.scrollBy(0, delta);
    }
    return true;
  }

  scheduleUpdate(): void {
    if (this.updateScheduled) return;
    this.updateScheduled = true;
    requestAnimationFrame(() => this.update());
  }

  /** Renders the rows near the view, measures them, and keeps the card at the top of the view in place. */
  update(): void {
    this.updateScheduled = false;
    const anchor = window.scrollY > 0 ? this.topCard() : undefined;
    const anchorTop = anchor?.getBoundingClientRect().top;
    // An empty grid (the first screen) gets the rows in view now and those around them with the next frame.
    const overscan = this.rendered.size ? OVERSCAN_SCREENS * window.innerHeight : 0;
    // Measuring can show that more (or fewer) rows fit; a second pass settles it.
    for (let pass = 0; pass < 2; pass++) {
      const tops = this.layout();
      const rows = tops.length - 1;
      const viewTop = -this.element.getBoundingClientRect().top;
      const first = Math.max(0, rowAt(tops, viewTop - overscan));
      const end = Math.min(rows, rowAt(tops, viewTop + window.innerHeight + overscan) + 1);
      this.renderRange(first * this.columns, Math.min(this.ids.length, end * this.columns));
      this.element.style.paddingTop = `${tops[first]}px`;
      this.element.style.paddingBottom = `${tops[rows] - tops[Math.max(first, end)]}px`;
      if (!this.measure(first, end)) break;
    }
    if (!overscan && this.rendered.size) this.scheduleUpdate();
    if (anchor?.isConnected && anchorTop !== undefined) {
      const moved = anchor.getBoundingClientRect().top - anchorTop;
      if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
    }
  }

  /** Reads the columns and row gap the stylesheet gives the grid; returns the top of each row and the end. */
  private layout(): number[] {
    const style = getComputedStyle(this.element);
    const columns = Math.max(1, style.gridTemplateColumns.split(' ').filter(Boolean).length);
    if (columns !== this.columns) this.rowHeights = [];
    this.columns = columns;
    const rows = Math.ceil(this.ids.length / columns);
    return rowTops(rows, (r) => this.rowHeights[r], this.averageRowHeight, parseFloat(style.rowGap) || 0);
  }

  /** Makes the DOM hold exactly the cards of ids[from, to), in order, keeping those already there. */
  private renderRange(from: number, to: number): void {
    const wanted = new Set(this.ids.slice(from, to));
    for (const [id, shown] of this.rendered) {
      if (wanted.has(id)) continue;
      this.rendered.delete(id);
      this.source.cardRemoved(shown.card);
      shown.card.remove();
    }
    let next = this.element.firstElementChild;
    for (let i = from; i < to; i++) {
      const id = this.ids[i];
      const entry = this.source.entry(id);
      if (!entry) continue;
      let shown = this.rendered.get(id);
      if (shown && shown.entry !== entry) {
        const old = shown.card;
        shown = this.replace(shown, entry);
        if (old === next) next = shown.card;
      }
      if (!shown) {
        shown = this.build(entry);
        this.element.insertBefore(shown.card, next);
        this.source.cardRendered(shown.card, entry);
      } else if (shown.card !== next) {
        this.element.insertBefore(shown.card, next);
      } else {
        next = next.nextElementSibling;
      }
      shown.card.setAttribute('aria-posinset', String(i + 1));
      shown.card.setAttribute('aria-setsize', String(this.ids.length));
    }
  }

  /** Records the heights of rows [first, end); true when one differs from what the layout assumed. */
  private measure(first: number, end: number): boolean {
    let changed = false;
    for (let r = first; r < end; r++) {
      // Cards stretch to their row's height, so a row's first card measures the row.
      const height = this.rendered.get(this.ids[r * this.columns])?.card.offsetHeight ?? 0;
      if (height <= 0) continue;
      if (Math.abs((this.rowHeights[r] ?? this.averageRowHeight) - height) >= 1) changed = true;
      this.rowHeights[r] = height;
    }
    const measured = this.rowHeights.filter((height) => height > 0);
    if (measured.length) this.averageRowHeight = measured.reduce((a, b) => a + b, 0) / measured.length;
    return changed;
  }

  private build(entry: EntryView): Rendered {
    const card = this.source.build(entry);
    card.setAttribute('role', 'listitem');
    const shown = { card, entry };
    this.rendered.set(entry.id, shown);
    return shown;
  }

  private replace(old: Rendered, entry: EntryView): Rendered {
    // Keep keyboard focus on the same action if it was inside the card.
    const focused = old.card.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.action : undefined;
    const shown = this.build(entry);
    for (const name of ['aria-posinset', 'aria-setsize']) shown.card.setAttribute(name, old.card.getAttribute(name) ?? '');
    this.source.cardRemoved(old.card);
    old.card.replaceWith(shown.card);
    this.source.cardRendered(shown.card, entry);
    if (focused) (shown.card.querySelector<HTMLElement>(`[data-action="${focused}"]`) ?? shown.card.querySelector('button'))?.focus();
    return shown;
  }
}
