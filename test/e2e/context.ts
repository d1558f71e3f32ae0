// Types shared by the end-to-end scenarios run by scripts/run-e2e.mjs in a real VS Code (code-server) with
// Playwright. A scenario file is test/e2e/<name>.e2e.ts exporting `scenario` (or `scenarios`) of type Scenario.
// Scenarios get the harness helpers through the context (the harness is an ES module in scripts/).
import type { FrameLocator, Locator, Page } from 'playwright-core';

export interface SimulatorHandle {
  url: string;
  port: number;
  stats(): unknown;
  injectFault(rule: unknown): unknown;
  configure(options: unknown): unknown;
  reset(): unknown;
}

/** The VS Code versions the e2e layer runs on (pinned in scripts/setup-vscode.mjs, VSCODE_VERSIONS). */
export type VsCodeRole = 'oldest' | 'newest';
/** The core flow every tested VS Code version must keep working. */
export const ALL_VERSIONS: VsCodeRole[] = ['oldest', 'newest'];

export interface ScenarioContext {
  /** The workbench page (1400×900), already loaded with the workspace open and the explorer visible. */
  page: Page;
  /** Absolute path of this window's fresh copy of test/fixtures/workspace. */
  workspace: string;
  /** Which tested VS Code this runs on, and its version (e.g. '1.139.1'). */
  vscodeRole: VsCodeRole;
  vscodeVersion: string;
  /** Folder of the installed extension (from the packaged .vsix) inside code-server's extensions dir. */
  extensionPath: string;
  /** Workbench URL (http://127.0.0.1:<port>/?folder=…). */
  workbenchUrl: string;
  /** code-server's user data dir (global storage is under User/globalStorage/), e.g. to seed the gallery. */
  userDataDir: string;
  /** The Apiframe simulator (reset before each scenario). API key: ctx.apiKey. */
  simulator: SimulatorHandle;
  apiKey: string;
  /** test-output/e2e/ (test-output/e2e/<role>/ on other than the oldest VS Code) — where screenshots and artefacts go. */
  outputDir: string;
  log(message: string): void;
  /** Saves <outputDir>/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Runs a command from the F1 palette by full title ("Flux: Open Gallery"), retrying until it is listed. */
  runCommand(title: string, options?: { timeoutMs?: number }): Promise<string>;
  /** Notification texts via "Notifications: Show Notifications". */
  readNotifications(options?: { keepOpen?: boolean }): Promise<string[]>;
  /** Labels of the visible explorer rows. */
  explorerItems(): Promise<string[]>;
  /** Opens a file by clicking it in the explorer and waits for its editor. */
  openFile(fileName: string): Promise<void>;
  /** Selects the editor line containing `text` and waits for the selection to render. */
  selectLineWithText(text: string): Promise<void>;
  /**
   * Right-clicks inside the selected text and clicks the context-menu entry; fails (with the menu's labels, the
   * focused element and the selection) when the entry is missing. A menu that did not open is a counted retry.
   */
  rightClickSelection(text: string, menuLabel?: string): Promise<unknown>;
  /** Clicks an entry of the open context menu; false (menu closed again) when the click was lost. */
  clickMenuEntry(entry: Locator): Promise<boolean>;
  /** The active webview's content frame. */
  webview(): FrameLocator;
  /** Waits until fn returns a truthy value (polling a condition; a repeated user step calls countRetry). */
  retry<T>(fn: () => Promise<T | undefined | null | false>, options?: { timeoutMs?: number; intervalMs?: number; what?: string }): Promise<T>;
  sleep(ms: number): Promise<void>;
  /** Records that a user step had to be done again (printed, and counted in the run's "retries: N"). */
  countRetry(what: string): void;
  /**
   * Opens another window of the same code-server: a second browser page with the same user-data-dir (one
   * profile, one global storage — like two desktop VS Code windows) on a fresh workspace copy named
   * `workspace-2`. Returns that window's context, with the same helpers.
   */
  openSecondWindow(): Promise<ScenarioContext>;
}

export interface Scenario {
  name: string;
  /** Extra user settings for this scenario's VS Code (merged over the defaults, incl. fluxStudio.apiBaseUrl). */
  settings?: Record<string, unknown>;
  /** VS Code display language for this scenario (e.g. 'ko'); the runner installs a stub language pack. */
  locale?: string;
  /** The VS Code versions to run on; default ['oldest']. The core flow uses ALL_VERSIONS. */
  versions?: VsCodeRole[];
  /**
   * Makes VS Code's own Chat view usable without Copilot: installs test/fixtures/chat-host-stub, a test-only
   * default participant and language model (VS Code 1.100's API proposals, so 'oldest' only).
   */
  chatHost?: boolean;
  /** Per-scenario time limit; default 120 s. */
  timeoutMs?: number;
  run(ctx: ScenarioContext): Promise<void>;
}
