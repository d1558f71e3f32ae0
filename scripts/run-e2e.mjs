// End-to-end scenarios in a real VS Code: packages the .vsix, installs it into code-server, starts the
// Apiframe simulator and, per scenario, a fresh code-server + workspace copy + browser context, then runs
// every scenario exported by out/test/e2e/*.e2e.js (sources: test/e2e/*.e2e.ts, type Scenario in context.ts)
// that is marked for the chosen VS Code version (Scenario.versions, default: the oldest only).
//
// CLI:     node scripts/run-e2e.mjs [--vscode oldest|newest] [--no-build] [--vsix <file>] [--grep <text>] [--summary <file.json>]
//          (FLUX_VSIX=<file> also reuses an already packaged .vsix)
// Library: const { passed, failed } = await runE2E({ build: true, vscodeRole: 'newest' });
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { VERSION_ROLES, ensureVsCode } from './setup-vscode.mjs';
import * as h from './vscode-harness.mjs';

const { ROOT } = h;
const require = createRequire(import.meta.url);
const log = (msg) => console.log(`[e2e] ${msg}`);
const E2E_OUT = path.join(ROOT, 'out', 'test', 'e2e');
const API_KEY = 'afk_test_key';

/** Packages the extension into dir/flux-studio.vsix (scripts/package-vsix.mjs); returns the path. */
export function packageVsix(dir) {
  const out = path.join(dir, 'flux-studio.vsix');
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'package-vsix.mjs'), '--out', out], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    throw new Error(`packaging failed:\n${(e.stdout || '') + (e.stderr || '') || e.message}`);
  }
  return out;
}

/** Loads the scenarios for `vscodeRole` from out/test/e2e/*.e2e.js (exports `scenario`, `scenarios` or default). */
export function loadScenarios(grep, vscodeRole = 'oldest') {
  if (!existsSync(E2E_OUT)) throw new Error(`${E2E_OUT} not found (did tsc run?)`);
  const files = readdirSync(E2E_OUT).filter((f) => f.endsWith('.e2e.js')).sort();
  const all = [];
  for (const f of files) {
    const mod = require(path.join(E2E_OUT, f));
    const list = mod.scenarios ?? (mod.scenario ? [mod.scenario] : mod.default ? [].concat(mod.default) : []);
    for (const s of list) {
      if (!s || typeof s.name !== 'string' || typeof s.run !== 'function') throw new Error(`${f}: a scenario needs {name, run(ctx)}`);
      const unknown = (s.versions ?? []).filter((v) => !VERSION_ROLES.includes(v));
      if (unknown.length) throw new Error(`${f}: "${s.name}" names unknown VS Code versions ${unknown.join(', ')} (known: ${VERSION_ROLES.join(', ')})`);
      all.push({ ...s, file: f });
    }
  }
  return all.filter((s) => (s.versions ?? ['oldest']).includes(vscodeRole) && (!grep || s.name.includes(grep) || s.file.includes(grep)));
}

/** Packages the test-only extension test/fixtures/<name> and installs it into extensionsDir. */
export async function installFixtureExtension(vscode, tmp, name, extensionsDir) {
  const out = path.join(tmp, `${name}.vsix`);
  execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--out', out], { cwd: path.join(ROOT, 'test', 'fixtures', name), stdio: 'pipe' });
  await h.installVsix(vscode, out, extensionsDir);
}

/**
 * code-server 4.100 keeps the workbench (and `vscode.env.language`) in English unless a language pack
 * for the locale is installed. Offline, a stub pack with empty translations is enough: VS Code's own
 * UI stays English, our extension's strings follow the locale.
 */
async function installLanguagePackStub(vscode, tmp, extensionsDir) {
  await installFixtureExtension(vscode, tmp, 'ko-language-pack-stub', extensionsDir);
  return path.join(extensionsDir, readdirSync(extensionsDir).find((d) => d.startsWith("flux-studio-test.ko-language-pack-stub")));
}

/**
 * Without Copilot, VS Code has no default chat participant (so it hides its Chat view) and no default
 * language model (so every chat request fails). For the scenarios that need chat (Scenario.chatHost), a
 * separate extensions dir holds the extension and the test-only stub that registers both; code-server must
 * then allow the stub's API proposals (CHAT_HOST_ARGS). Other scenarios never see the stub.
 */
