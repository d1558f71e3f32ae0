// Shared helpers for driving a real VS Code (code-server / VS Code server) with Playwright.
// See /work/shared/real-vscode.md for the why of each step. Used by run-integration.mjs and run-e2e.mjs.
//
// Everything started here is registered for cleanup: servers run in their own process group
// (spawn `detached` = setsid) and the whole group is killed on normal exit, SIGINT/SIGTERM and crashes.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT_DIR = path.join(ROOT, 'test-output');

export const BASE_SETTINGS = Object.freeze({
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  // Markdown wraps by default: a long paragraph would be several rows, and selecting "the line" with the keys
  // would select one row only — a right-click outside the selection then moves the cursor and the menu is
  // built without `editorHasSelection`.
  'editor.wordWrap': 'off',
  '[markdown]': { 'editor.wordWrap': 'off' },
  // A whole run makes more images than a day's default limit; the spending-limit tests set a small one.
  'fluxStudio.spendingLimit': 0,
});

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Cleanup registry
// ---------------------------------------------------------------------------------------------
const groups = new Set(); // pids of detached process groups still alive
const asyncCleanups = new Set(); // async cleanups (browsers, simulators, temp dirs)
let handlersInstalled = false;

function killGroupSync(pid, signal = 'SIGKILL') {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const pid of groups) killGroupSync(pid);
  });
  const onSignal = (sig) => {
    console.error(`\n[harness] ${sig}: stopping servers …`);
    cleanupAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('uncaughtException', (err) => {
    console.error('[harness] uncaught exception:', err);
    for (const pid of groups) killGroupSync(pid);
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    console.error('[harness] unhandled rejection:', err);
    for (const pid of groups) killGroupSync(pid);
    process.exit(1);
  });
}

/** Registers an async cleanup run by cleanupAll() (and on SIGINT/SIGTERM). Returns an unregister function. */
export function onCleanup(fn) {
  installHandlers();
  asyncCleanups.add(fn);
  return () => asyncCleanups.delete(fn);
}

/** Runs all registered cleanups (newest first) and kills every remaining server process group. */
export async function cleanupAll() {
  for (const fn of [...asyncCleanups].reverse()) {
    asyncCleanups.delete(fn);
    try {
      await fn();
    } catch (e) {
      console.error('[harness] cleanup failed:', e?.message || e);
    }
  }
  for (const pid of groups) killGroupSync(pid);
  groups.clear();
}

// ---------------------------------------------------------------------------------------------
// Ports, processes, HTTP
// ---------------------------------------------------------------------------------------------

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh temp directory, removed by cleanupAll() unless keep is true. */
export function makeTempDir(prefix = 'flux-studio-', { keep = false } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (!keep && !process.env.FLUX_KEEP_TMP) onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts a long-running process in its own process group (like `setsid`). Output goes to logFile
 * (and is kept in memory: `output()`); `stop()` kills the whole group (SIGTERM, then SIGKILL after 3 s).
 * @param {{name: string, command: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv, logFile?: string}} o
 * @returns {{pid: number, child: import('node:child_process').ChildProcess, output: () => string, exited: Promise<number|null>, stop: () => Promise<void>}}
 */
export function startProcess({ name, command, args, cwd = ROOT, env = process.env, logFile }) {
  installHandlers();
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (!pid) throw new Error(`${name}: could not start ${command}`);
  groups.add(pid);
  let buf = '';
  const file = logFile ? (mkdirSync(path.dirname(logFile), { recursive: true }), createWriteStream(logFile)) : undefined;
  const onData = (d) => {
    const s = d.toString();
    buf += s;
    if (buf.length > 2_000_000) buf = buf.slice(-1_000_000);
    file?.write(s);
    if (process.env.FLUX_HARNESS_VERBOSE) process.stderr.write(`[${name}] ${s}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exitCode;
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exitCode = code ?? signal;
      resolve(code);
    }),
  );
  const stop = async () => {
    if (!groups.has(pid)) return;
    killGroupSync(pid, 'SIGTERM');
    const t = setTimeout(() => killGroupSync(pid, 'SIGKILL'), 3000);
    await Promise.race([exited, sleep(3500)]);
    clearTimeout(t);
    killGroupSync(pid, 'SIGKILL'); // helpers that ignored SIGTERM (extension hosts, pty hosts)
    groups.delete(pid);
    file?.end();
  };
  onCleanup(stop);
  return { pid, child, output: () => buf, exited, stop, get exitCode() { return exitCode; } };
}

/** Polls url until it answers with a status < 500 (or `ok(status)`); fails early if `proc` exits. */
export async function waitForHttp(url, { timeoutMs = 60_000, proc, ok = (s) => s < 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== undefined) throw new Error(`server exited (${proc.exitCode}) before ${url} answered:\n${proc.output().slice(-3000)}`);
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      if (ok(res.status)) return res.status;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e?.cause?.code || e?.message || String(e);
    }
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${url} (${last})${proc ? `\n${proc.output().slice(-3000)}` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// VS Code data folders, workspaces
// ---------------------------------------------------------------------------------------------

/**
 * Fresh user-data-dir with `User/settings.json` = BASE_SETTINGS + settings. Returns the dir.
 * @param {Record<string, unknown>} [settings]
 * @param {{dir?: string}} [o]
 */
export function makeUserDataDir(settings = {}, { dir } = {}) {
  const d = dir ?? makeTempDir('flux-udd-');
  const user = path.join(d, 'User');
  mkdirSync(user, { recursive: true });
  writeFileSync(path.join(user, 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  return d;
}

/** Copies a fixture folder (default test/fixtures/workspace) to `<fresh temp dir>/<name>` and returns its path. */
export function copyWorkspace(from = path.join(ROOT, 'test', 'fixtures', 'workspace'), name = 'workspace') {
  const dir = path.join(makeTempDir('flux-ws-'), name);
  cpSync(from, dir, { recursive: true });
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

/**
 * Installs a .vsix into extensionsDir with code-server's CLI.
 * @param {{codeServerBin: string, node?: string}} vscode  result of ensureVsCode()
 */
export async function installVsix(vscode, vsix, extensionsDir) {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) =>
    execFile(
      vscode.node ?? process.execPath,
      [vscode.codeServerBin, '--config', '/dev/null', '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
      { timeout: 120_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`install-extension failed: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout + stderr)),
    ),
  );
}

