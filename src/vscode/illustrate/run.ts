// One run of a plan: after one price question (the payment gate) the chosen rows start with at most
// BATCH_CONCURRENCY jobs at Apiframe at a time — a slot frees when Apiframe has finished a job, not once its
// image is copied and placed, so the next row does not wait on our download. Each image is placed right
// after its section's first paragraph as it lands (the
// placements of "Generate Image from Selection": they follow the user's edits, and leave the image in the
// gallery with a notice when the text is gone), and each row's progress is reported as it changes.
// Cancel starts nothing more; a submit in flight always completes, and what started still lands.
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import { locateAnchor, type Anchor } from '../../insert/anchor';
import type { ImagePrice } from '../../api/prices';
import { withStyle } from '../../insert/illustration';
import { BATCH_CONCURRENCY, startLimited, type BatchStart } from '../../jobs/batch';
import type { RowRequest, RowStatus } from '../../protocol/illustrate';
import { isRunning, RUNNING_STATES, type EntryState, type GalleryEntry } from '../../shared/entry';
import type { Log } from '../../shared/log';
import { generationDefaults } from '../commands/prompts';
import type { Placements } from '../editor/placement';
import { describeReason } from '../errorMessages';
import type { GenerationService } from '../generation';
import type { PaymentGate } from '../pay';
import { creditsText } from '../prices';
import { readAfterGenerate } from '../settings';
import { l10n } from '../ui/text';

/** A job in these states still holds its batch slot: Apiframe is working on it (downloading is ours). */
const AT_APIFRAME: readonly EntryState[] = RUNNING_STATES.filter((state) => state !== 'downloading');

export interface PlanRunDeps {
  generation: GenerationService;
  gate: PaymentGate;
  placements: Placements;
  store: GalleryStore;
  log: Log;
}

export interface PlanRunEvents {
  status(rowId: string, status: RowStatus): void;
  running(running: boolean): void;
}

