// One gallery entry as a card. All user and server text goes in with textContent.
import type { EntryView } from '../protocol/gallery';
import { FORMAT_LABELS, ULTRA_SIZES } from '../shared/options';
import { h, icon, iconButton } from './dom';
import { t } from './strings';

export interface CardContext {
  dateFormat: Intl.DateTimeFormat;
  numberFormat: Intl.NumberFormat;
  /** The webview could not make a thumbnail for this entry: show the full image scaled down. */
  useFullImage(id: string): boolean;
  /** The image of the entry's stored thumbnail (a blob: URL); undefined while it is on its way. */
  thumbnailSrc(entry: EntryView): string | undefined;
}

export const THUMB_DISPLAY_WIDTH = 320;

export function isRunning(entry: EntryView): boolean {
  return entry.state !== 'completed' && entry.state !== 'failed';
}

export function renderCard(entry: EntryView, ctx: CardContext): HTMLElement {
  const card = h('article', {
    class: `card state-${entry.state}`,
    'data-id': entry.id,
    'aria-label': entry.prompt.length > 120 ? `${entry.prompt.slice(0, 119)}…` : entry.prompt,
  });
  card.append(renderImage(entry, ctx), renderBody(entry, ctx));
  return card;
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
        loading: 'lazy',
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
    const name = entry.state === 'failed' ? 'error' : isRunning(entry) ? 'loading codicon-modifier-spin' : 'file-media';
    frame.append(h('span', { class: 'placeholder' }, icon(name)));
    if (entry.state === 'completed') frame.append(h('span', { class: 'visually-hidden', text: t('imageUnavailable') }));
  }
  return frame;
}

function renderBody(entry: EntryView, ctx: CardContext): HTMLElement {
  const body = h('div', { class: 'body' });
  body.append(h('p', { class: 'prompt', title: entry.prompt, text: entry.prompt }));
  const status = renderStatus(entry);
  if (status) body.append(status);
  body.append(renderMeta(entry, ctx));
  const actions = renderActions(entry);
  if (actions) body.append(actions);
  return body;
}

function renderStatus(entry: EntryView): HTMLElement | undefined {
  if (entry.state === 'completed') return undefined;
  const status = h('div', { class: 'status', role: 'status' });
  switch (entry.state) {
    case 'submitting':
      status.append(icon('loading codicon-modifier-spin'), h('span', { text: t('stateSubmitting') }));
      break;
    case 'queued':
      status.append(icon('clock'), h('span', { text: t('stateQueued') }));
      break;
    case 'processing':
      status.append(
        icon('loading codicon-modifier-spin'),
        h('span', { text: t('stateProcessing', { progress: entry.progress }) }),
        h('progress', { max: 100, value: entry.progress, 'aria-hidden': 'true' }),
      );
      break;
    case 'downloading':
      status.append(icon('cloud-download'), h('span', { text: t('stateDownloading') }));
      break;
    case 'failed':
      status.classList.add('failed');
      status.append(
        icon('error'),
        h('span', { text: entry.error ? t('stateFailed', { reason: entry.error }) : t('stateFailedUnknown') }),
      );
      break;
  }
  return status;
}

function renderMeta(entry: EntryView, ctx: CardContext): HTMLElement {
  const meta = h('dl', { class: 'meta' });
  const add = (label: string, value: string, cls?: string, title?: string) => {
    meta.append(h('div', { class: cls ? `pair ${cls}` : 'pair' }, h('dt', { text: label }), h('dd', { text: value, title })));
  };
  add(t('aspectRatio'), entry.aspectRatio);
  const format = FORMAT_LABELS[entry.outputFormat];
  add(t('format'), entry.outputFormat === 'png' ? format : `${format} ${entry.outputQuality}`);
  add(t('seed'), entry.seed !== undefined ? String(entry.seed) : t('seedRandom'));
  add(t('raw'), entry.raw ? t('yes') : t('no'));
  if (entry.imagePrompt) {
    const strength = entry.imagePromptStrength !== undefined ? ` (${entry.imagePromptStrength})` : '';
    add(t('reference'), `${entry.imagePrompt}${strength}`, 'wide', entry.imagePrompt);
  }
  if (entry.durationMs !== undefined) {
    add(t('duration'), t('durationSeconds', { seconds: ctx.numberFormat.format(entry.durationMs / 1000) }));
  }
  add(t('created'), formatDate(entry.createdAt, ctx.dateFormat));
  if (entry.creditCost !== undefined) add(t('cost'), t('creditsCost', { credits: ctx.numberFormat.format(entry.creditCost) }));
  if (entry.imported) add(t('imported'), t('yes'));
  return meta;
}

function renderActions(entry: EntryView): HTMLElement | undefined {
  const hasImage = entry.state === 'completed' && (!!entry.thumbUri || !!entry.imageUri);
  const buttons: HTMLButtonElement[] = [];
  if (hasImage) {
    // The reason the gallery exists: a labelled primary button. Its label folds away when the card is narrow
    // (gallery.css), so the name is also its aria-label.
    const insert = iconButton('insert', t('insert'), 'insert', true);
    insert.classList.add('primary', 'labelled-action');
    insert.setAttribute('aria-label', t('insert'));
    buttons.push(
      insert,
      iconButton('saveAs', t('saveAs'), 'save-as'),
      iconButton('copyLink', t('copyLink'), 'link'),
      iconButton('openFullSize', t('openFullSize'), 'screen-full'),
      iconButton('useAsReference', t('useAsReference'), 'references'),
      iconButton('rerun', t('rerun'), 'refresh'),
      iconButton('vary', t('vary'), 'wand'),
      iconButton('delete', t('delete'), 'trash'),
    );
  } else if (entry.state === 'failed' || entry.state === 'completed') {
    buttons.push(
      iconButton('editAndRetry', t('editAndRetry'), 'edit', true),
      iconButton('rerun', t('rerun'), 'refresh'),
      iconButton('delete', t('delete'), 'trash'),
    );
  }
  if (!buttons.length) return undefined;
  return h('div', { class: 'actions', role: 'group', 'aria-label': entry.prompt.slice(0, 80) }, ...buttons);
}

function formatDate(ms: number, format: Intl.DateTimeFormat): string {
  try {
    return format.format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}