async function chatExtensionsDir(vscode, tmp, vsix) {
  const dir = path.join(tmp, 'extensions-chat');
  await h.installVsix(vscode, vsix, dir);
  await installFixtureExtension(vscode, tmp, 'chat-host-stub', dir);
  return dir;
}
const CHAT_HOST_ARGS = ['--enable-proposed-api', 'flux-studio-test.chat-host-stub'];

/** A user data dir whose display language is `locale`, backed by the installed stub pack. */
function localizedUserDataDir(settings, locale, stubPath) {
  const userDataDir = h.makeUserDataDir(settings);
  writeFileSync(path.join(userDataDir, 'User', 'argv.json'), JSON.stringify({ locale }));
  const pack = {
    hash: 'flux-test-stub',
    label: locale,
    extensions: [{ extensionIdentifier: { id: 'flux-studio-test.ko-language-pack-stub' }, version: '0.0.1' }],
    translations: { vscode: path.join(stubPath, 'translations', 'main.i18n.json') },
  };
  writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({ [locale]: pack }));
  return userDataDir;
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([promise, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`${what} timed out after ${ms / 1000} s`)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}

/**
 * The helpers a scenario gets for one window (page) of its code-server. `openSecondWindow()` opens another
 * browser page of the same code-server — same user-data-dir, so one profile and one global storage, like
 * two windows of a desktop VS Code — on a fresh copy of the workspace named `workspace-2` (…-3, …).
 */
function windowContext({ page, workspace, server, shared, windows = [] }) {
  windows.push(page);
  const shotDir = path.relative(h.OUTPUT_DIR, shared.outputDir);
  return {
    ...shared,
    page,
    workspace,
    workbenchUrl: h.workbenchUrl(server.url, workspace),
    screenshot: (n) => h.screenshot(page, path.join(shotDir, n)),
    runCommand: (title, o) => h.runCommand(page, title, o),
    readNotifications: (o) => h.readNotifications(page, o),
    explorerItems: () => h.explorerItems(page),
    openFile: (f) => h.openFileFromExplorer(page, f),
    selectLineWithText: (text) => h.selectLineWithText(page, text),
    rightClickSelection: (text, label) => h.rightClickSelection(page, text, label),
    clickMenuEntry: (entry) => h.clickMenuEntry(page, entry),
    webview: () => h.webviewFrame(page),
    retry: (fn, o) => h.retry(fn, o),
    countRetry: h.countRetry,
    sleep: h.sleep,
    async openSecondWindow() {
      const second = h.copyWorkspace(undefined, `workspace-${windows.length + 1}`);
      const newPage = await page.context().newPage();
      await h.openWorkbench(newPage, h.workbenchUrl(server.url, second));
      return windowContext({ page: newPage, workspace: second, server, shared, windows });
    },
  };
}

/**
 * `onProgress` gets the results so far and the scenarios not finished yet after each scenario, so that a run
 * stopped at its time limit still reports what passed and names what did not finish.
 * @param {{build?: boolean, vsix?: string, grep?: string, vscodeRole?: string, onProgress?: (r: object) => void}} [o]
 * @returns {Promise<{passed: number, failed: number, skipped: number, failures: {title: string, error: string}[],
 *                    scenarios: {name: string, state: string, durationMs: number}[], vscodeVersion?: string}>}
 */