/**
 * Starts code-server (the UI-test server: notifications visible, no smoke-test driver) on the Node its
 * version needs. A fresh user-data-dir gets that version's own settings (`vscode.settings`) and `settings`.
 * @param {{vscode: {codeServerBin: string, node?: string, settings?: Record<string, unknown>}, workspace: string,
 *          settings?: Record<string, unknown>, extensionsDir?: string, userDataDir?: string, env?: NodeJS.ProcessEnv,
 *          logFile?: string, args?: string[]}} o  (args: more code-server flags, e.g. --enable-proposed-api <id>)
 * @returns {Promise<{url: string, workbenchUrl: string, port: number, userDataDir: string, extensionsDir: string,
 *                    proc: ReturnType<typeof startProcess>, stop: () => Promise<void>}>}
 */
export async function startCodeServer({ vscode, workspace, settings = {}, extensionsDir, userDataDir, env, logFile, args = [] }) {
  const port = await freePort();
  const udd = userDataDir ?? makeUserDataDir({ ...vscode.settings, ...settings });
  const ext = extensionsDir ?? makeTempDir('flux-ext-');
  // Workspace trust is off unless a scenario turns it on (to see the extension in Restricted Mode).
  const trust = settings['security.workspace.trust.enabled'] === true;
  const proc = startProcess({
    name: 'code-server',
    command: vscode.node ?? process.execPath,
    args: [
      vscode.codeServerBin,
      '--config', '/dev/null',
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(trust ? [] : ['--disable-workspace-trust']),
      '--user-data-dir', udd,
      '--extensions-dir', ext,
      ...args,
      workspace,
    ],
    env: { ...process.env, ...env },
    logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, { proc, ok: (s) => s === 200 });
  return { url, workbenchUrl: workbenchUrl(url, workspace), port, userDataDir: udd, extensionsDir: ext, proc, stop: proc.stop };
}

/** The workbench URL of a code-server at `url` with `folder` open. */
export const workbenchUrl = (url, folder) => `${url}/?folder=${encodeURIComponent(folder)}`;

/**
 * Starts the plain VS Code server bundled in code-server with the smoke-test driver, for in-host
 * extension tests. Open `payloadUrl(...)` in a page to run the suite.
 * @param {{vscode: {serverMain: string, node?: string}, env?: NodeJS.ProcessEnv, logFile?: string}} o
 */
export async function startTestServer({ vscode, env, logFile }) {
  const port = await freePort();
  const data = makeTempDir('flux-srv-');
  const proc = startProcess({
    name: 'vscode-server',
    command: vscode.node ?? process.execPath,
    args: [
      vscode.serverMain,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--disable-workspace-trust',
      '--enable-smoke-test-driver',
      '--server-data-dir', path.join(data, 'server'),
      '--user-data-dir', path.join(data, 'user'),
      '--extensions-dir', path.join(data, 'extensions'),
    ],
    env: { ...process.env, ...env },
    logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/`, { proc });
  /** URL that opens `folder` and runs the tests at extensionTestsPath (absolute path of index.js). */
  const payloadUrl = ({ folder, extensionDevelopmentPath = ROOT, extensionTestsPath }) => {
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
      ['extensionTestsPath', remote(extensionTestsPath)],
      ['skipWelcome', 'true'],
    ];
    return `${url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  };
  return { url, port, dataDir: data, proc, payloadUrl, stop: proc.stop };
}

// ---------------------------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------------------------

/**
 * Launches Debian's Chromium through playwright-core. Returns {browser, context, page}; closed by cleanupAll().
 * @param {{chromium: string, viewport?: {width: number, height: number}, onConsole?: (msg: import('playwright-core').ConsoleMessage) => void}} o
 */
export async function launchBrowser({ chromium: executablePath, viewport = { width: 1400, height: 900 }, onConsole } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: executablePath ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  onCleanup(() => browser.close().catch(() => {}));
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  if (onConsole) page.on('console', onConsole);
  return { browser, context, page };
}

/** Navigates to the workbench and waits until it rendered and the explorer (if a folder is open) is there. */
export async function openWorkbench(page, workbenchUrl, { timeoutMs = 60_000 } = {}) {
  await page.goto(workbenchUrl, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: timeoutMs }).catch(() => {});
}

/** Retries `fn` until it returns a truthy value (or stops throwing) or the timeout elapses. */
export async function retry(fn, { timeoutMs = 20_000, intervalMs = 500, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${lastErr.message}` : ''}`);
}

/** Labels of the explorer rows currently visible. */
export async function explorerItems(page) {
  return page.locator('.explorer-folders-view .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') || r.textContent || ''));
}

