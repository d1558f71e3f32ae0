// Choosing the images to compare: a "Select to compare" toggle on each completed card (two to four are
// compared; one more replaces the one chosen first), and a bar under the list — sticky at the bottom of the
// view while anything is selected — saying how many are chosen, with Compare and Clear selection.
import { COMPARE_MAX, COMPARE_MIN } from '../protocol/gallery';
import { h, icon } from './dom';
import { t } from './strings';

export interface CompareSelectionHost {
  /** Whether the entry can still be compared (in the gallery, completed with an image). */
  canCompare(id: string): boolean;
  /** Its card shows the toggle: render it again. */
  refresh(id: string): void;
  /** Compare was pressed with COMPARE_MIN to COMPARE_MAX entries, in the order they were chosen. */
  open(ids: readonly string[]): void;
}

export class CompareSelection {
  readonly bar: HTMLElement;
  private readonly status: HTMLElement;
  private readonly compareButton: HTMLButtonElement;
  private selected: string[] = [];

  constructor(private readonly host: CompareSelectionHost) {
    this.status = h('span', { class: 'compare-status', role: 'status' });
    this.compareButton = h('button', { type: 'button', class: 'button primary', 'data-action': 'compare' }, icon('diff'), h('span', { text: t('compare') }));
    const clear = h('button', { type: 'button', class: 'button', 'data-action': 'clearSelection' }, icon('close'), h('span', { text: t('clearSelection') }));
    this.bar = h('div', { class: 'compare-bar', role: 'region', 'aria-label': t('compare'), hidden: true }, this.status, h('span', { class: 'spacer' }), this.compareButton, clear);
    this.compareButton.addEventListener('click', () => this.compare());
    clear.addEventListener('click', () => this.set([]));
    this.render();
  }

  has(id: string): boolean {
    return this.selected.includes(id);
  }

  toggle(id: string): void {
    if (this.has(id)) this.set(this.selected.filter((x) => x !== id));
    else if (this.host.canCompare(id)) this.set([...this.selected, id].slice(-COMPARE_MAX));
  }

  /** Drops entries that can no longer be compared (deleted, or no longer completed). */
  prune(): void {
    const kept = this.selected.filter((id) => this.host.canCompare(id));
    if (kept.length !== this.selected.length) this.set(kept);
  }

  /** The Compare button, to give focus back to when the comparison closes. */
  get focusTarget(): HTMLElement {
    return this.compareButton;
  }

  private set(ids: string[]): void {
    const changed = [...this.selected.filter((id) => !ids.includes(id)), ...ids.filter((id) => !this.selected.includes(id))];
    this.selected = ids;
    for (const id of changed) this.host.refresh(id);
    this.render();
  }

  private compare(): void {
    this.prune();
    if (this.selected.length >= COMPARE_MIN) this.host.open([...this.selected]);
  }

  private render(): void {
    this.bar.hidden = this.selected.length === 0;
    this.status.textContent = t('compareSelected', { count: this.selected.length, max: COMPARE_MAX });
    this.compareButton.disabled = this.selected.length < COMPARE_MIN;
  }
}
