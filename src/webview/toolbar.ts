// The bar above the list: search the prompts, Show (a state, or Starred), and the "n of m" count.
import { h, icon } from './dom';
import type { StateFilter } from './listItems';
import { t, type GalleryStringKey } from './strings';

const FILTER_LABELS: Record<StateFilter, GalleryStringKey> = {
  all: 'filterAll',
  completed: 'filterCompleted',
  running: 'filterRunning',
  paused: 'paused',
  failed: 'filterFailed',
  starred: 'filterStarred',
};

export interface Query {
  search: string;
  filter: StateFilter;
}

export class Toolbar {
  readonly element: HTMLElement;
  private readonly count: HTMLElement;

  /** `changed` is called (debounced while typing) with the raw search text and the filter. */
  constructor(initial: Query, changed: (query: Query) => void) {
    const search = h('input', { type: 'search', class: 'search', placeholder: t('search'), 'aria-label': t('search'), maxlength: 500 });
    search.value = initial.search;
    const filter = h('select', { class: 'filter', 'aria-label': t('filter') });
    for (const [value, key] of Object.entries(FILTER_LABELS)) filter.append(h('option', { value, text: t(key) }));
    filter.value = initial.filter;
    this.count = h('span', { class: 'count', 'aria-live': 'polite' });
    let searchTimer: ReturnType<typeof setTimeout> | undefined;
    const apply = () => changed({ search: search.value, filter: filter.value as StateFilter });
    search.addEventListener('input', () => {
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = setTimeout(apply, 150);
    });
    filter.addEventListener('change', apply);
    this.element = h(
      'div',
      { class: 'filters', role: 'search' },
      h('span', { class: 'search-box' }, icon('search'), search),
      h('label', { class: 'field inline' }, h('span', { class: 'label', text: t('filter') }), filter),
      this.count,
    );
  }

  setCounts(counts: { shown: number; total: number } | undefined): void {
    this.count.textContent = counts ? t('shownCount', counts) : '';
  }
}
