// What an empty gallery shows: whether an API key is set (with Set API Key), the three ways to start, three
// example prompts that fill the prompt bar, and what an image costs. Buttons carry data-action; main.ts runs them.
import { h, icon } from './dom';
import { t, type GalleryStringKey } from './strings';

const EXAMPLES: readonly GalleryStringKey[] = ['example1', 'example2', 'example3'];

export class Welcome {
  readonly element: HTMLElement;
  private readonly keyState: HTMLElement;

  constructor() {
    this.keyState = h('div', { class: 'key-state', hidden: true });
    const ways = h('ol', { class: 'ways' }, ...(['emptyWayPromptBar', 'emptyWaySelection', 'emptyWayChat'] as const).map((key) => h('li', { text: t(key) })));
    const examples = h(
      'ul',
      { class: 'examples' },
      ...EXAMPLES.map((key) => h('li', {}, h('button', { type: 'button', class: 'button secondary example', 'data-action': 'example', 'data-prompt': t(key), text: t(key) }))),
    );
    this.element = h(
      'section',
      { class: 'welcome', 'aria-labelledby': 'welcome-title' },
      h('h2', { id: 'welcome-title', text: t('emptyTitle') }),
      this.keyState,
      h('p', { text: t('emptyWays') }),
      ways,
      h('p', { text: t('emptyExamples') }),
      examples,
      h('p', { class: 'cost', text: t('emptyCost') }),
    );
  }

  /** Says whether a key is stored; without one, offers Set API Key. */
  setKeyState(hasApiKey: boolean): void {
    this.keyState.hidden = false;
    this.keyState.replaceChildren(
      icon(hasApiKey ? 'pass' : 'key'),
      h('span', { text: t(hasApiKey ? 'keySet' : 'keyMissing') }),
      hasApiKey ? '' : h('button', { type: 'button', class: 'button primary', 'data-action': 'setApiKey', text: t('setApiKey') }),
    );
  }
}
