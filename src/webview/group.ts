// The variants of one request as one block spanning the grid: the shared prompt once, then each variant's
// card with its normal buttons and Keep.
import { renderCard, shortPrompt, type CardContext } from './card';
import { h, icon } from './dom';
import type { ListItem } from './listItems';
import { t } from './strings';

export function renderGroup(item: ListItem, ctx: CardContext): HTMLElement {
  const prompt = item.entries[0].prompt;
  const count = item.groupSize ?? item.entries.length;
  const title = t('variantsGroup', { count });
  const cards = h('div', { class: 'group-cards', role: 'list' });
  for (const entry of item.entries) {
    const card = renderCard(entry, ctx, { position: (entry.variantIndex ?? 0) + 1, count });
    card.setAttribute('role', 'listitem');
    cards.append(card);
  }
  return h(
    'section',
    { class: 'group', 'aria-label': `${title}: ${shortPrompt(prompt)}` },
    h('header', { class: 'group-header' }, icon('layers'), h('p', { class: 'prompt', title: prompt, text: prompt }), h('span', { class: 'group-count', text: title })),
    cards,
  );
}