/** Opens a file by clicking its row in the explorer (Ctrl+P does not reach the workbench headless). */
export async function openFileFromExplorer(page, fileName, { timeoutMs = 20_000 } = {}) {
  const esc = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: new RegExp(`^\\s*${esc}\\s*$`) }).first();
  await row.waitFor({ timeout: timeoutMs });
  await row.click();
  await page.locator(`.tab[data-resource-name="${fileName}"], .tabs-container .tab:has-text("${fileName}")`).first().waitFor({ timeout: timeoutMs });
  await page.locator('.editor-instance .monaco-editor').first().waitFor({ timeout: timeoutMs });
  await waitForLanguageMode(page, fileName);
}

/** The language mode VS Code gives a file once the extensions' contributions are registered. */
const LANGUAGE_MODES = { '.md': 'Markdown', '.html': 'HTML', '.tex': 'LaTeX', '.mdx': 'MDX' };

/**
 * Until the workbench has registered the extensions' contributions, a Markdown file is "Plain Text" and the
 * editor's context menu holds only VS Code's own entries (seen under load: a right-click 7 s after the window
 * opened offered Cut/Copy/Paste and no "Generate Image from Selection", with the line selected). Languages and
 * menus of all extensions are registered in one pass, so the file's own language mode in the status bar says
 * the menus are there too. A user sees the same: nothing of any extension before that moment.
 */
async function waitForLanguageMode(page, fileName, { timeoutMs = 90_000 } = {}) {
  const mode = LANGUAGE_MODES[path.extname(fileName).toLowerCase()];
  if (!mode) return;
  const started = Date.now();
  await page.locator('.statusbar-item', { hasText: new RegExp(`^\\s*${mode}\\s*$`) }).first().waitFor({ timeout: timeoutMs });
  const waited = Date.now() - started;
  if (waited > 1000) console.log(`    ${fileName} became ${mode} after ${(waited / 1000).toFixed(1)} s (extensions registered)`);
}

async function closeQuickInput(page) {
  if (await page.locator('.quick-input-widget:visible').count()) await page.keyboard.press('Escape');
}

/**
 * Runs a command from the F1 palette by its full title (e.g. "Flux: Open Gallery"). Retries opening the
 * palette until the entry exists (contributions appear a few seconds after the workbench renders).
 * Returns the label of the entry that was run.
 */
