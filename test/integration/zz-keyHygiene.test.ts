// Key hygiene in the real extension host (runs last: "zz-"). A recognisable canary key goes through the main
// flows — set key, generate from selection, open the gallery, a refused key, a 402, a failed job, insert into
// the workspace — and then every place the extension writes to or shows is searched for it: the "Flux Studio"
// log files, the extension's globalStorage, the settings (API dump and settings.json files), the workspace,
// the gallery webview's HTML and every message posted to it.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import type { GalleryEntry } from '../../src/shared/entry';
import { loadConfig } from './config';
import { EXTENSION_ID, waitFor } from './support';

const CANARY = 'afk_CANARY_7f3a9c_do_not_leak';
/** What is searched for: covers the canary and every variant of it used below. */
const NEEDLE = 'CANARY_7f3a9c';
const REFUSED = `${CANARY}_refused`;
const POOR = `${CANARY}_poor`;

async function sim(pathname: string, body?: unknown, method?: string): Promise<any> {
  const response = await fetch(`${loadConfig().simulatorUrl}${pathname}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

/** Every file under `dir` (following no links), skipping folders that are not ours to search. */
async function walk(dir: string, skip: (name: string) => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  let items: import('fs').Dirent[];
  try {
    items = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const item of items) {
    if (skip(item.name)) continue;
    const full = path.join(dir, item.name);
    if (item.isDirectory()) out.push(...(await walk(full, skip)));
    else if (item.isFile()) out.push(full);
  }
  return out;
}

/** Files among `files` whose bytes contain the needle (as UTF-8 or UTF-16LE). */
async function filesContaining(files: string[]): Promise<string[]> {
  const hits: string[] = [];
  const utf8 = Buffer.from(NEEDLE, 'utf8');
  const utf16 = Buffer.from(NEEDLE, 'utf16le');
  for (const file of files) {
    const bytes = await fs.readFile(file).catch(() => undefined);
    if (bytes && (bytes.includes(utf8) || bytes.includes(utf16))) hits.push(file);
  }
  return hits;
}

describe('zz key hygiene: the canary key never appears anywhere the extension writes or shows', function () {
  this.timeout(120_000);
  let api: FluxStudioTestApi;
  const config = () => vscode.workspace.getConfiguration('fluxStudio');
  const posted: unknown[] = [];
  const htmls: string[] = [];
  let spyInstalled = false;
  const panels: vscode.WebviewPanel[] = [];
  const received: unknown[] = [];
  const originalCreate = vscode.window.createWebviewPanel;
  const goodKey = () => loadConfig().apiKey;

  async function generateAndSettle(prompt: string): Promise<GalleryEntry> {
    const started = Date.now();
    await api.generation.generate({ prompt, aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 60, raw: false, seed: 5 });
    const entry = await waitFor('a new gallery entry', () => api.store.list().find((e) => e.createdAt >= started && e.options.prompt === prompt));
    return (await api.engine.whenSettled(entry.id))!;
  }

  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as FluxStudioTestApi;
    await config().update('apiBaseUrl', loadConfig().simulatorUrl, vscode.ConfigurationTarget.Global);
    await sim('/__sim/faults', undefined, 'DELETE');
    await sim('/__sim/config', { apiKeys: { [CANARY]: { credits: 1000 }, [goodKey()]: { credits: 1000 }, [POOR]: { credits: 0 } }, durations: { fixedMs: 3_000 } });
    // Spy on the gallery webview: the extension and this suite share the `vscode` API object, so a wrapped
    // createWebviewPanel sees the real panel (its HTML and every postMessage). No test hook exists for this.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    try {
      (vscode.window as { createWebviewPanel: unknown }).createWebviewPanel = (...args: Parameters<typeof originalCreate>) => {
        const panel = originalCreate.apply(vscode.window, args);
        panels.push(panel);
        const webview = panel.webview;
        webview.onDidReceiveMessage((m: unknown) => received.push(m));
        const post = webview.postMessage.bind(webview);
        (webview as { postMessage: unknown }).postMessage = (message: unknown) => {
          posted.push(message);
          return post(message);
        };
        const descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(webview), 'html');
        if (descriptor?.set && descriptor.get) {
          Object.defineProperty(webview, 'html', {
            configurable: true,
            get: () => descriptor.get!.call(webview),
            set: (value: string) => {
              htmls.push(value);
              descriptor.set!.call(webview, value);
            },
          });
        }
        return panel;
      };
      spyInstalled = vscode.window.createWebviewPanel !== originalCreate;
    } catch {
      spyInstalled = false;
    }
  });

  after(async () => {
    try {
      (vscode.window as { createWebviewPanel: unknown }).createWebviewPanel = originalCreate;
    } catch {
      // not replaced
    }
    await sim('/__sim/config', { durations: { fixedMs: 2_000 } });
    await api.keys.setKey(goodKey());
  });

  it('runs the main flows with the canary key', async () => {
    // Set key (checked with /v2/me).
    assert.strictEqual(await api.keys.setKey(CANARY), true);
    // Generate from a selection.
    const doc = await vscode.workspace.openTextDocument(path.join(loadConfig().workspacePath, 'doc.md'));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const line = doc.lineAt(doc.lineCount > 2 ? 2 : 0);
    editor.selection = new vscode.Selection(line.range.start, line.range.end);
    const started = Date.now();
    await vscode.commands.executeCommand('fluxStudio.generateFromSelection');
    const fromSelection = await waitFor('the selection job', () => api.store.list().find((e) => e.createdAt >= started));
    // Open the gallery while the job runs, so progress messages reach the webview too.
    await vscode.commands.executeCommand('fluxStudio.openGallery');
    const done = await api.engine.whenSettled(fromSelection.id);
    assert.strictEqual(done?.state, 'completed', JSON.stringify(done?.reason));
    // A refused key (unknown to the simulator): not stored, the canary stays set.
    assert.strictEqual(await api.keys.setKey(REFUSED), false);
    assert.strictEqual(await api.keys.store.get(), CANARY);
    // A failed job.
    await sim('/__sim/faults', { route: 'generate', kind: 'failJob' });
    const failed = await generateAndSettle('key hygiene: a failed job');
    assert.strictEqual(failed.state, 'failed');
    // A 402 (a key with no credits).
    assert.strictEqual(await api.keys.setKey(POOR), true);
    const poor = await generateAndSettle('key hygiene: no credits');
    assert.strictEqual(poor.reason?.kind, 'insufficientCredits');
    assert.strictEqual(await api.keys.setKey(CANARY), true);
    // Insert into the workspace (the command the "Image ready" notification runs).
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('fluxStudio.insertIntoWorkspace', fromSelection.id);
    assert.ok(doc.getText().includes('![') , 'the snippet was inserted');
    await vscode.commands.executeCommand('workbench.action.files.save');
    // Show the gallery (a hidden webview is not loaded) and let it receive the init and the last updates.
    await vscode.commands.executeCommand('fluxStudio.openGallery');
    assert.ok(spyInstalled, 'the spy on createWebviewPanel is installed (without it the webview checks below would prove nothing)');
    // A page that never starts is reopened by the gallery itself (PageStartWatch, 10 s, twice): wait for that,
    // never stand in for the page.
    const initPosted = () => posted.some((m) => JSON.stringify(m).includes('gallery/init'));
    await waitFor('gallery/init posted to the webview', initPosted, 35_000).catch((error: Error) => {
      const tabs = vscode.window.tabGroups.all.map((g) => `group ${g.viewColumn}${g.isActive ? '*' : ''}: ${g.tabs.map((t) => `${t.label}${t.isActive ? '*' : ''}`).join(', ')}`);
      const state = panels.map((p) => `${p.viewType} visible=${p.visible} active=${p.active} column=${p.viewColumn}`);
      throw new Error(`${error.message}; html ${htmls.length}, posted ${posted.length}, received ${JSON.stringify(received).slice(0, 300)}, panels [${state.join('; ')}], tabs [${tabs.join(' | ')}]`);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  it('the canary is in no log, storage, settings or workspace file', async () => {
    const root = api.store.root; // …/User/globalStorage/flux-studio.flux-studio/gallery
    const extensionStorage = path.dirname(root);
    const userDir = path.dirname(path.dirname(extensionStorage));
    // The server's data folder (…/data or the temp folder holding it) also holds logs/<session>/…/exthost*/…
    const dataDir = path.dirname(userDir);
    const logFiles = (await walk(dataDir, (name) => name === 'extensions' || name === 'CachedExtensionVSIXs' || name === 'node_modules')).filter(
      (file) => file.includes(`${path.sep}logs${path.sep}`),
    );
    const fluxLogs: string[] = [];
    for (const file of logFiles) {
      const text = await fs.readFile(file, 'utf8').catch(() => '');
      if (/Flux Studio|job .* accepted|GET \/v2\/me/.test(text) || file.includes('flux-studio')) fluxLogs.push(file);
    }
    assert.ok(fluxLogs.length > 0, `the "Flux Studio" log file was found under ${dataDir} (log files seen: ${logFiles.length})`);
    const fluxLogText = (await Promise.all(fluxLogs.map((f) => fs.readFile(f, 'utf8')))).join('\n');
    assert.match(fluxLogText, /\/v2\/me/, 'the log has the requests of the flows above (it is the right file)');

    const storageFiles = await walk(extensionStorage);
    assert.ok(storageFiles.some((f) => f.includes(`${path.sep}entries${path.sep}`) && f.endsWith('.json')), 'the gallery entries are among the searched files');
    const settingsFiles = (await walk(userDir, (name) => name === 'globalStorage' || name === 'workspaceStorage' || name === 'History')).filter((f) =>
      f.endsWith('.json'),
    );
    const workspaceFiles = await walk(loadConfig().workspacePath, (name) => name === 'node_modules');

    // Control: the search does find the needle when it is there.
    const control = path.join(os.tmpdir(), `key-hygiene-control-${process.pid}.txt`);
    await fs.writeFile(control, Buffer.from(`x ${NEEDLE} y`, 'utf16le'));
    assert.deepStrictEqual(await filesContaining([control]), [control], 'the search works (control file)');
    await fs.rm(control, { force: true });

    const hits = {
      logs: await filesContaining(logFiles),
      globalStorage: await filesContaining(storageFiles),
      settingsFiles: await filesContaining(settingsFiles),
      workspace: await filesContaining(workspaceFiles),
    };
    assert.deepStrictEqual(hits, { logs: [], globalStorage: [], settingsFiles: [], workspace: [] });
    const dump = JSON.stringify(vscode.workspace.getConfiguration()) + JSON.stringify(vscode.workspace.getConfiguration('fluxStudio'));
    assert.ok(!dump.includes(NEEDLE), 'the settings API dump is key-free');
    console.log(
      `[integration] key hygiene: searched ${logFiles.length} log files (${fluxLogs.length} Flux Studio), ${storageFiles.length} globalStorage files, ${settingsFiles.length} settings files, ${workspaceFiles.length} workspace files`,
    );
  });

  it('the canary is in neither the gallery webview HTML nor any message posted to it', function () {
    assert.ok(htmls.length > 0, 'the spy saw the gallery HTML');
    assert.ok(posted.length > 0, 'the spy saw messages posted to the gallery');
    assert.ok(posted.some((m) => JSON.stringify(m).includes('gallery/init')), 'including gallery/init');
    for (const html of htmls) assert.ok(!html.includes(NEEDLE), 'the webview HTML is key-free');
    const leaking = posted.filter((m) => JSON.stringify(m).includes(NEEDLE));
    assert.deepStrictEqual(leaking, [], 'no posted message carries the key');
    console.log(`[integration] key hygiene: ${htmls.length} webview HTML documents, ${posted.length} posted messages searched`);
  });
});