export class PlanRun implements vscode.Disposable {
  private cancel: AbortController | undefined;
  /** Started jobs → their rows, until each has landed (or failed). */
  private readonly rowOf = new Map<string, string>();
  /** Each row's latest job, to continue a paused one rather than pay for a new one. */
  private readonly jobOf = new Map<string, string>();
  /** Each started job's landing (placed, left in the gallery, failed or removed). */
  private readonly landings = new Awaited();
  /** Each started job's end at Apiframe (its image is ready, or it stopped): its batch slot frees then. */
  private readonly apiEnds = new Awaited();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly deps: PlanRunDeps,
    private readonly document: vscode.TextDocument,
    /** Each row's anchor: its section's first paragraph (or heading) as the plan read it. */
    private readonly anchors: ReadonlyMap<string, Anchor>,
    private readonly events: PlanRunEvents,
  ) {
    this.subscriptions = [
      deps.store.onDidChange((change) =>
        change.kind === 'upsert' ? this.onEntry(change.entry) : this.finish(change.id, { kind: 'failed', reason: l10n.t('Its image was deleted from the gallery.') }),
      ),
      deps.placements.onDidPlace(({ id, placed }) => this.finish(id, { kind: placed ? 'placed' : 'inGallery' })),
    ];
  }

  get isRunning(): boolean {
    return this.cancel !== undefined;
  }

  /** Generates the rows with the style line on every prompt, after one question for their price. */
  async start(rows: readonly RowRequest[], style: string): Promise<void> {
    if (this.cancel || rows.length === 0) return;
    const name = vscode.workspace.asRelativePath(this.document.uri);
    const question = (price: ImagePrice) => l10n.t('Illustrate {0} with {1} images for {2}?', name, rows.length, creditsText(price, rows.length));
    if (!(await this.deps.gate.confirmBatch(rows.length, question))) return;
    const cancel = (this.cancel = new AbortController());
    this.events.running(true);
    const waiting = new Set(rows.map((row) => row.id));
    for (const id of waiting) this.events.status(id, { kind: 'waiting' });
    try {
      const startRow = async (row: RowRequest): Promise<BatchStart<string>> => {
        waiting.delete(row.id);
        return this.startRow(row, style);
      };
      const apiEnded = (entryId: string) => this.apiEnds.wait(entryId);
      const { started } = await startLimited(rows, BATCH_CONCURRENCY, startRow, apiEnded, cancel.signal);
      for (const id of waiting) this.events.status(id, { kind: 'notStarted' });
      this.deps.log.info(`illustrate: ${started.length} of ${rows.length} images started for ${name}${cancel.signal.aborted ? ' (cancelled)' : ''}`);
      // The run ends when its images have landed (a Cancel does not stop those already sent).
      await Promise.all(started.map((entryId) => this.landings.wait(entryId)));
    } finally {
      this.cancel = undefined;
      this.events.running(false);
    }
  }

  /**
   * Retry on a row: a paused job continues (same idempotency key, never charged twice) and lands as planned;
   * otherwise the row is generated again, as a run of one.
   */
  async retry(row: RowRequest, style: string): Promise<void> {
    const previous = this.deps.store.get(this.jobOf.get(row.id) ?? '');
    if (previous?.state !== 'paused') return this.start([row], style);
    const at = this.locate(row.id);
    if (!at) return;
    this.deps.placements.follow(previous.id, this.document, at);
    this.rowOf.set(previous.id, row.id);
    this.events.status(row.id, { kind: 'running', progress: previous.progress });
    await this.deps.generation.retry(previous.id);
  }

  /** Starts nothing more; what was submitted goes on and still lands. */
  stop(): void {
    this.cancel?.abort();
  }

  private async startRow(row: RowRequest, style: string): Promise<BatchStart<string>> {
    const anchor = this.locate(row.id);
    if (!anchor) return 'skip';
    const { document } = this;
    const options = { ...generationDefaults(), prompt: withStyle(row.prompt, style), aspectRatio: row.aspectRatio };
    const source = { documentUri: document.uri.toString(), languageId: document.languageId };
    const [entry] = await this.deps.generation.generateVariants(options, source, { costConfirmed: true, followProgress: false, placeAfter: { document, anchor } });
    if (!entry) {
      // Over the spending limit and not raised, or refused before anything was sent: nothing more starts.
      this.events.status(row.id, { kind: 'notStarted' });
      return 'stop';
    }
    this.rowOf.set(entry.id, row.id);
    this.jobOf.set(row.id, entry.id);
    this.onEntry(this.deps.store.get(entry.id) ?? entry);
    return { started: entry.id };
  }

  /** Where the row's section text is now; undefined (and the row says why) when it is gone. */
  private locate(rowId: string): Anchor | undefined {
    const anchor = this.anchors.get(rowId);
    const at = anchor && !this.document.isClosed ? locateAnchor(this.document.getText(), anchor) : undefined;
    if (anchor && at) return { ...at, text: anchor.text };
    this.events.status(rowId, { kind: 'failed', reason: l10n.t('Its section changed since the plan was made. Run Flux: Illustrate This Document again.') });
    return undefined;
  }

  private onEntry(entry: GalleryEntry): void {
    const rowId = this.rowOf.get(entry.id);
    if (!rowId) return;
    if (!AT_APIFRAME.includes(entry.state)) this.apiEnds.resolve(entry.id);
    if (isRunning(entry.state)) this.events.status(rowId, { kind: 'running', progress: entry.progress });
    else if (entry.state === 'failed' || entry.state === 'paused') {
      this.finish(entry.id, { kind: 'failed', reason: entry.reason ? describeReason(entry.reason) : l10n.t('The job stopped.') });
    } else if (entry.state === 'completed' && readAfterGenerate() !== 'insert') this.finish(entry.id, { kind: 'inGallery' });
    // A completed image is reported once placed (onDidPlace).
  }

  private finish(entryId: string, status: RowStatus): void {
    const rowId = this.rowOf.get(entryId);
    if (!rowId) return;
    this.rowOf.delete(entryId);
    this.events.status(rowId, status);
    this.apiEnds.resolve(entryId);
    this.landings.resolve(entryId);
  }

  /** The plan closed: nothing more starts; the images already sent still land (Placements places them). */
  dispose(): void {
    this.stop();
    // No more news of them here.
    this.apiEnds.resolveAll();
    this.landings.resolveAll();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** Promises by key, resolved from elsewhere; a key resolved before anyone waits stays resolved. */
class Awaited {
  private readonly byKey = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  private allResolved = false;

  wait(key: string): Promise<void> {
    return this.allResolved ? Promise.resolve() : this.entry(key).promise;
  }

  resolve(key: string): void {
    this.entry(key).resolve();
  }

  /** Every key, waited on now or later. */
  resolveAll(): void {
    this.allResolved = true;
    for (const entry of this.byKey.values()) entry.resolve();
  }

  private entry(key: string) {
    let entry = this.byKey.get(key);
    if (!entry) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      entry = { promise, resolve };
      this.byKey.set(key, entry);
    }
    return entry;
  }
}
