// Two to four images compared, in a modal <dialog> inside the gallery rather than a second panel: this page may
// already load the stored images, and a dialog brings focus containment, Escape and the return of focus
// with it, where a second webview would need its own page, messages and lifecycle. The images in frames
// of the same size, the prompt and settings under each, and for two images two ways to look: side by side,
// or swiped — one image over the other, a slider (arrow keys) choosing where one ends. The thumbnails show at once;
// the full images replace them once the extension has named them and they have decoded.
import { FullImagesRequest, type EntryView } from '../protocol/gallery';
import { parseFullImagesResult } from '../protocol/validate';
import { ULTRA_SIZES } from '../shared/options';
import { renderMeta, type CardContext } from './card';
import { h, icon, iconButton } from './dom';
import { t } from './strings';
import { request } from './vscodeApi';

type Mode = 'side' | 'swipe';
type CompareContext = Pick<CardContext, 'dateFormat' | 'relativeFormat' | 'numberFormat' | 'thumbnailSrc'>;

export class CompareView {
  readonly element: HTMLDialogElement;
  private readonly stage: HTMLElement;
  private readonly captions: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly modeButtons: HTMLButtonElement[];
  /** The comparison shown, so a late full image of an earlier one is not put into it. */
  private shown = 0;
  private returnFocus: HTMLElement | undefined;

  constructor(private readonly ctx: CompareContext) {
    this.stage = h('div', { class: 'compare-stage' });
    this.captions = h('div', { class: 'compare-captions' });
    this.slider = h('input', { type: 'range', class: 'compare-slider', min: 0, max: 100, step: 1, value: 50, 'aria-label': t('swipePosition') });
    this.slider.addEventListener('input', () => this.stage.style.setProperty('--swipe', `${this.slider.value}%`));
    this.modeButtons = (['side', 'swipe'] as const).map((mode) => {
      const button = h('button', { type: 'button', class: 'button', 'data-mode': mode }, icon(mode === 'side' ? 'split-horizontal' : 'diff'), h('span', { text: t(mode === 'side' ? 'sideBySide' : 'swipe') }));
      button.addEventListener('click', () => this.setMode(mode));
      return button;
    });
    const close = iconButton('closeCompare', t('close'), 'close');
    close.addEventListener('click', () => this.element.close());
    this.element = h(
      'dialog',
      { class: 'compare', 'aria-labelledby': 'compare-title' },
      h('div', { class: 'compare-header' }, h('h2', { id: 'compare-title', text: t('compare') }), h('div', { class: 'compare-modes', role: 'group' }, ...this.modeButtons), h('span', { class: 'spacer' }), close),
      this.stage,
      this.slider,
      this.captions,
    );
    this.element.addEventListener('close', () => {
      this.shown++;
      this.stage.replaceChildren();
      this.captions.replaceChildren();
      this.returnFocus?.focus();
    });
    this.setMode('side');
  }

  /** Shows the entries; focus goes back to `returnFocus` when the comparison closes. */
  open(entries: readonly EntryView[], returnFocus: HTMLElement): void {
    const shown = ++this.shown;
    this.returnFocus = returnFocus;
    // Swipe lays one image over one other: with more, side by side only.
    const swipeButton = this.modeButtons.find((button) => button.dataset.mode === 'swipe')!;
    swipeButton.hidden = entries.length !== 2;
    if (swipeButton.hidden) this.setMode('side');
    this.element.style.setProperty('--count', String(entries.length));
    // The same frame for all: the first image's proportions, the others fitted into it.
    const size = frameSize(entries[0]);
    const images = entries.map((entry, i) => {
      const img = h('img', { alt: entry.prompt, decoding: 'async', draggable: 'false' });
      const src = this.ctx.thumbnailSrc(entry) ?? entry.imageUri;
      if (src) img.src = src;
      const frame = h('div', { class: `compare-frame frame-${i === 0 ? 'a' : 'b'}` }, img);
      frame.style.aspectRatio = `${size.width} / ${size.height}`;
      frame.style.setProperty('--ratio', String(size.width / size.height));
      return { entry, img, frame };
    });
    this.stage.replaceChildren(...images.map(({ frame }) => frame));
    this.captions.replaceChildren(
      ...entries.map((entry) => h('div', { class: 'compare-caption' }, h('p', { class: 'prompt', title: entry.prompt, text: entry.prompt }), renderMeta(entry, this.ctx))),
    );
    this.slider.value = '50';
    this.stage.style.setProperty('--swipe', '50%');
    if (!this.element.open) this.element.showModal();
    void this.loadFullImages(images, shown);
  }

  private async loadFullImages(images: Array<{ entry: EntryView; img: HTMLImageElement }>, shown: number): Promise<void> {
    const ids = images.map(({ entry }) => entry.id);
    const result = await request(FullImagesRequest, { entryIds: ids }).then(
      (raw) => parseFullImagesResult(raw, ids) ?? [],
      () => [],
    );
    await Promise.all(
      result.map(async ({ entryId, uri }) => {
        const full = new Image();
        full.src = uri;
        // Shown once decoded; one that cannot be keeps its thumbnail (still a fair comparison, only smaller).
        await full.decode().then(
          () => {
            const target = images.find(({ entry }) => entry.id === entryId)?.img;
            if (target && shown === this.shown) target.src = uri;
          },
          () => undefined,
        );
      }),
    );
  }

  private setMode(mode: Mode): void {
    this.element.classList.toggle('mode-swipe', mode === 'swipe');
    this.slider.hidden = mode !== 'swipe';
    for (const button of this.modeButtons) button.setAttribute('aria-pressed', String(button.dataset.mode === mode));
  }
}

function frameSize(entry: EntryView): { width: number; height: number } {
  return entry.width && entry.height ? { width: entry.width, height: entry.height } : ULTRA_SIZES[entry.aspectRatio] ?? { width: 1, height: 1 };
}
