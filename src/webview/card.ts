// One gallery entry as a card. All user and server text goes in with textContent. Every card has a star
// toggle, a completed image a Compare toggle, one labelled main action for its state (Insert into workspace;
// Retry when paused; Edit prompt and retry when failed) and a … button for the rest (cardMenu.ts).
import type { EntryView } from '../protocol/gallery';
import { STATE_NAME_KEYS, isRunning } from '../shared/entry';
import { hasQuality } from '../shared/media';
import { FORMAT_LABELS, ULTRA_SIZES } from '../shared/options';
import { MENU_ACTIONS_ATTRIBUTE, type MenuAction } from './cardMenu';
import { truncate } from '../shared/truncate';
import { h, icon, iconButton, toggleButton } from './dom';
import { relativeTime } from '../shared/relativeTime';
import { t } from './strings';

export interface CardContext {
  dateFormat: Intl.DateTimeFormat;
  /** "2 min ago" in the page's language. */
  relativeFormat: Intl.RelativeTimeFormat;
  numberFormat: Intl.NumberFormat;
  /** The webview could not make a thumbnail for this entry: show the full image scaled down. */
  useFullImage(id: string): boolean;
  /** The image of the entry's stored thumbnail (a blob: URL); undefined while it is on its way. */
  thumbnailSrc(entry: EntryView): string | undefined;
  /** Whether the entry is selected to compare. */
  isSelectedToCompare(id: string): boolean;
}

/** Where a card sits in its group of variants (the group shows the prompt once). */
export interface VariantPlace {
  /** 1-based. */
  position: number;
  count: number;
}

export const THUMB_DISPLAY_WIDTH = 320;

export function renderCard(entry: EntryView, ctx: CardContext, variant?: VariantPlace): HTMLElement {
  const label = variant ? t('variantOf', { index: variant.position, count: variant.count }) : shortPrompt(entry.prompt);
  const card = h('article', { class: `card state-${entry.state}`, 'data-id': entry.id, 'aria-label': label });
  card.append(renderImage(entry, ctx), renderToggles(entry, ctx), renderBody(entry, ctx, variant));
  return card;
}

export function shortPrompt(prompt: string): string {
  return truncate(prompt, 120);
}

function hasImage(entry: EntryView): boolean {
  return entry.state === 'completed' && (!!entry.thumbUri || !!entry.imageUri);
}

/** Star on every card; Compare on those with an image. Over the image's corner, in the tab order before the actions. */
function renderToggles(entry: EntryView, ctx: CardContext): HTMLElement {
  const starred = entry.starred === true;
  const toggles = h('div', { class: 'toggles' }, toggleButton('star', t('star'), starred, starred ? 'star-full' : 'star-empty', starred ? t('starredNote') : t('starNote')));
  if (hasImage(entry)) {
    const selected = ctx.isSelectedToCompare(entry.id);
    toggles.append(toggleButton('selectToCompare', t('selectToCompare'), selected, selected ? 'pass-filled' : 'circle-large-outline', t('selectToCompareNote')));
  }
  return toggles;
}

function renderImage(entry: EntryView, ctx: CardContext): HTMLElement {
  const size = entry.width && entry.height ? { width: entry.width, height: entry.height } : ULTRA_SIZES[entry.aspectRatio];
  const frame = h('div', { class: 'thumb' });
  if (size) frame.style.aspectRatio = `${size.width} / ${size.height}`;
  const src = entry.thumbUri ? ctx.thumbnailSrc(entry) : entry.imageUri && ctx.useFullImage(entry.id) ? entry.imageUri : undefined;
  if (src) {
    const displayHeight = size ? Math.round((THUMB_DISPLAY_WIDTH * size.height) / size.width) : THUMB_DISPLAY_WIDTH;
    frame.append(
      h('img', {
        src,
        alt: entry.prompt,
        // A thumbnail the page shell carried (a data: URL) is in memory already: decoded for the first paint.
        loading: src.startsWith('data:') ? 'eager' : 'lazy',
        decoding: 'async',
        width: THUMB_DISPLAY_WIDTH,
        height: displayHeight,
        draggable: 'false',
      }),
    );
  } else if (entry.thumbUri) {
    // The stored thumbnail's bytes are on their way (see storedThumbnails.ts).
    frame.classList.add('pending-thumb');
  } else if (entry.imageUri) {
    // The thumbnail is being made (see thumbnails.ts); the card is watched until it scrolls into view.
    frame.classList.add('pending-thumb');
    frame.append(h('span', { class: 'placeholder' }, icon('loading codicon-modifier-spin')));
  } else {
    frame.classList.add('no-image');
    const name = entry.state === 'failed' ? 'error' : entry.state === 'paused' ? 'debug-pause' : isRunning(entry.state) ? 'loading codicon-modifier-spin' : 'file-media';
    frame.append(h('span', { class: 'placeholder' }, icon(name)));
    if (entry.state === 'completed') frame.append(h('span', { class: 'visually-hidden', text: t('imageUnavailable') }));
  }
  return frame;
}

function renderBody(entry: EntryView, ctx: CardContext, variant: VariantPlace | undefined): HTMLElement {
  const body = h('div', { class: 'body' });
  if (variant) body.append(h('p', { class: 'variant', text: t('variantOf', { index: variant.position, count: variant.count }) }));
  else body.append(h('p', { class: 'prompt', title: entry.prompt, text: entry.prompt }));
  const status = renderStatus(entry);
  if (status) body.append(status);
  if (entry.state === 'paused') body.append(h('p', { class: 'help', text: t('pausedHelp') }));
  else if (entry.state === 'failed') body.append(h('p', { class: 'help', text: t('failedHelp') }));
  body.append(renderMeta(entry, ctx));
  body.append(renderActions(entry, variant));
  return body;
}