export async function runE2E({ build = true, vsix = process.env.FLUX_VSIX, grep, vscodeRole = 'oldest', onProgress = () => {} } = {}) {
  const outputDir = h.outputDirFor('e2e', vscodeRole);
  try {
    if (build) {
      log('building: node esbuild.js && npx tsc -p .');
      execSync('node esbuild.js', { cwd: ROOT, stdio: 'inherit' });
      execSync('npx tsc -p .', { cwd: ROOT, stdio: 'inherit' });
    }
    const scenarios = loadScenarios(grep, vscodeRole);
    if (scenarios.length === 0) throw new Error(`no e2e scenarios for the ${vscodeRole} VS Code in ${E2E_OUT}${grep ? ` matching "${grep}"` : ''}`);
    const vscode = await ensureVsCode(vscodeRole, { quiet: true });

    const tmp = h.makeTempDir('flux-e2e-');
    if (!vsix) {
      log('packaging: node scripts/package-vsix.mjs');
      vsix = packageVsix(tmp);
    }
    const extensionsDir = path.join(tmp, 'extensions');
    await h.installVsix(vscode, vsix, extensionsDir);
    const installed = readdirSync(extensionsDir).find((d) => d.startsWith('flux-studio.flux-studio-'));
    if (!installed) throw new Error(`the .vsix did not install into ${extensionsDir}`);
    const extensionPath = path.join(extensionsDir, installed);
    log(`installed ${path.basename(vsix)} into code-server ${vscode.codeServerVersion} (VS Code ${vscode.vscodeVersion}); ${scenarios.length} scenarios`);

    const stubPath = scenarios.some((s) => s.locale) ? await installLanguagePackStub(vscode, tmp, extensionsDir) : undefined;
    const chatDir = scenarios.some((s) => s.chatHost) ? await chatExtensionsDir(vscode, tmp, vsix) : undefined;
    const simulator = await h.startSimulator({ timeScale: 0.02 });
    log(`simulator at ${simulator.url}`);
    const { browser } = await h.launchBrowser({ chromium: vscode.chromium });

    const results = { passed: 0, failed: 0, skipped: 0, failures: [], scenarios: [], retries: [], unfinished: scenarios.map((s) => s.name), vscodeVersion: vscode.vscodeVersion };
    const progress = () => {
      results.retries = h.retries();
      onProgress(results);
    };
    progress();
    for (const s of scenarios) {
      const t = Date.now();
      const name = s.name;
      let page;
      let server;
      try {
        await simulator.reset?.();
        const workspace = h.copyWorkspace();
        const settings = { ...vscode.settings, 'fluxStudio.apiBaseUrl': simulator.url, ...(s.settings ?? {}) };
        server = await h.startCodeServer({
          vscode,
          workspace,
          extensionsDir: s.chatHost ? chatDir : extensionsDir,
          args: s.chatHost ? CHAT_HOST_ARGS : [],
          settings,
          userDataDir: s.locale ? localizedUserDataDir(settings, s.locale, stubPath) : undefined,
          logFile: path.join(outputDir, `${slug(name)}.server.log`),
        });
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        page = await context.newPage();
        await h.openWorkbench(page, server.workbenchUrl);
        log(`  workbench ready after ${((Date.now() - t) / 1000).toFixed(1)} s`);
        const shared = {
          userDataDir: server.userDataDir,
          extensionPath,
          simulator,
          apiKey: API_KEY,
          outputDir,
          vscodeRole,
          vscodeVersion: vscode.vscodeVersion,
          log: (m) => console.log(`    +${((Date.now() - t) / 1000).toFixed(1)}s ${m}`),
        };
        log(`▶ ${name}`);
        await withTimeout(s.run(windowContext({ page, workspace, server, shared })), s.timeoutMs ?? 120_000, `scenario "${name}"`);
        results.passed++;
        results.scenarios.push({ name, state: 'passed', durationMs: Date.now() - t });
        log(`  ✓ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      } catch (e) {
        results.failed++;
        const error = e?.stack || String(e);
        results.failures.push({ title: name, error });
        results.scenarios.push({ name, state: 'failed', durationMs: Date.now() - t });
        let shot = '';
        if (page) shot = await h.screenshot(page, path.join(path.relative(h.OUTPUT_DIR, outputDir), `${slug(name)}-FAILED`)).catch(() => '');
        log(`  ✗ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)\n    ${error.split('\n').join('\n    ')}${shot ? `\n    screenshot: ${shot}` : ''}`);
      } finally {
        await page?.context().close().catch(() => {});
        await server?.stop();
        results.unfinished.shift();
        progress();
      }
    }
    h.writeOutputJson(path.join(path.relative(h.OUTPUT_DIR, outputDir), 'results.json'), results);
    return results;
  } finally {
    await h.cleanupAll();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const summary = opt('--summary');
  const t = Date.now();
  const writeSummary = (r) => summary && writeFileSync(summary, JSON.stringify(r, null, 2));
  runE2E({ build: !argv.includes('--no-build'), vsix: opt('--vsix') ?? process.env.FLUX_VSIX, grep: opt('--grep'), vscodeRole: opt('--vscode'), onProgress: writeSummary })
    .catch((e) => ({ passed: 0, failed: 1, skipped: 0, failures: [{ title: 'e2e runner', error: e?.stack || String(e) }], error: String(e?.message || e) }))
    .then((r) => {
      if (r.error) console.error(`[e2e] FAILED to run: ${r.error}`);
      console.log(`[e2e] ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, retries: ${r.retries?.length ?? 0} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      for (const what of r.retries ?? []) console.log(`[e2e]   retried: ${what}`);
      writeSummary(r);
      process.exit(r.failed > 0 ? 1 : 0);
    });
}
