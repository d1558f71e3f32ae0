// The prompt bar: prompt, aspect ratio, how many variants, and Generate (its label states the cost when more
// than one image will be made; the extension still asks before paying). Format, quality, Raw, seed and the
// reference image wait under an Options disclosure, which remembers whether it was open. Checked with the one options
// schema the extension uses too (validatePromptOptions) so errors show here before anything is sent.
import { EnhancePromptRequest, GenerateRequest, type PromptDefaults, type PromptOptions } from '../protocol/gallery';
import { isImageCost, validatePromptOptions } from '../protocol/validate';
import { hasQuality } from '../shared/media';
import { ASPECT_RATIOS, FORMAT_LABELS, GENERATION_DEFAULTS, OUTPUT_FORMATS, PROMPT_MAX_LENGTH, ULTRA_SIZES, type AspectRatio } from '../shared/options';
import { OPTION_LIMITS, optionRuleText } from '../shared/optionsSchema';
import { ORIGINAL_PROMPT_MAX_LENGTH } from '../shared/entry';
import { ENHANCE_INPUT_MAX_CHARS } from '../shared/promptEnhance';
import { DEFAULT_CREDIT_COST, VARIANTS_MAX, VARIANTS_MIN, isVariantCount } from '../shared/variants';
import { h, icon } from './dom';
import { t, type GalleryStringKey } from './strings';
import { request, type Draft } from './vscodeApi';

export class PromptBar {
  readonly element: HTMLFormElement;
  private readonly prompt: HTMLTextAreaElement;
  private readonly counter: HTMLSpanElement;
  private readonly aspectRatio: HTMLSelectElement;
  private readonly format: HTMLSelectElement;
  private readonly quality: HTMLInputElement;
  private readonly raw: HTMLInputElement;
  private readonly seed: HTMLInputElement;
  private readonly reference: HTMLInputElement;
  private readonly strength: HTMLInputElement;
  private readonly variants: HTMLSelectElement;
  private readonly error: HTMLDivElement;
  private readonly generate: HTMLButtonElement;
  private readonly generateLabel: HTMLSpanElement;
  private submitting = false;
  private readonly enhance: HTMLButtonElement;
  private readonly enhanceLabel: HTMLSpanElement;
  /** The user's own text while the prompt is the Enhance prompt button's rewrite of it (sent with Generate). */
  private originalPrompt: string | undefined;
  private imageCost = DEFAULT_CREDIT_COST;

  private readonly options: HTMLDetailsElement;