function stateName(entry: EntryView): string {
  return t(STATE_NAME_KEYS[entry.state], { progress: entry.progress });
}

function renderStatus(entry: EntryView): HTMLElement | undefined {
  if (entry.state === 'completed') return undefined;
  const status = h('div', { class: 'status', role: 'status' });
  switch (entry.state) {
    case 'submitting':
      status.append(icon('loading codicon-modifier-spin'), h('span', { text: stateName(entry) }));
      break;
    case 'queued':
      status.append(icon('clock'), h('span', { text: stateName(entry) }));
      break;
    case 'processing':
      status.append(
        icon('loading codicon-modifier-spin'),
        h('span', { text: stateName(entry) }),
        h('progress', { max: 100, value: entry.progress, 'aria-hidden': 'true' }),
      );
      break;
    case 'downloading':
      status.append(icon('cloud-download'), h('span', { text: stateName(entry) }));
      break;
    case 'failed':
      status.classList.add('failed');
      status.append(
        icon('error'),
        h('span', { text: entry.error ? t('stateFailed', { reason: entry.error }) : stateName(entry) }),
      );
      break;
    case 'paused':
      status.classList.add('paused');
      status.append(icon('debug-pause'), h('span', { text: entry.error ? t('statePaused', { reason: entry.error }) : t('paused') }));
      break;
  }
  return status;
}

/** The settings and facts of an entry as a description list (also under each image in Compare). */
export function renderMeta(entry: EntryView, ctx: Pick<CardContext, 'dateFormat' | 'relativeFormat' | 'numberFormat'>): HTMLElement {
  const meta = h('dl', { class: 'meta' });
  const add = (label: string, value: string, cls?: string, title?: string) => {
    meta.append(h('div', { class: cls ? `pair ${cls}` : 'pair' }, h('dt', { text: label }), h('dd', { text: value, title })));
  };
  add(t('aspectRatio'), entry.aspectRatio);
  const format = FORMAT_LABELS[entry.outputFormat];
  add(t('format'), hasQuality(entry.outputFormat) ? `${format} ${entry.outputQuality}` : format);
  add(t('seed'), entry.seed !== undefined ? String(entry.seed) : t('seedRandom'));
  add(t('raw'), entry.raw ? t('yes') : t('no'));
  if (entry.imagePrompt) {
    const strength = entry.imagePromptStrength !== undefined ? ` (${entry.imagePromptStrength})` : '';
    add(t('reference'), `${entry.imagePrompt}${strength}`, 'wide', entry.imagePrompt);
  }
  if (entry.originalPrompt) add(t('originalPrompt'), entry.originalPrompt, 'wide');
  if (entry.durationMs !== undefined) {
    add(t('duration'), t('durationSeconds', { seconds: ctx.numberFormat.format(entry.durationMs / 1000) }));
  }
  add(t('created'), relativeTime(entry.createdAt, Date.now(), ctx.relativeFormat), undefined, formatDate(entry.createdAt, ctx.dateFormat));
  if (entry.creditCost !== undefined) add(t('cost'), t('creditsCost', { credits: ctx.numberFormat.format(entry.creditCost) }));
  if (entry.imported) add(t('imported'), t('yes'));
  return meta;
}

function renderActions(entry: EntryView, variant: VariantPlace | undefined): HTMLElement {
  const buttons: HTMLButtonElement[] = [];
  const more: MenuAction[] = [];
  if (hasImage(entry)) {
    // The reason the gallery exists: a labelled primary button (see labelledAction).
    buttons.push(labelledAction('insert', t('insert'), 'insert', true));
    // Keep: one variant stays, the extension offers to delete the others (never a starred one).
    if (variant && variant.count > 1) buttons.push(labelledAction('keep', t('keep'), 'check', false, t('keepNote')));
    more.push('saveAs', 'copyLink', 'openFullSize', 'useAsReference', 'rerun', 'vary');
  } else if (entry.state === 'failed' || entry.state === 'completed') {
    buttons.push(labelledAction('editAndRetry', t('editAndRetry'), 'edit', true));
    more.push('rerun');
  } else if (entry.state === 'paused') {
    buttons.push(labelledAction('retry', t('retry'), 'debug-restart', true));
    more.push('forget');
  }
  // Every state: for an unfinished job the extension asks first (the job goes on at Apiframe).
  more.push('delete');
  const opener = iconButton('more', t('moreActions'), 'ellipsis');
  opener.setAttribute('aria-haspopup', 'menu');
  opener.setAttribute('aria-expanded', 'false');
  opener.setAttribute(MENU_ACTIONS_ATTRIBUTE, more.join(' '));
  buttons.push(opener);
  return h('div', { class: 'actions', role: 'group', 'aria-label': entry.prompt.slice(0, 80) }, ...buttons);
}

/**
 * A button with its label on screen. The label folds away when the card is narrow (gallery.css), so the
 * name is also its aria-label; `note`, when given, is its tooltip (and accessible description).
 */
function labelledAction(action: string, label: string, iconName: string, primary: boolean, note?: string): HTMLButtonElement {
  const button = iconButton(action, label, iconName, true);
  button.classList.add('labelled-action');
  if (primary) button.classList.add('primary');
  button.setAttribute('aria-label', label);
  if (note) button.title = note;
  return button;
}

function formatDate(ms: number, format: Intl.DateTimeFormat): string {
  try {
    return format.format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}
