// The gallery's guard against a page that never starts (src/vscode/gallery/pageStart.ts), on real webview
// panels: a page that does not say it started while shown is reported once its time is up; a page that
// started is not; a hidden page's clock runs only once it is shown.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { PageStartWatch } from '../../src/vscode/gallery/pageStart';
import { waitFor } from './support';

const TIMEOUT_MS = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('gallery: a page that never starts is reported', function () {
  this.timeout(30_000);
  const opened: vscode.Disposable[] = [];

  function openPanel(): { panel: vscode.WebviewPanel; watch: PageStartWatch; stuck: () => number } {
    // A page without scripts: it never says it started, like a page whose host hung.
    const panel = vscode.window.createWebviewPanel('fluxStudio.test.pageStart', 'Page start test', vscode.ViewColumn.Active, {});
    panel.webview.html = '<!DOCTYPE html><html><body>waiting</body></html>';
    let reports = 0;
    const watch = new PageStartWatch(panel, () => reports++, TIMEOUT_MS);
    opened.push(watch, panel);
    return { panel, watch, stuck: () => reports };
  }

  /** Puts a text editor in front of the panel. */
  async function hide(panel: vscode.WebviewPanel): Promise<void> {
    const document = await vscode.workspace.openTextDocument({ content: 'in front of the panel' });
    await vscode.window.showTextDocument(document, { viewColumn: panel.viewColumn, preview: false });
    await waitFor('the panel hidden', () => !panel.visible, 5_000);
  }

  afterEach(async () => {
    while (opened.length) opened.pop()?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports a shown page that did not start in time, once', async () => {
    const { watch, stuck } = openPanel();
    watch.expectStart();
    await waitFor('the report', () => stuck() > 0, 5_000);
    await sleep(TIMEOUT_MS * 2);
    assert.strictEqual(stuck(), 1);
  });

  it('does not report a page that started, also after it was hidden and shown again', async () => {
    const { panel, watch, stuck } = openPanel();
    watch.expectStart();
    await sleep(TIMEOUT_MS / 4);
    watch.markStarted();
    await hide(panel);
    panel.reveal();
    await waitFor('the panel shown', () => panel.visible, 5_000);
    await sleep(TIMEOUT_MS * 3);
    assert.strictEqual(stuck(), 0);
  });

  it('runs the clock of a hidden page only once it is shown', async () => {
    const { panel, watch, stuck } = openPanel();
    await hide(panel);
    watch.expectStart();
    await sleep(TIMEOUT_MS * 3);
    assert.strictEqual(stuck(), 0, 'not reported while hidden');
    panel.reveal();
    await waitFor('the report after it was shown', () => stuck() > 0, 5_000);
  });
});
