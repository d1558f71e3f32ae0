// Entry point of the Illustrate plan page (bundled by esbuild into dist/plan.js, inlined by the extension
// into its page shell, see src/vscode/illustrate/page.ts): one row per section — heading, an editable
// prompt, the aspect ratio, a checkbox — one style line for every image, and Generate with the total price.
// Text from the document only ever goes in through textContent and form values.
import { PLAN_STRINGS_EN, STYLE_MAX_LENGTH, STYLE_PRESETS, isPlanNotification, type PlanBoot, type PlanMessage, type PlanNotification, type PlanRow, type PlanStringKey, type RowRequest, type RowStatus } from '../../protocol/illustrate';
import { ASPECT_RATIOS, PROMPT_MAX_LENGTH } from '../../shared/options';
import { formatString } from '../../shared/formatString';
import { h } from '../dom';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
let nextId = 1;
/** Sends one of the plan's messages (checked again on arrival, see parsePlanMessage). */
function post<M extends PlanMessage['method']>(method: M, params: Extract<PlanMessage, { method: M }>['params']): void {
  vscode.postMessage({ id: `p${nextId++}`, method, params });
}

/** The words of each row status (a planned row says nothing). */
const STATUS_TEXT: Record<Exclude<RowStatus['kind'], 'planned'>, PlanStringKey> = {
  hasImage: 'statusHasImage',
  waiting: 'statusWaiting',
  running: 'statusRunning',
  placed: 'statusPlaced',
  inGallery: 'statusInGallery',
  notStarted: 'statusNotStarted',
  failed: 'statusFailed',
};

interface RowView {
  row: PlanRow;
  checkbox: HTMLInputElement;
  prompt: HTMLTextAreaElement;
  ratio: HTMLSelectElement;
  status: HTMLElement;
  retry: HTMLButtonElement;
}

class PlanPage {
  private readonly rows: RowView[] = [];
  private readonly style = h('input', { type: 'text', id: 'style', maxlength: STYLE_MAX_LENGTH });
  private readonly documentRatio = ratioSelect();
  private readonly generate = h('button', { type: 'button', class: 'button primary', 'data-action': 'generate' });
  private readonly cancel = h('button', { type: 'button', class: 'button', 'data-action': 'cancel', hidden: true });
  private running = false;

  constructor(private readonly boot: PlanBoot) {}

  private t(key: PlanStringKey, values: Record<string, string | number> = {}): string {
    return formatString(this.boot.strings[key] || PLAN_STRINGS_EN[key], values);
  }

