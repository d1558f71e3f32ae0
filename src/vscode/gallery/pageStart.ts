// Watches that a gallery page starts. VS Code's webview host in a browser (code-server, VS Code for the
// Web) sometimes never loads a new page: its service worker waits for a controller change that does not
// come, and the panel stays blank for good. A page that has not said `ready` this long after it was set,
// while shown, is reported so that the panel can be opened again (in a new host, which loads).
import * as vscode from 'vscode';

export const PAGE_START_TIMEOUT_MS = 10_000;

export class PageStartWatch implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly onStuck: () => void,
    private readonly timeoutMs = PAGE_START_TIMEOUT_MS,
  ) {
    // A hidden page may wait to load until it is shown: the clock runs only while the panel is visible.
    this.subscription = panel.onDidChangeViewState(() => this.arm());
  }

  /** The page was set: it should say `ready` soon. */
  expectStart(): void {
    this.started = false;
    this.arm();
  }

  /** The page said `ready`. */
  markStarted(): void {
    this.started = true;
    this.clear();
  }

  dispose(): void {
    this.clear();
    this.subscription.dispose();
  }

  private arm(): void {
    if (this.started || this.timer || !this.panel.visible) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.started) return;
      if (this.panel.visible) this.onStuck();
    }, this.timeoutMs);
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