export async function runCommand(page, title, { timeoutMs = 30_000 } = {}) {
  const want = title.toLowerCase();
  let missed; // why the last attempt did not run the command: counted as a retry when it is tried again
  return retry(
    async () => {
      if (missed) countRetry(`${missed}; opening it again`);
      await closeQuickInput(page);
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }).catch(() => {});
      await page.keyboard.press('F1');
      missed = `the Command Palette did not open for "${title}"`;
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      // Bounded like the wait above: the palette can close again at once when a webview (an image preview
      // just opened, the gallery) takes the focus back; an unbounded fill then waited out the whole 30 s
      // (CI, 1.139.1, after "Open full size") instead of opening the palette again as a user would.
      missed = `the Command Palette closed before it took "${title}"`;
      await input.fill(`>${title}`, { timeout: 5000 });
      missed = `"${title}" was not in the Command Palette`;
      const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      const found = await retry(
        async () => {
          const labels = await rows.evaluateAll((els) =>
            els
              .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
              .map((e) => (e.getAttribute('aria-label') || e.textContent || '').trim()),
          );
          const index = labels.findIndex((l) => l.toLowerCase().startsWith(want));
          return index >= 0 ? { index, label: labels[index] } : undefined;
        },
        { timeoutMs: 3000, intervalMs: 200, what: `palette entry "${title}"` },
      ).catch(() => undefined);
      if (!found) {
        await page.keyboard.press('Escape');
        return undefined;
      }
      // The keyboard, not a click: under load a row can be re-rendered (and "not visible") mid-click.
      missed = `the Command Palette closed before "${title}" was chosen`;
      for (let i = 0; i < found.index; i++) await input.press('ArrowDown');
      await input.press('Enter');
      return found.label;
    },
    { timeoutMs, intervalMs: 1000, what: `command "${title}" in the F1 palette` },
  );
}

/**
 * Texts of all notifications, read through "Notifications: Show Notifications" (toasts are not
 * reliably shown headless). Closes the notification center again unless keepOpen.
 */
export async function readNotifications(page, { keepOpen = false } = {}) {
  const center = page.locator('.notifications-center');
  // Under load the palette can swallow the first try (focus still in a webview, list re-rendering).
  let attempts = 0;
  await retry(
    async () => {
      if (attempts++ > 0) countRetry('the notification center did not open; asking for it again');
      await runCommand(page, 'Notifications: Show Notifications');
      return center.waitFor({ state: 'visible', timeout: 5000 }).then(
        () => true,
        () => false,
      );
    },
    { timeoutMs: 45_000, intervalMs: 500, what: 'the notification center' },
  );
  await sleep(300);
  const texts = await center.locator('.notification-list-item').evaluateAll((els) =>
    els.map((e) => (e.querySelector('.notification-list-item-message')?.textContent || e.textContent || '').trim()),
  );
  if (!keepOpen) await runCommand(page, 'Notifications: Hide Notifications').catch(() => page.keyboard.press('Escape'));
  return texts;
}

// ---------------------------------------------------------------------------------------------
// Retries. A repeated user step (a menu opened again, a click sent again) can hide a product bug, so each
// one is counted, named in the log, and the count is printed in the runner's summary ("retries: N").
// ---------------------------------------------------------------------------------------------
const retriedSteps = [];

/** Records that a user step was done again, and why. */
export function countRetry(what) {
  retriedSteps.push(what);
  console.log(`    [retry ${retriedSteps.length}] ${what}`);
}

/** The user steps done again so far in this process. */
export const retries = () => [...retriedSteps];

/**
 * Selects the whole line of the active editor that contains `text`, through the editor: a click puts the
 * cursor on the line, then Home / Shift+End (word wrap is off in the test settings, so the row is the whole
 * line). Waits until the selection is drawn, on that line: a click the editor did not take (seen once in an
 * HTML page on 1.100.3, where Home / Shift+End then selected line 1 and the image was made from
 * "<!doctype html>") is clicked again as a counted retry with the cursor's position, at most twice.
 */