  constructor(
    private readonly onDraftChange: (draft: Draft) => void,
    optionsOpen: boolean,
    onOptionsToggle: (open: boolean) => void,
  ) {
    this.prompt = h('textarea', {
      id: 'prompt',
      rows: 3,
      maxlength: PROMPT_MAX_LENGTH * 2,
      placeholder: t('promptPlaceholder'),
      'aria-describedby': 'prompt-counter prompt-error',
    });
    this.counter = h('span', { id: 'prompt-counter', class: 'counter', 'aria-live': 'polite' });
    this.aspectRatio = h('select', { id: 'opt-aspect' });
    for (const ratio of ASPECT_RATIOS) {
      const size = ULTRA_SIZES[ratio];
      this.aspectRatio.append(h('option', { value: ratio, text: `${ratio} ${t(orientation(ratio))} — ${size.width} × ${size.height}` }));
    }
    this.format = h('select', { id: 'opt-format' });
    for (const format of OUTPUT_FORMATS) this.format.append(h('option', { value: format, text: FORMAT_LABELS[format] }));
    this.quality = h('input', { id: 'opt-quality', type: 'number', min: OPTION_LIMITS.qualityMin, max: OPTION_LIMITS.qualityMax, step: 1, inputmode: 'numeric' });
    this.raw = h('input', { id: 'opt-raw', type: 'checkbox' });
    this.seed = h('input', { id: 'opt-seed', type: 'text', inputmode: 'numeric', placeholder: t('seedPlaceholder'), autocomplete: 'off' });
    this.reference = h('input', { id: 'opt-reference', type: 'url', placeholder: 'https://…', autocomplete: 'off', spellcheck: 'false' });
    const { strengthMin, strengthMax, strengthStep } = OPTION_LIMITS;
    this.strength = h('input', { id: 'opt-strength', type: 'number', min: strengthMin, max: strengthMax, step: strengthStep });
    this.variants = h('select', { id: 'opt-variants' });
    for (let count = VARIANTS_MIN; count <= VARIANTS_MAX; count++) this.variants.append(h('option', { value: count, text: String(count) }));
    this.error = h('div', { id: 'prompt-error', class: 'error', role: 'alert' });
    this.generateLabel = h('span', { text: t('generate') });
    this.generate = h('button', { type: 'submit', class: 'button primary', 'data-action': 'generate' }, icon('sparkle'), this.generateLabel);
    this.enhanceLabel = h('span', { text: t('enhancePrompt') });
    this.enhance = h('button', { type: 'button', class: 'button', 'data-action': 'enhance-prompt', hidden: true }, icon('wand'), this.enhanceLabel);
    this.enhance.addEventListener('click', () => this.enhancePrompt());

    const field = (label: GalleryStringKey, control: HTMLElement, cls = 'field') =>
      h('label', { class: cls, for: control.id }, h('span', { class: 'label', text: t(label) }), control);

    this.element = h(
      'form',
      { class: 'prompt-bar', novalidate: true, 'aria-label': t('promptLabel') },
      h('div', { class: 'prompt-row' },
        h('label', { class: 'visually-hidden', for: 'prompt', text: t('promptLabel') }),
        this.prompt,
      ),
      h('div', { class: 'options' },
        field('aspectRatio', this.aspectRatio),
        field('variants', this.variants, 'field narrow'),
      ),
      (this.options = h('details', { class: 'more-options', open: optionsOpen },
        h('summary', { text: t('options') }),
        h('div', { class: 'options' },
          field('format', this.format),
          field('quality', this.quality, 'field narrow'),
          h('label', { class: 'field checkbox', for: 'opt-raw' }, this.raw, h('span', { class: 'label', text: t('raw') })),
          field('seed', this.seed, 'field narrow'),
          field('referenceUrl', this.reference, 'field wide'),
          field('strength', this.strength, 'field narrow'),
        ),
      )),
      h('div', { class: 'actions-row' }, this.error, this.counter, this.enhance, this.generate),
    );
    this.options.addEventListener('toggle', () => onOptionsToggle(this.options.open));

    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.prompt.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.submit();
      }
    });
    this.element.addEventListener('input', () => this.changed());
    this.element.addEventListener('change', () => this.changed());
    this.updateCounter();
  }

  /** Settings defaults (not the prompt or the reference URL). */
  applyDefaults(defaults: PromptDefaults): void {
    this.aspectRatio.value = defaults.aspectRatio;
    this.format.value = defaults.outputFormat;
    this.quality.value = String(defaults.outputQuality);
    this.raw.checked = defaults.raw;
    this.seed.value = defaults.seed !== undefined ? String(defaults.seed) : '';
    this.strength.value = String(defaults.imagePromptStrength ?? GENERATION_DEFAULTS.imagePromptStrength);
    this.variants.value = String(isVariantCount(defaults.variants) ? defaults.variants : VARIANTS_MIN);
    this.enhance.hidden = defaults.enhancePrompt !== true;
    this.syncDisabled();
    this.updateGenerateLabel();
  }

  /** What one image costs, as far as the extension knows (the label states count × this). */
  setImageCost(credits: number): void {
    if (!isImageCost(credits) || credits === this.imageCost) return;
    this.imageCost = credits;
    this.updateGenerateLabel();
  }

  applyDraft(draft: Draft): void {
    const set = (input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: unknown) => {
      if (typeof value === 'string') input.value = value;
    };
    set(this.prompt, draft.prompt);
    if ([...this.aspectRatio.options].some((o) => o.value === draft.aspectRatio)) set(this.aspectRatio, draft.aspectRatio);
    if ([...this.format.options].some((o) => o.value === draft.outputFormat)) set(this.format, draft.outputFormat);
    set(this.quality, draft.outputQuality);
    if (typeof draft.raw === 'boolean') this.raw.checked = draft.raw;
    set(this.seed, draft.seed);
    set(this.reference, draft.imagePrompt);
    set(this.strength, draft.imagePromptStrength);
    if ([...this.variants.options].some((o) => o.value === draft.variants)) set(this.variants, draft.variants);
    this.syncDisabled();
    this.updateCounter();
    this.updateGenerateLabel();
  }

  /** Fills the bar from an entry ("Edit prompt and retry" on a failed card). */
  fill(options: Partial<PromptOptions>, focus = true): void {
    if (typeof options.prompt === 'string') {
      this.prompt.value = options.prompt;
      this.originalPrompt = undefined;
    }
    if (options.aspectRatio) this.aspectRatio.value = options.aspectRatio;
    if (options.outputFormat) this.format.value = options.outputFormat;
    if (typeof options.outputQuality === 'number') this.quality.value = String(options.outputQuality);
    if (typeof options.raw === 'boolean') this.raw.checked = options.raw;
    if ('seed' in options) this.seed.value = options.seed !== undefined ? String(options.seed) : '';
    if ('imagePrompt' in options) this.reference.value = options.imagePrompt ?? '';
    if (typeof options.imagePromptStrength === 'number') this.strength.value = String(options.imagePromptStrength);
    this.changed();
    if (focus) {
      this.element.scrollIntoView({ block: 'start' });
      this.prompt.focus();
      this.prompt.setSelectionRange(this.prompt.value.length, this.prompt.value.length);
    }
  }

  draft(): Draft {
    return {
      prompt: this.prompt.value,
      aspectRatio: this.aspectRatio.value,
      outputFormat: this.format.value,
      outputQuality: this.quality.value,
      raw: this.raw.checked,
      seed: this.seed.value,
      imagePrompt: this.reference.value,
      imagePromptStrength: this.strength.value,
      variants: this.variants.value,
    };
  }

  private submit(): void {
    if (this.submitting) return;
    const raw: Record<string, unknown> = {
      prompt: this.prompt.value,
      aspectRatio: this.aspectRatio.value,
      outputFormat: this.format.value,
      outputQuality: Number(this.quality.value),
      raw: this.raw.checked,
    };
    const seed = this.seed.value.trim();
    if (seed) raw.seed = /^-?\d+$/.test(seed) ? Number(seed) : NaN;
    const reference = this.reference.value.trim();
    if (reference) {
      raw.imagePrompt = reference;
      raw.imagePromptStrength = Number(this.strength.value);
    }
    const result = validatePromptOptions(raw);
    if (!result.ok) {
      const { key, values } = optionRuleText(result.field, result.problem, raw[result.field]);
      this.showError(t(key, values), result.field);
      return;
    }
    this.showError('');
    this.setSubmitting(true);
    const originalPrompt = this.originalPrompt !== undefined && this.originalPrompt.trim() !== result.value.prompt ? this.originalPrompt.slice(0, ORIGINAL_PROMPT_MAX_LENGTH) : undefined;
    request(GenerateRequest, { options: result.value, variants: this.variantCount(), ...(originalPrompt ? { originalPrompt } : {}) }).then(
      () => this.setSubmitting(false),
      (error: Error) => {
        this.setSubmitting(false);
        if (error.message) this.showError(error.message);
      },
    );
  }

  /**
   * Replaces the prompt with a language model's rewrite (the extension shows its progress and any failure),
   * as one edit of the text area, so Undo in it brings the user's text back.
   */
  private enhancePrompt(): void {
    const prompt = this.prompt.value;
    if (!prompt.trim() || this.enhance.disabled) return;
    this.enhance.disabled = true;
    this.enhanceLabel.textContent = t('enhancing');
    request(EnhancePromptRequest, { prompt: prompt.slice(0, ENHANCE_INPUT_MAX_CHARS) })
      .then(({ prompt: rewrite }) => {
        if (this.prompt.value !== prompt) return; // the user typed meanwhile: their text wins
        this.originalPrompt ??= prompt;
        this.prompt.focus();
        this.prompt.select();
        if (!document.execCommand('insertText', false, rewrite)) this.prompt.value = rewrite; // execCommand keeps Undo
        this.changed();
      })
      .catch((error: Error) => error.message && this.showError(error.message))
      .finally(() => {
        this.enhance.disabled = false;
        this.enhanceLabel.textContent = t('enhancePrompt');
      });
  }

  private setSubmitting(submitting: boolean): void {
    this.submitting = submitting;
    this.generate.disabled = submitting;
    this.updateGenerateLabel();
  }

  private variantCount(): number {
    const count = Number(this.variants.value);
    return isVariantCount(count) ? count : VARIANTS_MIN;
  }

  /** "Generate", or with several variants "Generate 3 · 18 credits". */
  private updateGenerateLabel(): void {
    const count = this.variantCount();
    this.generateLabel.textContent = this.submitting
      ? t('submitting')
      : count > 1
        ? t('generateVariants', { count, credits: count * this.imageCost })
        : t('generate');
  }

  private showError(message: string, field?: string): void {
    this.error.textContent = message;
    for (const input of [this.prompt, this.quality, this.seed, this.reference, this.strength]) input.removeAttribute('aria-invalid');
    const target = { prompt: this.prompt, outputQuality: this.quality, seed: this.seed, imagePrompt: this.reference, imagePromptStrength: this.strength }[
      field ?? ''
    ];
    if (target) {
      // A mistake in a field under Options opens it, so the focus lands on something visible.
      if (this.options.contains(target)) this.options.open = true;
      target.setAttribute('aria-invalid', 'true');
      target.focus();
    }
  }

  private changed(): void {
    this.updateCounter();
    this.updateGenerateLabel();
    this.syncDisabled();
    this.onDraftChange(this.draft());
  }

  private syncDisabled(): void {
    this.quality.disabled = !hasQuality(this.format.value);
    this.strength.disabled = !this.reference.value.trim();
  }

  private updateCounter(): void {
    const length = this.prompt.value.trim().length;
    this.counter.textContent = t('promptCounter', { length, max: PROMPT_MAX_LENGTH });
    this.counter.classList.toggle('over', length > PROMPT_MAX_LENGTH);
  }
}

/** Landscape (wider than tall), portrait or square: the aspect ratio in words. */
function orientation(ratio: AspectRatio): GalleryStringKey {
  const { width, height } = ULTRA_SIZES[ratio];
  return width > height ? 'landscape' : width < height ? 'portrait' : 'square';
}
