// Hostile input in the real extension host: hand-edited settings of the wrong type or out of range (the
// generation still works, with the defaults in the request body and a warning naming each setting), a prompt
// full of HTML/Markdown metacharacters stored and sent to the gallery as data, and a fuzz of random and
// malformed messages into the real gallery panel's message handler.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import type { GalleryEntry } from '../../src/shared/entry';
import { mulberry32 } from '../simulator/prng';
import { recordHostileCounts } from '../support/hostileCounts';
import { loadConfig } from './config';
import { EXTENSION_ID, jobInput, sim, waitFor } from './support';

const HOSTILE_PROMPT = '<img src=x onerror=alert(1)><b>bold</b> ](javascript:alert(1)) \u202Eevil 🦊';

describe('hostile input in the real extension host', function () {
  this.timeout(90_000);
  let api: FluxStudioTestApi;
  const config = () => vscode.workspace.getConfiguration('fluxStudio');
  const counts: Record<string, number> = {};
  const tried = (category: string, n = 1) => (counts[category] = (counts[category] ?? 0) + n);

  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as FluxStudioTestApi;
    await config().update('apiBaseUrl', loadConfig().simulatorUrl, vscode.ConfigurationTarget.Global);
    if ((await api.keys.store.get()) !== loadConfig().apiKey) assert.strictEqual(await api.keys.setKey(loadConfig().apiKey), true);
  });

  after(() => {
    const total = recordHostileCounts('in-host', counts, path.join(loadConfig().outputDir, '..', 'hostile-inputs.json'));
    console.log(`[integration] hostile inputs tried: ${Object.values(counts).reduce((a, b) => a + b, 0)} (in-host; all layers so far: ${total})`);
  });

  async function generateFromSelection(text: string, language: string): Promise<GalleryEntry> {
    const doc = await vscode.workspace.openTextDocument({ language, content: text });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(text.length));
    const started = Date.now();
    await vscode.commands.executeCommand('fluxStudio.generateFromSelection');
    const entry = await waitFor('a new gallery entry', () => api.store.list().find((e) => e.createdAt >= started));
    const done = (await api.engine.whenSettled(entry.id))!;
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    return done;
  }

  it('settings of the wrong type or out of range: defaults are sent, and a warning names each setting', async () => {
    const hostile: Record<string, unknown> = { outputQuality: 'high', aspectRatio: '2:1', seed: 1.5, referenceStrength: 7, outputFormat: 'gif', raw: 'yes' };
    const warnings: string[] = [];
    const originalWarning = vscode.window.showWarningMessage;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = (message: string, ...rest: unknown[]) => {
      warnings.push(message);
      return (originalWarning as (...a: unknown[]) => Thenable<unknown>).call(vscode.window, message, ...rest);
    };
    try {
      for (const [key, value] of Object.entries(hostile)) {
        tried('settings');
        await config().update(key, value, vscode.ConfigurationTarget.Global);
      }
      const entry = await generateFromSelection('a lighthouse, with hand-edited settings', 'markdown');
      assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
      const params = (await jobInput(entry.jobId!)).fluxParams;
      assert.deepStrictEqual(
        { aspect_ratio: params.aspect_ratio, output_format: params.output_format, output_quality: params.output_quality, raw: params.raw, seed: params.seed },
        // The refused seed is replaced by a random one, which Flux Studio draws and sends (so it can re-run the image).
        { aspect_ratio: '16:9', output_format: 'jpg', output_quality: 90, raw: false, seed: entry.options.seed },
        'the defaults were sent',
      );
      assert.ok(Number.isInteger(params.seed) && params.seed !== 1.5, `a drawn seed: ${params.seed}`);
      for (const key of Object.keys(hostile)) {
        assert.ok(warnings.some((w) => w.includes(`fluxStudio.${key}`)), `a warning names fluxStudio.${key}: ${warnings.join(' | ')}`);
      }
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = originalWarning;
      for (const key of Object.keys(hostile)) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a prompt full of HTML/Markdown metacharacters, RTL and emoji, selected in plain text, is sent and stored exactly', async () => {
    tried('prompt');
    const entry = await generateFromSelection(HOSTILE_PROMPT, 'plaintext');
    assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
    assert.strictEqual(entry.options.prompt, HOSTILE_PROMPT);
    assert.strictEqual((await jobInput(entry.jobId!)).prompt, HOSTILE_PROMPT);
  });

  it('the same text selected in Markdown is sent as the words it means: the tags go, the rest is kept', async () => {
    tried('prompt');
    const entry = await generateFromSelection(HOSTILE_PROMPT, 'markdown');
    assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
    assert.strictEqual(entry.options.prompt, 'bold ](javascript:alert(1)) \u202Eevil 🦊');
    assert.strictEqual((await jobInput(entry.jobId!)).prompt, entry.options.prompt);
  });

  it('fuzz: 600 random or malformed webview messages into the real panel change nothing and break nothing', async () => {
    // Capture the listener the extension registers on its panel's webview (no test hook exists for this).
    let listener: ((message: unknown) => unknown) | undefined;
    const posted: any[] = [];
    const originalCreate = vscode.window.createWebviewPanel;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    try {
      (vscode.window as { createWebviewPanel: unknown }).createWebviewPanel = (...args: Parameters<typeof originalCreate>) => {
        const panel = originalCreate.apply(vscode.window, args);
        const webview = panel.webview;
        const onMessage = webview.onDidReceiveMessage;
        (webview as { onDidReceiveMessage: unknown }).onDidReceiveMessage = (fn: (m: unknown) => unknown, thisArg?: unknown, disposables?: vscode.Disposable[]) => {
          listener = (m: unknown) => fn.call(thisArg, m);
          return onMessage.call(webview, fn, thisArg, disposables);
        };
        const post = webview.postMessage.bind(webview);
        (webview as { postMessage: unknown }).postMessage = (message: unknown) => {
          posted.push(message);
          return post(message);
        };
        return panel;
      };
    } catch (error) {
      throw new Error(`could not wrap createWebviewPanel to reach the panel's message handler: ${String(error)}`);
    }
    try {
      await vscode.commands.executeCommand('fluxStudio.openGallery');
      await waitFor('the panel\'s message listener', () => listener);
    } finally {
      (vscode.window as { createWebviewPanel: unknown }).createWebviewPanel = originalCreate;
    }
    const deliver = listener!;
    const idsBefore = api.store.list().map((e) => e.id).sort();
    const jobsBefore = (await sim('/__sim/stats')).jobsCreated;
    const existing = idsBefore[0];

    const random = mulberry32(4242);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const scalar = (): unknown =>
      pick<() => unknown>([
        () => undefined, () => null, () => true, () => -1, () => 1e308, () => NaN, () => '', () => 'x'.repeat(100_000),
        () => '<img src=x onerror=alert(1)>', () => '../../etc/passwd', () => '__proto__', () => [], () => ({}),
        () => ({ toString: () => { throw new Error('boom'); } }), () => Symbol('s'), () => 10n, () => () => 1,
      ])();
    const methods = [
      'entry/insert', 'entry/saveAs', 'entry/copyLink', 'entry/openFullSize', 'entry/useAsReference', 'entry/rerun', 'entry/vary',
      'entry/delete', 'entry/thumbnail', 'entry/thumbnailFailed', 'entry/star', 'entry/keep', 'gallery/generate', 'gallery/nope', 'constructor', '__proto__', '', 'ENTRY/INSERT',
      'entry/fullImages', 'gallery/dropImage',
    ];
    const badOptions = () => pick([
      { prompt: '', aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false },
      { prompt: 'x', aspectRatio: '2:1', outputFormat: 'jpg', outputQuality: 90, raw: false },
      { prompt: 'x', aspectRatio: '16:9', outputFormat: 'gif', outputQuality: 90, raw: false },
      { prompt: 'x', aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 'high', raw: false },
      { prompt: 'x'.repeat(2_001), aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false },
      { prompt: 'x', aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false, imagePrompt: 'javascript:alert(1)' },
      scalar(),
    ]);
    const entryId = () => pick<() => unknown>([
      () => '00000000-0000-4000-8000-000000000000',
      () => `${existing ?? 'x'}x`,
      () => (existing ?? 'x').toUpperCase() + ' ',
      () => '../index.json',
      scalar,
    ])();
    let sent = 0;
    const fuzzIds = new Set<unknown>();
    const failures: string[] = [];
    for (let i = 0; i < 600; i++) {
      const method = pick(methods);
      let params: unknown;
      if (method === 'gallery/generate') params = { options: badOptions() };
      else if (method === 'entry/thumbnail') params = { entryId: entryId(), dataUrl: pick(['data:image/webp;base64,AAAA', 'data:text/html,<script>', scalar()]) };
      else if (method === 'entry/fullImages') params = { entryIds: random() < 0.7 ? [entryId(), entryId()] : scalar() };
      else if (method === 'gallery/dropImage') params = { uri: pick(['file:///nonexistent/fuzz.png', 'file:///etc/passwd', 'https://example.com/a.png', 'vscode-remote://x/a.jpg?q', scalar()]) };
      else params = random() < 0.85 ? { entryId: entryId(), ...(random() < 0.1 ? { extra: scalar() } : {}) } : scalar();
      const message: Record<string, unknown> = { id: random() < 0.9 ? `fuzz-${i}` : scalar(), method, params };
      fuzzIds.add(message.id);
      if (random() < 0.05) delete message[pick(['id', 'method', 'params'])];
      const raw = random() < 0.05 ? scalar() : random() < 0.03 ? JSON.stringify(message) : message;
      tried('webview message');
      sent++;
      try {
        await deliver(raw);
      } catch (error) {
        failures.push(`message ${i} threw: ${String(error)}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepStrictEqual(failures, []);
    assert.deepStrictEqual(api.store.list().map((e) => e.id).sort(), idsBefore, 'no entry added or removed');
    assert.strictEqual((await sim('/__sim/stats')).jobsCreated, jobsBefore, 'nothing was generated');
    // A request that got through validation is answered; none of the fuzz may have succeeded. (The gallery
    // page's own requests, e.g. for thumbnails, are answered meanwhile too: judge only the fuzz's.)
    const responses = posted.filter((m) => m?.method === 'gallery/response' && fuzzIds.has(m.params?.requestId));
    const succeeded = responses.filter((m) => m.params?.ok === true && (m.params.result?.stored === true || m.params.result?.entryId));
    assert.deepStrictEqual(succeeded, [], 'no fuzz request succeeded');
    // …and the extension still works.
    const after = await generateFromSelection('still works after the fuzz', 'markdown');
    assert.strictEqual(after.state, 'completed', JSON.stringify(after.reason));
    console.log(`[integration] webview fuzz: ${sent} messages, ${responses.length} answered, none successfully; the rest ignored`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