export async function selectLineWithText(page, text, { timeoutMs = 15_000 } = {}) {
  const line = page.locator('.monaco-editor .view-line', { hasText: text }).first();
  for (let attempt = 0; ; attempt++) {
    await line.waitFor({ timeout: timeoutMs });
    await line.click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    const selected = page.locator('.monaco-editor .selected-text').first();
    await selected.waitFor({ timeout: timeoutMs });
    // The editor redraws its lines and selection layer meanwhile: read both boxes again until both are there.
    const boxes = () => Promise.all([line.boundingBox({ timeout: 1000 }), selected.boundingBox({ timeout: 1000 })]).then((both) => (both.every(Boolean) ? both : undefined));
    const [lineBox, selectionBox] = (await retry(boxes, { timeoutMs: 3000, intervalMs: 100, what: 'the line and the selection on screen' }).catch(() => undefined)) ?? [];
    if (lineBox && selectionBox && Math.abs(lineBox.y - selectionBox.y) < lineBox.height / 2) return;
    const cursor = (await page.locator('.statusbar-item').allTextContents()).map((t) => t.trim()).find((t) => /Ln \d+, Col \d+/.test(t));
    const evidence = `the selection is not on the line with "${text}" (line at y ${lineBox?.y}, selection at y ${selectionBox?.y}; ${cursor ?? 'no cursor position'})`;
    if (attempt >= 2) throw new Error(evidence);
    countRetry(`${evidence}; clicking the line again`);
  }
}

/** What the workbench looked like when the context menu lacked an entry: the evidence for the failure. */
async function contextMenuEvidence(page) {
  // Playwright's locators pierce the shadow root the menu is drawn in; document.querySelectorAll would not.
  const menu = (await page.locator('.monaco-menu .action-label').allTextContents()).map((t) => t.trim()).filter(Boolean);
  const status = (await page.locator('.statusbar-item').allTextContents()).map((t) => t.trim());
  const activeElement = await page.evaluate(() => {
    let e = document.activeElement;
    while (e?.shadowRoot?.activeElement) e = e.shadowRoot.activeElement;
    return e ? `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).trim().split(/\s+/).join('.')}` : ''}${e.getAttribute('aria-label') ? ` "${e.getAttribute('aria-label')}"` : ''}` : 'none';
  });
  const selectionRects = await page.locator('.monaco-editor .selected-text').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}×${Math.round(r.height)}`;
    }),
  );
  return { menu, activeElement, selectionRects, cursor: status.find((t) => /Ln \d+, Col \d+/.test(t)), languageMode: status.find((t) => Object.values(LANGUAGE_MODES).concat('Plain Text').includes(t)) };
}

/**
 * Right-clicks inside the selected text (the middle of its first highlighted run: a right-click outside every
 * selection would move the cursor and build the menu without a selection), then clicks the context-menu entry
 * `menuLabel` if given. A menu without the entry fails the step with the menu's labels, the focused element,
 * the selection and a screenshot in the error; a menu that did not open at all is opened again (a counted
 * retry).
 */
export async function rightClickSelection(page, text, menuLabel, { timeoutMs = 30_000 } = {}) {
  const menu = page.locator('.monaco-menu .action-label');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const selected = page.locator('.monaco-editor .selected-text').first();
    if (!(await selected.isVisible())) throw new Error(`no selection to right-click (wanted the line with "${text}")`);
    // The editor redraws its selection layer (a horizontal scroll to the line's end, a decoration): the element
    // read a moment ago may be gone; read the selection again once before calling it missing (no user step is redone).
    const box = (await selected.boundingBox()) ?? (await sleep(250), await page.locator('.monaco-editor .selected-text').first().boundingBox());
    if (!box) throw new Error('the selection has no box on screen');
    // A long line is scrolled sideways: its selection box reaches past the editor's visible text area (seen on
    // VS Code 1.139, where the box's middle lay over the line numbers and the right-click opened no menu).
    // The click goes to the middle of the part of the selection that is visible.
    const area = await page.locator('.monaco-editor .editor-scrollable').first().boundingBox();
    const visible = area && intersect(box, area);
    if (!visible) throw new Error(`the selection is outside the editor's visible text (${JSON.stringify({ box, area })})`);
    await page.mouse.click(visible.x + visible.width / 2, visible.y + visible.height / 2, { button: 'right' });
    const opened = await menu.first().waitFor({ timeout: 5000 }).then(() => true, () => false);
    if (opened) break;
    if (Date.now() > deadline) throw new Error(`no context menu opened on the selection within ${timeoutMs / 1000} s`);
    countRetry('right-click on the selection opened no menu; right-clicking again');
  }
  if (!menuLabel) return true;
  const entry = menu.filter({ hasText: menuLabel }).first();
  // Entries come from static `when` clauses: either the entry is in the menu as it opens, or it is missing.
  if (!(await entry.count())) {
    const evidence = await contextMenuEvidence(page);
    const shot = await screenshot(page, `context-menu-without-${menuLabel.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`).catch(() => '');
    await page.keyboard.press('Escape');
    throw new Error(`the editor context menu has no "${menuLabel}": ${JSON.stringify(evidence)}${shot ? ` (screenshot ${shot})` : ''}`);
  }
  if (await clickMenuEntry(page, entry)) return true;
  countRetry(`the click on "${menuLabel}" was lost (the menu stayed open: ${lostClickEvidence}); right-clicking again`);
  return rightClickSelection(page, text, menuLabel, { timeoutMs: Math.max(5000, deadline - Date.now()) });
}

