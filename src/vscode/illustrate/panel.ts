// The plan view of Illustrate This Document: one webview panel per document, built from the plan, that
// runs the plan (run.ts) when the user presses Generate. Everything the page sends is checked by
// parsePlanMessage (rows must be the plan's own); the page gets text only as JSON data.
import * as crypto from 'crypto';
import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import type { Anchor } from '../../insert/anchor';
import { PLAN_STRINGS_EN, PLAN_STRING_KEYS, parsePlanMessage, type PlanBoot, type PlanNotification, type PlanRow, type PlanStrings, type RowStatus } from '../../protocol/illustrate';
import type { AspectRatio } from '../../shared/options';
import { reportError } from '../editor/workspaceFiles';
import { renderWebviewHtml } from '../gallery/html';
import { l10n } from '../ui/text';
import type { PlanMemory } from './planMemory';
import { PlanRun, type PlanRunDeps } from './run';

export interface PlanPanelDeps extends PlanRunDeps {
  extensionUri: vscode.Uri;
  /** The gallery loaded: the plan opens without it, Generate and Retry wait for it. */
  ready(): Promise<void>;
  /** The style line and each document's aspect ratio, per workspace. */
  memory: PlanMemory;
}

/** What the command read from the document. */
export interface DocumentPlan {
  document: vscode.TextDocument;
  rows: PlanRow[];
  /** The document's aspect ratio, which its rows start with. */
  aspectRatio: AspectRatio;
  /** Each row's section text its image goes after. */
  anchors: ReadonlyMap<string, Anchor>;
  promptsByModel: boolean;
}

export class PlanPanel {
  static readonly viewType = 'fluxStudio.illustrate';
  private static readonly open = new Map<string, PlanPanel>();

  private readonly run: PlanRun;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Shows the plan of a document; a plan of the same document that is still running is shown instead. */
  static show(deps: PlanPanelDeps, plan: DocumentPlan): PlanPanel {
    const key = plan.document.uri.toString();
    const existing = PlanPanel.open.get(key);
    if (existing?.run.isRunning) {
      existing.panel.reveal();
      return existing;
    }
    existing?.dispose();
    const panel = vscode.window.createWebviewPanel(PlanPanel.viewType, planTitle(plan.document), vscode.ViewColumn.Beside, {
      enableScripts: true,
      enableCommandUris: false,
      // The script and stylesheet are inlined; the source map is the only file the page may load.
      localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist')],
      retainContextWhenHidden: true,
    });
    const created = new PlanPanel(panel, deps, plan);
    PlanPanel.open.set(key, created);
    return created;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PlanPanelDeps,
    private readonly plan: DocumentPlan,
  ) {
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.png');
    this.run = new PlanRun(deps, plan.document, plan.anchors, {
      status: (id, status) => this.setStatus(id, status),
      running: (running) => this.post({ method: 'plan/running', params: { running } }),
    });
    this.disposables.push(
      this.run,
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
    );
    void this.render().catch((error) => deps.log.error(`illustrate: could not build the plan page: ${error instanceof Error ? error.message : String(error)}`));
  }

  private async render(): Promise<void> {
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, 'dist');
    const [styles, script] = await Promise.all([
      fs.readFile(vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'plan.css').fsPath, 'utf8'),
      fs.readFile(vscode.Uri.joinPath(dist, 'plan.js').fsPath, 'utf8'),
    ]);
    // The price known now, so the page does not wait for Apiframe; its price list (cached for a day) follows.
    const price = this.deps.generation.imageCost();
    const boot: PlanBoot = {
      documentName: vscode.workspace.asRelativePath(this.plan.document.uri),
      rows: this.plan.rows,
      aspectRatio: this.plan.aspectRatio,
      style: this.deps.memory.style(),
      price,
      promptsByModel: this.plan.promptsByModel,
      strings: localizedPlanStrings(),
    };
    if (this.disposed) return;
    this.panel.webview.html = renderWebviewHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      styles,
      script,
      sourceMapUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'plan.js.map')).toString(),
      boot,
      bootId: 'plan-boot',
      title: planTitle(this.plan.document),
      lang: vscode.env.language,
    });
    const read = await this.deps.generation.refreshPrice();
    if (read.credits !== price.credits || read.approximate !== price.approximate) this.post({ method: 'plan/price', params: { price: { credits: read.credits, approximate: read.approximate } } });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parsePlanMessage(raw, new Set(this.plan.rows.map((row) => row.id)));
    if (!parsed.ok) {
      this.deps.log.warn(`illustrate: refused a message from the plan page: ${parsed.reason}`);
      return;
    }
    const { msg } = parsed;
    if (msg.method === 'plan/cancel') return this.run.stop();
    const rows = msg.method === 'plan/generate' ? msg.params.rows : [msg.params.row];
    if (msg.method === 'plan/generate') this.plan.aspectRatio = msg.params.aspectRatio;
    await this.deps.memory.remember(this.plan.document.uri, msg.params.style, this.plan.aspectRatio);
    for (const request of rows) {
      const row = this.plan.rows.find((candidate) => candidate.id === request.id)!;
      Object.assign(row, { prompt: request.prompt, aspectRatio: request.aspectRatio, checked: true });
    }
    try {
      await this.deps.ready();
    } catch (error) {
      return reportError(error, this.deps.log);
    }
    if (msg.method === 'plan/retry') await this.run.retry(msg.params.row, msg.params.style);
    else await this.run.start(rows, msg.params.style);
  }

  /** Kept in the plan too, so the page shows it again if it is built anew. */
  private setStatus(id: string, status: RowStatus): void {
    const row = this.plan.rows.find((candidate) => candidate.id === id);
    if (row) row.status = status;
    this.post({ method: 'plan/status', params: { id, status } });
  }

  private post(message: PlanNotification): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const key = this.plan.document.uri.toString();
    if (PlanPanel.open.get(key) === this) PlanPanel.open.delete(key);
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function planTitle(document: vscode.TextDocument): string {
  return l10n.t('Illustrate {0}', vscode.workspace.asRelativePath(document.uri, false));
}

/** The English table run through l10n.t (English text is the key in l10n/bundle.l10n.*.json). */
function localizedPlanStrings(): PlanStrings {
  const strings = {} as PlanStrings;
  for (const key of PLAN_STRING_KEYS) strings[key] = l10n.t(PLAN_STRINGS_EN[key]);
  return strings;
}
