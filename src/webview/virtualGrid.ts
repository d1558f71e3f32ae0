// The grid of cards, virtualized: only the rows within a screen of the view are in the DOM, and padding
// stands in for the rows above and below, so 10,000 entries cost about what a screenful does. An item is
// a card, or a group of variants that has a row of its own. Row heights are measured as rows are shown
// (rows never shown count as the average of those measured); when rows above the view turn out taller or
// shorter, the item at the top of the view is kept where it was.
import { afterNextPaint, h, whenLoaded } from './dom';
import type { ListItem } from './listItems';
import { packRows, rowAt, rowTops } from './rows';

/** Cards are kept rendered this many view heights above and below the view. */
const OVERSCAN_SCREENS = 1;
/** A first guess at a row's height, until one has been measured. */
const DEFAULT_ROW_HEIGHT = 420;

export interface GridSource {
  build(item: ListItem): HTMLElement;
  /** An item's element was added to the DOM (or replaced). */
  rendered(element: HTMLElement, item: ListItem): void;
  /** An item's element left the DOM. */
  removed(element: HTMLElement, item: ListItem): void;
}

interface Rendered {
  element: HTMLElement;
  item: ListItem;
}

export class VirtualGrid {
  readonly element: HTMLElement;
  private items: readonly ListItem[] = [];
  /** Item keys → their index in `items`. */
  private readonly indexOf = new Map<string, number>();
  /** Where each row starts in `items` (packRows), for `columns`; undefined when the items or columns changed. */
  private rowStarts: number[] | undefined;
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
   * The items to show, in order. An item that is another object than before is built again. `regrouped`:
   * most rows now hold other items (a new filter), so their measured heights no longer apply.
   */
  setItems(items: readonly ListItem[], regrouped: boolean): void {
    this.items = items;
    this.indexOf.clear();
    items.forEach((item, i) => this.indexOf.set(item.key, i));
    this.rowStarts = undefined;
    if (regrouped) this.rowHeights = [];
  }

  isRendered(key: string): boolean {
    return this.rendered.has(key);
  }

  /** Builds the element of item `key` again, in place, if it is rendered. */
  refresh(key: string): void {
    const shown = this.rendered.get(key);
    const index = this.indexOf.get(key);
    if (shown && index !== undefined) this.replace(shown, this.items[index]);
  }

  /** The first item in view (the first whose bottom is below the top of the view). */
  topItem(): HTMLElement | undefined {
    for (const element of this.element.children) {
      const { top, bottom } = element.getBoundingClientRect();
      if (bottom > 0) return top < window.innerHeight ? (element as HTMLElement) : undefined;
    }
    return undefined;
  }

