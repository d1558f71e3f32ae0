// Generation inside the real extension host, against the Apiframe simulator: the key round trip,
// the selection command, every setting reaching the request body, and the failure paths.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import type { GalleryEntry } from '../../src/shared/entry';
import { loadConfig } from './config';
import { scriptDialogs } from './dialogs';
import { EXTENSION_ID, jobInput, sim, waitFor } from './support';

describe('generate: in the real extension host against the simulator', function () {
  this.timeout(60_000);
  let api: FluxStudioTestApi;
  const config = vscode.workspace.getConfiguration('fluxStudio');

  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as FluxStudioTestApi;
    assert.ok(api?.store, 'the extension hands its services to tests in extension mode Test');
    await config.update('apiBaseUrl', loadConfig().simulatorUrl, vscode.ConfigurationTarget.Global);
    await sim('/__sim/reset', {});
    // Each test can run alone (--grep): start from a good key.
    assert.strictEqual(await api.keys.setKey(loadConfig().apiKey), true);
  });

  afterEach(async () => {
    for (const key of ['aspectRatio', 'outputFormat', 'outputQuality', 'raw', 'seed', 'webhookUrl']) {
      await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  /** The newest entry created after `before`, once the engine is done with it. */
  async function newestSettled(before: number): Promise<GalleryEntry> {
    const entry = await waitFor('a new gallery entry', () => api.store.list().find((e) => e.createdAt >= before));
    return (await api.engine.whenSettled(entry.id))!;
  }

  it('Set API Key stores the key in SecretStorage only, and checks it with /v2/me', async () => {
    const meBefore = (await sim('/__sim/stats')).requests.me ?? 0;
    assert.strictEqual(await api.keys.setKey(loadConfig().apiKey), true);
    assert.strictEqual((await sim('/__sim/stats')).requests.me, meBefore + 1);
    assert.strictEqual(await api.keys.store.get(), loadConfig().apiKey);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('fluxStudio'));
    assert.ok(!settings.includes(loadConfig().apiKey), 'the key is not in the settings');
  });

  it('a refused key is not stored', async () => {
    assert.strictEqual(await api.keys.setKey('afk_not_a_real_key_123'), false);
    assert.strictEqual(await api.keys.store.get(), loadConfig().apiKey, 'the previous good key is kept');
  });

  it('Clear API Key removes it; setting it again restores it', async () => {
    await api.keys.clearKey();
    assert.strictEqual(await api.keys.store.get(), undefined);
    assert.strictEqual(await api.keys.setKey(loadConfig().apiKey), true);
  });

  it('Generate Image from Selection: the selected text is the prompt and the image is stored', async () => {
    const doc = await vscode.workspace.openTextDocument(path.join(loadConfig().workspacePath, 'doc.md'));
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.lineAt(doc.lineCount > 2 ? 2 : 0);
    editor.selection = new vscode.Selection(line.range.start, line.range.end);
    const started = Date.now();
    await vscode.commands.executeCommand('fluxStudio.generateFromSelection');
    const entry = await newestSettled(started);
    assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
    assert.strictEqual(entry.options.prompt, line.text.trim());
    assert.strictEqual(entry.source?.documentUri, doc.uri.toString());
    const bytes = await fs.readFile(api.store.imagePath(entry.imageFile!));
    assert.deepStrictEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG by default');
    assert.deepStrictEqual([entry.width, entry.height], [2752, 1536], '16:9 Ultra size');
  });

  it('every setting reaches the request body', async () => {
    await config.update('aspectRatio', '1:1', vscode.ConfigurationTarget.Global);
    await config.update('outputFormat', 'webp', vscode.ConfigurationTarget.Global);
    await config.update('outputQuality', 70, vscode.ConfigurationTarget.Global);
    await config.update('raw', true, vscode.ConfigurationTarget.Global);
    await config.update('seed', 4242, vscode.ConfigurationTarget.Global);
    await config.update('webhookUrl', 'https://hooks.example.com/flux', vscode.ConfigurationTarget.Global);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'a red fox in fresh snow, settings test' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
    const started = Date.now();
    await vscode.commands.executeCommand('fluxStudio.generateFromSelection');
    const entry = await newestSettled(started);
    assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
    const input = await jobInput(entry.jobId!);
    const params = input.fluxParams;
    assert.deepStrictEqual(
      [params.aspect_ratio, params.output_format, params.output_quality, params.raw, params.seed],
      ['1:1', 'webp', 70, true, 4242],
    );
    assert.strictEqual(input.webhookUrl, 'https://hooks.example.com/flux');
    assert.deepStrictEqual([entry.width, entry.height], [2048, 2048]);
    assert.strictEqual(entry.imageFile?.endsWith('.webp'), true);
  });

  it('a FAILED job keeps its prompt and shows the server reason', async () => {
    await sim('/__sim/faults', { route: 'generate', kind: 'failJob' });
    const started = Date.now();
    await api.generation.generate({ prompt: 'content policy test', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 90, raw: false });
    const entry = await newestSettled(started);
    assert.strictEqual(entry.state, 'failed');
    assert.match(String(entry.reason?.params?.message ?? ''), /content policy/i);
  });

  it('out of credits: nothing is charged and the entry says what is needed', async () => {
    await sim('/__sim/config', { apiKeys: { [loadConfig().apiKey]: { credits: 1000 }, afk_poor_key_000: { credits: 0 } } });
    assert.strictEqual(await api.keys.setKey('afk_poor_key_000'), true);
    const before = (await sim('/__sim/stats')).creditsCharged;
    const started = Date.now();
    await api.generation.generate({ prompt: 'no credits test', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 90, raw: false });
    const entry = await newestSettled(started);
    assert.strictEqual(entry.state, 'paused');
    assert.strictEqual(entry.jobId, undefined);
    assert.strictEqual(entry.reason?.kind, 'insufficientCredits');
    assert.strictEqual((await sim('/__sim/stats')).creditsCharged, before);
    assert.strictEqual(await api.keys.setKey(loadConfig().apiKey), true);
  });

  it('a key change asks before retrying jobs paused on a key problem (they would be charged to the new key)', async () => {
    await sim('/__sim/config', { apiKeys: { [loadConfig().apiKey]: { credits: 1000 }, afk_poor_key_000: { credits: 0 } } });
    assert.strictEqual(await api.keys.setKey('afk_poor_key_000'), true);
    const paused = await api.store.create({
      id: 'c0ffee00-0000-4000-8000-00000000beef',
      options: { prompt: 'paused under key A', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 90, raw: false },
      state: 'paused',
      reason: { kind: 'invalidKey' },
      progress: 0,
      createdAt: Date.now(),
    });
    const jobs = (await sim('/__sim/stats')).jobsCreated;
    const dialogs = scriptDialogs(() => undefined);
    try {
      assert.strictEqual(await api.keys.setKey(loadConfig().apiKey), true);
      await waitFor('the question', () => dialogs.asked.find((a) => a.items.includes('Retry with This Key')), 10_000);
    } finally {
      dialogs.restore();
    }
    assert.strictEqual(api.store.get(paused.id)?.state, 'paused', 'dismissed: not retried');
    assert.strictEqual((await sim('/__sim/stats')).jobsCreated, jobs);
    await api.store.remove(paused.id);
  });

  it('cancel stops waiting; the job can be collected later and is charged once', async () => {
    await sim('/__sim/config', { durations: { fixedMs: 40_000 } });
    const entry = (await api.generation.generate({ prompt: 'cancel test', aspectRatio: '4:3', outputFormat: 'png', outputQuality: 90, raw: false }))!;
    await waitFor('the job id', () => api.store.get(entry.id)?.jobId);
    await api.engine.stopWaiting(entry.id);
    assert.strictEqual(api.store.get(entry.id)?.state, 'paused');
    assert.strictEqual(api.engine.isActive(entry.id), false);
    await sim('/__sim/config', { durations: { fixedMs: 2_000 } });
    await api.generation.retry(entry.id);
    const done = await api.engine.whenSettled(entry.id);
    assert.strictEqual(done?.state, 'completed', JSON.stringify(done?.reason));
    const jobs = (await sim('/__sim/stats')).jobs.filter((job: { prompt: string }) => job.prompt === 'cancel test');
    assert.strictEqual(jobs.length, 1);
  });

  it('Import from account brings in Ultra jobs made elsewhere, once, with their images', async () => {
    await sim('/__sim/config', { durations: { fixedMs: 1_000 } });
    const made: string[] = [];
    for (const prompt of ['made on another machine 1', 'made on another machine 2']) {
      const response = await fetch(`${loadConfig().simulatorUrl}/v2/images/generate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': loadConfig().apiKey },
        body: JSON.stringify({ prompt, model: 'flux-1.1-pro-ultra', fluxParams: { aspect_ratio: '3:4', output_format: 'png' } }),
      });
      made.push(((await response.json()) as { jobId: string }).jobId);
    }
    // The simulator runs time-lapsed: a 1 s job is done well within half a second.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const summary = await api.importer.importFromAccount();
    assert.ok(summary && summary.imported >= 2, `imported ${JSON.stringify(summary)}`);
    for (const jobId of made) {
      const entry = await waitFor(`job ${jobId} in the gallery`, () => api.store.findByJobId(jobId));
      const done = await api.engine.whenSettled(entry.id);
      assert.strictEqual(done?.state, 'completed', JSON.stringify(done?.reason));
      assert.strictEqual(done?.imported, true);
      assert.match(done!.options.prompt, /made on another machine/);
      assert.strictEqual(done!.options.aspectRatio, '3:4');
    }
    assert.strictEqual((await api.importer.importFromAccount())?.imported, 0, 'a second import finds nothing new');
  });
});