  render(app: HTMLElement): void {
    const { boot } = this;
    document.title = this.t('title', { document: boot.documentName });
    this.style.value = boot.style;
    this.style.placeholder = this.t('stylePlaceholder');
    this.style.addEventListener('input', () => this.syncPresets());
    this.cancel.textContent = this.t('cancel');
    this.documentRatio.id = 'document-ratio';
    this.documentRatio.value = boot.aspectRatio;
    this.documentRatio.addEventListener('change', () => {
      for (const view of this.rows) if (!view.ratio.disabled) view.ratio.value = this.documentRatio.value;
    });
    const presets = h('div', { class: 'presets', role: 'group', 'aria-label': this.t('stylePresets') });
    for (const preset of STYLE_PRESETS) {
      const button = h('button', { type: 'button', class: 'button preset', 'data-preset': preset.style, 'aria-pressed': 'false', text: this.t(preset.label) });
      button.addEventListener('click', () => {
        this.style.value = preset.style;
        this.syncPresets();
      });
      presets.append(button);
    }
    const list = h('ol', { class: 'rows' });
    for (const row of boot.rows) list.append(this.renderRow(row));
    app.append(
      h('h1', { text: this.t('title', { document: boot.documentName }) }),
      h('p', { class: 'intro', text: this.t('intro') }),
      h('p', { class: 'note', text: this.t(boot.promptsByModel ? 'promptsByModel' : 'promptsByHeadings') }),
      h('div', { class: 'style-line' }, h('label', { for: 'style', text: this.t('style') }), this.style, presets),
      h('div', { class: 'style-line' }, h('label', { for: 'document-ratio', text: this.t('documentRatio') }), this.documentRatio),
      boot.rows.length ? list : h('p', { class: 'empty', text: this.t('noSections') }),
      h('div', { class: 'actions' }, this.generate, this.cancel),
    );
    this.generate.addEventListener('click', () => this.start());
    this.cancel.addEventListener('click', () => {
      post('plan/cancel', {});
      this.cancel.disabled = true; // what was sent still lands; the run ends then
    });
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (isPlanNotification(event.data)) this.onNotification(event.data);
    });
    this.syncPresets();
    this.update();
  }

  private renderRow(row: PlanRow): HTMLElement {
    const heading = row.heading;
    const checkbox = h('input', { type: 'checkbox', 'aria-label': this.t('include', { heading }) });
    checkbox.checked = row.checked;
    const prompt = h('textarea', { rows: 2, maxlength: PROMPT_MAX_LENGTH, 'aria-label': this.t('prompt', { heading }) });
    prompt.value = row.prompt;
    const ratio = ratioSelect();
    ratio.setAttribute('aria-label', this.t('aspectRatio', { heading }));
    ratio.value = row.aspectRatio;
    const status = h('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
    const retry = h('button', { type: 'button', class: 'button', 'data-action': 'retry', hidden: true, text: this.t('retry'), 'aria-label': this.t('retryRow', { heading }) });
    const view: RowView = { row, checkbox, prompt, ratio, status, retry };
    this.rows.push(view);
    checkbox.addEventListener('change', () => this.update());
    prompt.addEventListener('input', () => this.update());
    retry.addEventListener('click', () => post('plan/retry', { row: this.request(view), style: this.style.value }));
    const item = h(
      'li',
      { class: `row level-${Math.min(row.level, 6)}`, 'data-row': row.id },
      h('div', { class: 'row-head' }, checkbox, h('span', { class: 'heading', text: heading }), status),
      h('div', { class: 'row-body' }, prompt, ratio, retry),
    );
    this.setStatus(view, row.status);
    return item;
  }

  private request(view: RowView): RowRequest {
    return { id: view.row.id, prompt: view.prompt.value, aspectRatio: view.ratio.value as RowRequest['aspectRatio'] };
  }

  /** Rows that Generate would make: checked, with a prompt, not yet illustrated. */
  private chosen(): RowView[] {
    return this.rows.filter((view) => view.checkbox.checked && !view.checkbox.disabled && view.prompt.value.trim() !== '');
  }

  private start(): void {
    const chosen = this.chosen();
    if (chosen.length === 0 || this.running) return;
    post('plan/generate', { rows: chosen.map((view) => this.request(view)), style: this.style.value, aspectRatio: this.documentRatio.value as RowRequest['aspectRatio'] });
  }

  private onNotification(message: PlanNotification): void {
    if (message.method === 'plan/running') {
      this.running = message.params.running;
      this.update();
      return;
    }
    if (message.method === 'plan/price') {
      const { credits, approximate } = message.params.price ?? {};
      if (typeof credits === 'number' && Number.isFinite(credits) && credits > 0 && typeof approximate === 'boolean') this.boot.price = { credits, approximate };
      this.update();
      return;
    }
    const view = this.rows.find((candidate) => candidate.row.id === message.params.id);
    if (view) this.setStatus(view, message.params.status);
    this.update();
  }

  private setStatus(view: RowView, status: RowStatus): void {
    view.row.status = status;
    view.status.textContent = this.statusText(status);
    view.status.dataset.kind = status.kind;
    view.retry.hidden = status.kind !== 'failed' && status.kind !== 'notStarted';
    const done = status.kind === 'hasImage' || status.kind === 'placed' || status.kind === 'inGallery';
    const busy = status.kind === 'waiting' || status.kind === 'running';
    if (done) view.checkbox.checked = false;
    for (const control of [view.checkbox, view.prompt, view.ratio]) control.disabled = done || busy;
  }

  private statusText(status: RowStatus): string {
    if (status.kind === 'planned') return '';
    const values: Record<string, string | number> =
      status.kind === 'running' ? { progress: Math.round(status.progress) } : status.kind === 'failed' ? { reason: status.reason } : {};
    return this.t(STATUS_TEXT[status.kind], values);
  }

  private syncPresets(): void {
    for (const button of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
      button.setAttribute('aria-pressed', String(button.dataset.preset === this.style.value.trim()));
    }
  }

  /** The Generate button states how many images and their total price; Cancel shows while a run goes on. */
  private update(): void {
    const count = this.chosen().length;
    const { credits, approximate } = this.boot.price;
    const total = approximate ? this.t('approximateCredits', { credits: credits * count }) : String(credits * count);
    this.generate.textContent = count === 0 ? this.t('generateNone') : count === 1 ? this.t('generateOne', { credits: total }) : this.t('generate', { count, credits: total });
    this.generate.disabled = count === 0 || this.running;
    this.cancel.hidden = !this.running;
    if (!this.running) this.cancel.disabled = false;
    for (const view of this.rows) view.retry.disabled = this.running;
  }
}

function ratioSelect(): HTMLSelectElement {
  const select = h('select');
  for (const value of ASPECT_RATIOS) select.append(h('option', { value, text: value }));
  return select;
}

function readBoot(): PlanBoot | undefined {
  try {
    return JSON.parse(document.getElementById('plan-boot')?.textContent ?? '') as PlanBoot;
  } catch {
    return undefined;
  }
}

/** The script sits in the page's <head> (see renderWebviewHtml): the page is built once the body is there. */
function start(): void {
  const boot = readBoot();
  const app = document.getElementById('app')!;
  if (boot) new PlanPage(boot).render(app);
  app.removeAttribute('aria-busy');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