  /** Scrolls so that item `key` is `offset` px below the top of the view; false if it is not shown. */
  scrollTo(key: string, offset: number): boolean {
    const index = this.indexOf.get(key);
    if (index === undefined) return false;
    const tops = this.layout();
    window.scrollTo(0, window.scrollY + this.element.getBoundingClientRect().top + tops[rowAt(this.rowStarts!, index)] - offset);
    // Rows on the way may be taller or shorter than guessed: correct until the item stays put.
    for (let i = 0; i < 4; i++) {
      this.update();
      const element = this.rendered.get(key)?.element;
      const delta = element ? element.getBoundingClientRect().top - offset : 0;
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

  /** Renders the rows near the view, measures them, and keeps the item at the top of the view in place. */
  update(): void {
    this.updateScheduled = false;
    const anchor = window.scrollY > 0 ? this.topItem() : undefined;
    const anchorTop = anchor?.getBoundingClientRect().top;
    // An empty grid (the first screen) gets the rows in view now and those around them once the page is
    // painted: VS Code shows a webview at its `load` event, which would wait for those cards and their
    // images, and an update in the first frame after it would hold that frame's paint.
    const overscan = this.rendered.size ? OVERSCAN_SCREENS * window.innerHeight : 0;
    // Measuring can show that more (or fewer) rows fit; a second pass settles it.
    for (let pass = 0; pass < 2; pass++) {
      const tops = this.layout();
      const rows = tops.length - 1;
      const viewTop = -this.element.getBoundingClientRect().top;
      const first = Math.max(0, rowAt(tops, viewTop - overscan));
      const end = Math.min(rows, rowAt(tops, viewTop + window.innerHeight + overscan) + 1);
      this.renderRange(this.rowStarts![first], this.rowStarts![Math.max(first, end)]);
      this.element.style.paddingTop = `${tops[first]}px`;
      this.element.style.paddingBottom = `${tops[rows] - tops[Math.max(first, end)]}px`;
      if (!this.measure(first, end)) break;
    }
    if (!overscan && this.rendered.size) whenLoaded(() => afterNextPaint(() => this.scheduleUpdate()));
    if (anchor?.isConnected && anchorTop !== undefined) {
      const moved = anchor.getBoundingClientRect().top - anchorTop;
      if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
    }
  }

  /**
   * Reads the columns and row gap the stylesheet gives the grid; returns the top of each row and the end
   * (and sets rowStarts).
   */
  private layout(): number[] {
    const style = getComputedStyle(this.element);
    const columns = Math.max(1, style.gridTemplateColumns.split(' ').filter(Boolean).length);
    if (columns !== this.columns) {
      this.rowHeights = [];
      this.rowStarts = undefined;
    }
    this.columns = columns;
    this.rowStarts ??= packRows(this.items.length, columns, (i) => this.items[i].groupSize !== undefined);
    const rows = this.rowStarts.length - 1;
    return rowTops(rows, (r) => this.rowHeights[r], this.averageRowHeight, parseFloat(style.rowGap) || 0);
  }

  /** Makes the DOM hold exactly the elements of items[from, to), in order, keeping those already there. */
  private renderRange(from: number, to: number): void {
    const wanted = new Set(this.items.slice(from, to).map((item) => item.key));
    for (const [key, shown] of this.rendered) {
      if (wanted.has(key)) continue;
      this.rendered.delete(key);
      this.source.removed(shown.element, shown.item);
      shown.element.remove();
    }
    let next = this.element.firstElementChild;
    for (let i = from; i < to; i++) {
      const item = this.items[i];
      let shown = this.rendered.get(item.key);
      if (shown && shown.item !== item) {
        const old = shown.element;
        shown = this.replace(shown, item);
        if (old === next) next = shown.element;
      }
      if (!shown) {
        shown = this.build(item);
        this.element.insertBefore(shown.element, next);
        this.source.rendered(shown.element, item);
      } else if (shown.element !== next) {
        this.element.insertBefore(shown.element, next);
      } else {
        next = next.nextElementSibling;
      }
      shown.element.setAttribute('aria-posinset', String(i + 1));
      shown.element.setAttribute('aria-setsize', String(this.items.length));
    }
  }

  /** Records the heights of rows [first, end); true when one differs from what the layout assumed. */
  private measure(first: number, end: number): boolean {
    let changed = false;
    for (let r = first; r < end; r++) {
      // Items stretch to their row's height, so a row's first item measures the row.
      const height = this.rendered.get(this.items[this.rowStarts![r]].key)?.element.offsetHeight ?? 0;
      if (height <= 0) continue;
      if (Math.abs((this.rowHeights[r] ?? this.averageRowHeight) - height) >= 1) changed = true;
      this.rowHeights[r] = height;
    }
    const measured = this.rowHeights.filter((height) => height > 0);
    if (measured.length) this.averageRowHeight = measured.reduce((a, b) => a + b, 0) / measured.length;
    return changed;
  }

  private build(item: ListItem): Rendered {
    const element = this.source.build(item);
    element.setAttribute('role', 'listitem');
    element.dataset.key = item.key;
    const shown = { element, item };
    this.rendered.set(item.key, shown);
    return shown;
  }

  private replace(old: Rendered, item: ListItem): Rendered {
    // Keep keyboard focus on the same action of the same card if it was inside the item.
    const active = old.element.contains(document.activeElement) ? (document.activeElement as HTMLElement) : undefined;
    const action = active?.dataset.action;
    const cardId = active?.closest<HTMLElement>('.card')?.dataset.id;
    const shown = this.build(item);
    for (const name of ['aria-posinset', 'aria-setsize']) shown.element.setAttribute(name, old.element.getAttribute(name) ?? '');
    this.source.removed(old.element, old.item);
    old.element.replaceWith(shown.element);
    this.source.rendered(shown.element, item);
    if (active) {
      const card = [...shown.element.querySelectorAll<HTMLElement>('.card')].find((c) => c.dataset.id === cardId) ?? shown.element;
      const target = [...card.querySelectorAll<HTMLElement>('[data-action]')].find((b) => b.dataset.action === action);
      (target ?? card.querySelector('button'))?.focus();
    }
    return shown;
  }
}