/** The overlap of two boxes, or undefined when they do not overlap. */
function intersect(a, b) {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : undefined;
}

/**
 * Clicks an entry of an open context menu. The click can be lost and the menu stays open (a menu closes
 * before it runs its action; seen in HTML documents on a loaded machine, many times in a row in one window,
 * with the entry itself under the pointer and not re-rendered). Then the entry is chosen with the keyboard,
 * as a user would: Enter on that menu item, which fails instead of typing into the editor if the menu
 * closed meanwhile (a counted retry either way). If the menu still stays open it is closed and false
 * returned, so that the caller opens it again.
 */
export async function clickMenuEntry(page, entry) {
  const menu = page.locator('.monaco-menu').first();
  const closes = () => menu.waitFor({ state: 'hidden', timeout: 10_000 }).then(() => true, () => false);
  const handle = await entry.elementHandle();
  await entry.click();
  if (await closes()) return true;
  const evidence = await describeLostClick(page, handle).catch((error) => `no evidence (${error.message})`);
  const label = (await entry.textContent())?.trim() ?? '';
  countRetry(`a click on the context-menu entry "${label}" was lost (${evidence}); choosing it with Enter`);
  const item = page.locator('.monaco-menu .action-menu-item', { hasText: label }).first();
  const pressed = await item.press('Enter', { timeout: 5000 }).then(() => true, () => false);
  if (pressed && (await closes())) return true;
  lostClickEvidence = evidence;
  await page.keyboard.press('Escape');
  return false;
}

/** What the last lost menu click found (printed with its counted retry): the root cause, when it recurs. */
let lostClickEvidence = '';

/** Whether the clicked entry was replaced (the menu re-rendered under the mouse), and what is under its centre now. */
async function describeLostClick(page, handle) {
  return handle.evaluate((element) => {
    const box = element.getBoundingClientRect();
    let atPoint = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    while (atPoint?.shadowRoot) atPoint = atPoint.shadowRoot.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) ?? atPoint;
    const name = (e) => (e ? `${e.tagName.toLowerCase()}.${String(e.className).trim().split(/\s+/).join('.')}` : 'none');
    return `entry ${element.isConnected ? 'still in the menu' : 'replaced (the menu re-rendered)'}, under its centre: ${name(atPoint)}, focus: ${name(document.activeElement)}`;
  });
}

/** The content frame of the active webview (two nested iframes). */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/**
 * test-output/<layer>/ for the oldest VS Code (where the README's screenshots come from), and
 * test-output/<layer>/<role>/ for the other versions.
 */
export function outputDirFor(layer, role = 'oldest') {
  return path.join(OUTPUT_DIR, layer, ...(role === 'oldest' ? [] : [role]));
}

/** Saves a full-page screenshot to test-output/<name>.png (name may contain sub-folders); returns the path. */
export async function screenshot(page, name) {
  const file = path.join(OUTPUT_DIR, name.endsWith('.png') ? name : `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

/** Writes a JSON file into test-output/ (creating folders); returns the path. */
export function writeOutputJson(name, data) {
  const file = path.join(OUTPUT_DIR, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}

// ---------------------------------------------------------------------------------------------
// Simulator
// ---------------------------------------------------------------------------------------------

/**
 * Starts the Apiframe simulator (test/simulator/server.ts compiled to out/test/simulator/server.js).
 * @param {Record<string, unknown>} [options]  passed to startSimulator (e.g. {timeScale: 0.02})
 */
export async function startSimulator(options = {}) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const modPath = process.env.FLUX_SIMULATOR_MODULE || path.join(ROOT, 'out', 'test', 'simulator', 'server.js');
  const mod = require(modPath);
  if (typeof mod.startSimulator !== 'function') throw new Error(`${modPath} does not export startSimulator()`);
  const sim = await mod.startSimulator(options);
  onCleanup(() => sim.close());
  return sim;
}
