// The … menu of a card: the actions beyond the card's main one, each a labelled menu item. Opens from the …
// button, a right-click on the card, or Shift+F10 / the context menu key while focus is in the card; arrow
// keys move, Enter runs (a click, handled by main.ts like any card button), Escape and Tab close and give
// the focus back to the … button. One menu at a time, inside its card (so an item finds its entry).
import { h, icon } from './dom';
import { t, type GalleryStringKey } from './strings';

/** The card actions a menu can hold (their labels are the gallery strings of the same name). */
export type MenuAction = 'saveAs' | 'copyLink' | 'openFullSize' | 'useAsReference' | 'rerun' | 'vary' | 'forget' | 'delete';

/** Attribute of the … button listing its card's menu actions, space-separated. */
export const MENU_ACTIONS_ATTRIBUTE = 'data-menu-actions';

const ICONS: Record<MenuAction, string> = {
  saveAs: 'save-as',
  copyLink: 'link',
  openFullSize: 'screen-full',
  useAsReference: 'references',
  rerun: 'refresh',
  vary: 'wand',
  forget: 'circle-slash',
  delete: 'trash',
};

export class CardMenu {
  private menu: HTMLElement | undefined;
  private opener: HTMLButtonElement | undefined;

  constructor(root: HTMLElement) {
    root.addEventListener('contextmenu', (event) => {
      const target = event.target as Element | null;
      const card = target?.closest<HTMLElement>('.card');
      // On the picture itself VS Code's own menu opens (Copy Image, dragCopy.ts); elsewhere on the card, this one.
      if (!card || target?.closest('img')) return;
      event.preventDefault();
      this.openFor(card);
    });
    root.addEventListener('keydown', (event) => {
      if ((event.key === 'F10' && event.shiftKey) || event.key === 'ContextMenu') {
        const card = (event.target as Element | null)?.closest<HTMLElement>('.card');
        if (!card) return;
        event.preventDefault();
        this.openFor(card);
      } else if (this.menu?.contains(event.target as Node)) {
        this.onMenuKey(event);
      }
    });
    window.addEventListener('scroll', () => this.close(false), { passive: true });
    document.addEventListener('pointerdown', (event) => {
      if (this.menu && !this.menu.contains(event.target as Node) && event.target !== this.opener) this.close(false);
    });
  }

  /** The … button was pressed: opens its card's menu, or closes it when it is the one open. */
  toggle(opener: HTMLButtonElement): void {
    if (this.opener === opener && this.menu) this.close(true);
    else this.open(opener);
  }

  /** Closes the menu (after an item ran, or on Escape), optionally giving the focus back to its … button. */
  close(refocus: boolean): void {
    this.menu?.remove();
    this.opener?.setAttribute('aria-expanded', 'false');
    if (refocus && this.opener?.isConnected) this.opener.focus();
    this.menu = undefined;
    this.opener = undefined;
  }

  private openFor(card: HTMLElement): void {
    const opener = card.querySelector<HTMLButtonElement>(`button[${MENU_ACTIONS_ATTRIBUTE}]`);
    if (opener) this.open(opener);
  }

  private open(opener: HTMLButtonElement): void {
    this.close(false);
    const actions = (opener.getAttribute(MENU_ACTIONS_ATTRIBUTE) ?? '').split(' ').filter((a): a is MenuAction => a in ICONS);
    const menu = h('div', { class: 'card-menu', role: 'menu', 'aria-label': t('moreActions') });
    for (const action of actions) {
      menu.append(
        h('button', { type: 'button', role: 'menuitem', class: 'menu-item', 'data-action': action, tabindex: -1 }, icon(ICONS[action]), h('span', { text: t(action as GalleryStringKey) })),
      );
    }
    // After the action row, not in it: the row is a size container, which would hold a fixed element.
    (opener.closest('.actions') ?? opener).after(menu);
    // Fixed beside its … button (below it, or above when there is no room below).
    const at = opener.getBoundingClientRect();
    menu.style.left = `${Math.max(4, Math.min(at.left, window.innerWidth - menu.offsetWidth - 4))}px`;
    menu.style.top = `${at.bottom + menu.offsetHeight + 4 <= window.innerHeight ? at.bottom + 2 : Math.max(4, at.top - menu.offsetHeight - 2)}px`;
    opener.setAttribute('aria-expanded', 'true');
    this.menu = menu;
    this.opener = opener;
    this.items()[0]?.focus();
  }

  private items(): HTMLButtonElement[] {
    return [...(this.menu?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
  }

  private onMenuKey(event: KeyboardEvent): void {
    const items = this.items();
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(index + 1);
      case 'ArrowUp':
        return move(index - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(items.length - 1);
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        return this.close(true);
      case 'Tab':
        event.preventDefault();
        return this.close(true);
    }
  }
}
