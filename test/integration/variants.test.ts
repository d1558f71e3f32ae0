// Variants, Keep and Re-run from Image in the real extension host against the simulator: N jobs with N
// seeds in one group, each its own idempotency key, the cost confirmed first; Keep spares starred variants;
// an image's embedded record re-runs exactly, and an image without one says so.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import { embedMetadata } from '../../src/metadata';
import type { GalleryEntry } from '../../src/shared/entry';
import { keepVariant } from '../../src/vscode/variants';
import { loadConfig } from './config';
import { scriptDialogs, type Asked } from './dialogs';
import { forgetCachedPrice, jobInput, readyForTests, sim, waitFor } from './support';

describe('variants, Keep and Re-run from Image', function () {
  this.timeout(90_000);
  let api: FluxStudioTestApi;
  const config = vscode.workspace.getConfiguration('fluxStudio');

  before(async () => {
    api = await readyForTests();
  });

  afterEach(async () => {
    await fetch(`${loadConfig().simulatorUrl}/__sim/faults`, { method: 'DELETE' });
    for (const key of ['variants', 'embedMetadata', 'askAspectRatioAndVariants']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  /** The entries created since `started`, once the engine is done with all of them. */
  async function settledSince(started: number, count: number): Promise<GalleryEntry[]> {
    const fresh = await waitFor(`${count} new entries`, () => {
      const found = api.store.list().filter((e) => e.createdAt >= started);
      return found.length >= count ? found : undefined;
    });
    const settled = await Promise.all(fresh.map((e) => api.engine.whenSettled(e.id)));
    return settled.map((e) => e!).sort((a, b) => (a.variantIndex ?? 0) - (b.variantIndex ?? 0));
  }

  it('Flux: Generate Image… with 3 variants: the cost (price list × 3) is confirmed, then 3 jobs, 3 seeds, one group, one idempotency key each', async () => {
    // Apiframe's price list says 7; the day-old cache is dropped so it is read again.
    await sim('/__sim/config', { creditCost: 7 });
    await forgetCachedPrice(api);
    try {

      const prompt = 'Three lighthouses on three cliffs, variants test';
      const dialogs = scriptDialogs((asked: Asked) => {
        if (asked.sink === 'showInputBox') return prompt;
        if (asked.sink === 'showQuickPick') return asked.items.find((item) => item.ratio === '4:3' || item.count === 3);
        return asked.modal ? asked.items[0] : undefined;
      });
      const before = await sim('/__sim/stats');
      // Every first submit loses its answer after the job was created: the retries must replay, not charge again.
      await sim('/__sim/faults', { route: 'generate', kind: 'reset', times: 3 });
      const started = Date.now();
      try {
        await vscode.commands.executeCommand('fluxStudio.generate');
      } finally {
        dialogs.restore();
      }
      const confirmation = dialogs.asked.find((a) => a.modal)!;
      assert.ok(confirmation, `a modal confirmation was shown: ${JSON.stringify(dialogs.asked)}`);
      assert.strictEqual(confirmation.message, 'Generate 3 variants for 21 credits?');
      assert.match(confirmation.detail ?? '', /3 × 7 credits = 21 credits/);
      assert.ok(dialogs.asked.some((a) => a.sink === 'showQuickPick' && a.items.some((item) => item.count === 4)), 'the count was asked (1–4)');

      const variants = await settledSince(started, 3);
      assert.strictEqual(variants.length, 3);
      for (const entry of variants) assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
      assert.ok(variants[0].groupId, 'grouped');
      assert.deepStrictEqual(variants.map((e) => [e.groupId, e.variantIndex, e.options.prompt, e.options.aspectRatio]), [0, 1, 2].map((i) => [variants[0].groupId, i, prompt, '4:3']));
      const seeds = variants.map((e) => e.options.seed);
      assert.strictEqual(new Set(seeds).size, 3, `three different seeds: ${seeds}`);
      const sent = await Promise.all(variants.map(async (e) => (await jobInput(e.jobId!)).fluxParams.seed));
      assert.deepStrictEqual(sent, seeds, 'the seed of each entry is the one sent');

      const after = await sim('/__sim/stats');
      assert.strictEqual(after.jobsCreated - before.jobsCreated, 3, 'three jobs, no more, despite the lost answers');
      assert.ok(after.idempotentReplays - before.idempotentReplays >= 3, 'the retries were replays');
      const keys = after.jobs.filter((job: { id: string }) => variants.some((e) => e.jobId === job.id)).map((job: { idempotencyKey: string }) => job.idempotencyKey);
      assert.deepStrictEqual(keys.sort(), variants.map((e) => e.id).sort(), 'each variant is its own action: its entry id is its idempotency key');
    } finally {
      await sim('/__sim/config', { creditCost: 6 });
      await forgetCachedPrice(api);
    }
  });

  it('declining the cost sends nothing; fluxStudio.variants sets the count of Generate Image from Selection', async () => {
    await config.update('variants', 2, vscode.ConfigurationTarget.Global);
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'two foxes in the snow, variants setting test' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, document.lineAt(0).text.length);
    const jobsBefore = (await sim('/__sim/stats')).jobsCreated;
    const decline = scriptDialogs(() => undefined);
    try {
      await vscode.commands.executeCommand('fluxStudio.generateFromSelection');
    } finally {
      decline.restore();
    }
    assert.match(decline.asked.find((a) => a.modal)?.message ?? '', /^Generate 2 variants for \d+ credits\?$/);
    assert.strictEqual((await sim('/__sim/stats')).jobsCreated, jobsBefore, 'declined: nothing sent');

    const accept = scriptDialogs((asked) => (asked.modal ? asked.items[0] : undefined));
    const started = Date.now();
    try {
      await vscode.commands.executeCommand('fluxStudio.generateFromSelection');
    } finally {
      accept.restore();
    }
    const variants = await settledSince(started, 2);
    assert.deepStrictEqual(variants.map((e) => e.variantIndex), [0, 1]);
    assert.strictEqual(variants[0].groupId, variants[1].groupId);
    assert.strictEqual(variants[0].source?.documentUri, document.uri.toString());
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Keep deletes the other variants of the group after asking, never a starred one', async () => {
    const dialogs = scriptDialogs((asked) => (asked.modal ? asked.items[0] : undefined));
    try {
      const started = Date.now();
      await api.generation.generateVariants({ prompt: 'a keep test', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 60, raw: false }, undefined, { count: 4 });
      const [kept, starred, ...others] = await settledSince(started, 4);
      await api.store.update(starred.id, { starred: true });
      const removed = await keepVariant(kept, { store: api.store, log: { info: () => undefined, warn: () => undefined, error: () => undefined }, remove: (id, onlyIf) => api.engine.remove(id, onlyIf) });
      assert.strictEqual(removed, 2);
      assert.match(dialogs.asked.at(-1)?.message ?? '', /delete the 2 others/);
      assert.match(dialogs.asked.at(-1)?.detail ?? '', /One starred or unfinished variant stays/);
      assert.ok(api.store.get(kept.id) && api.store.get(starred.id), 'the kept and the starred variant stay');
      for (const other of others) assert.strictEqual(api.store.get(other.id), undefined);
    } finally {
      dialogs.restore();
    }
  });

  it('Re-run from Image: the record in a workspace copy re-runs with the same prompt, seed and ratio', async () => {
    const original = (await api.generation.generate({ prompt: 'a lighthouse to re-run', aspectRatio: '9:16', outputFormat: 'png', outputQuality: 90, raw: true, seed: 777 }))!;
    const done = (await api.engine.whenSettled(original.id))!;
    const copy = path.join(loadConfig().workspacePath, 'rerun-me.png');
    await fs.copyFile(api.store.imagePath(done.imageFile!), copy);
    const dialogs = scriptDialogs((asked) => asked.items.find((item) => item === 'Re-run'));
    let rerun: GalleryEntry | undefined;
    try {
      rerun = await vscode.commands.executeCommand<GalleryEntry | undefined>('fluxStudio.rerunFromImage', vscode.Uri.file(copy));
    } finally {
      dialogs.restore();
    }
    assert.ok(rerun, `re-run started: ${JSON.stringify(dialogs.asked)}`);
    assert.ok(
      dialogs.asked.some((a) => a.message === 'rerun-me.png was made by Flux Studio from “a lighthouse to re-run” (seed 777, 9:16). Re-run sends: PNG, quality 90, Raw on.' && a.items.includes('Re-run')),
      JSON.stringify(dialogs.asked),
    );
    assert.deepStrictEqual(
      [rerun.options.prompt, rerun.options.seed, rerun.options.aspectRatio, rerun.options.raw, rerun.options.outputFormat],
      ['a lighthouse to re-run', 777, '9:16', true, 'png'],
    );
    const settled = (await api.engine.whenSettled(rerun.id))!;
    assert.strictEqual((await jobInput(settled.jobId!)).fluxParams.seed, 777, 'the recorded seed is sent again');
  });

  it('Re-run from Image lists the reference it sends, and leaves out a plain http reference (a cloned file must not steer the paid image)', async () => {
    const source = path.join(loadConfig().workspacePath, 'referenced-source.png');
    await sharp({ create: { width: 16, height: 16, channels: 3, background: '#204060' } }).png().toFile(source);
    const record = { prompt: 'a referenced harbour', model: 'flux-1.1-pro-ultra', aspectRatio: '1:1' as const, raw: false, outputFormat: 'png' as const, seed: 5 };
    const insecure = path.join(loadConfig().workspacePath, 'insecure-reference.png');
    await embedMetadata(source, insecure, { ...record, imagePrompt: 'http://tracker.example/ref.png', imagePromptStrength: 0.9 }, 'test');
    const secure = path.join(loadConfig().workspacePath, 'secure-reference.png');
    await embedMetadata(source, secure, { ...record, imagePrompt: 'https://images.example/ref.png', imagePromptStrength: 0.4 }, 'test');
    const dialogs = scriptDialogs((asked) => asked.items.find((item) => item === 'Re-run'));
    let fromInsecure: GalleryEntry | undefined;
    let fromSecure: GalleryEntry | undefined;
    try {
      fromInsecure = await vscode.commands.executeCommand<GalleryEntry | undefined>('fluxStudio.rerunFromImage', vscode.Uri.file(insecure));
      fromSecure = await vscode.commands.executeCommand<GalleryEntry | undefined>('fluxStudio.rerunFromImage', vscode.Uri.file(secure));
    } finally {
      dialogs.restore();
    }
    const [insecureAsked, secureAsked] = dialogs.asked.filter((a) => a.items.includes('Re-run')).map((a) => a.message);
    assert.ok(insecureAsked.includes('http://tracker.example/ref.png, which is not an https link, so Re-run leaves it out'), insecureAsked);
    assert.ok(secureAsked.includes('It also sends the reference image https://images.example/ref.png (strength 0.4)'), secureAsked);
    assert.strictEqual(fromInsecure?.options.imagePrompt, undefined);
    assert.strictEqual(fromInsecure?.options.imagePromptStrength, undefined);
    assert.strictEqual(fromSecure?.options.imagePrompt, 'https://images.example/ref.png');
    for (const entry of [fromInsecure, fromSecure]) if (entry) await api.engine.remove(entry.id);
  });

  it('Re-run from Image refuses a record whose settings the options validator refuses (the file is untrusted), without offering Re-run', async () => {
    const file = path.join(loadConfig().workspacePath, 'tampered.png');
    const source = path.join(loadConfig().workspacePath, 'tampered-source.png');
    await sharp({ create: { width: 16, height: 16, channels: 3, background: '#604020' } }).png().toFile(source);
    const record = { prompt: 'tampered', model: 'flux-1.1-pro-ultra', aspectRatio: '1:1' as const, raw: false, outputFormat: 'png' as const, imagePrompt: 'file:///etc/passwd', imagePromptStrength: 0.5 };
    await embedMetadata(source, file, record, 'test');
    const dialogs = scriptDialogs((asked) => asked.items.find((item) => item === 'Re-run'));
    const jobsBefore = (await sim('/__sim/stats')).jobsCreated;
    try {
      assert.strictEqual(await vscode.commands.executeCommand('fluxStudio.rerunFromImage', vscode.Uri.file(file)), undefined);
    } finally {
      dialogs.restore();
    }
    assert.ok(dialogs.asked.some((a) => a.sink === 'showWarningMessage' && /^The Flux Studio record in tampered\.png cannot be re-run\. The reference image must be an http\(s\) URL/.test(a.message)), JSON.stringify(dialogs.asked));
    assert.ok(!dialogs.asked.some((a) => a.items.includes('Re-run')), 'Re-run was not offered');
    assert.strictEqual((await sim('/__sim/stats')).jobsCreated, jobsBefore);
  });

  it('Re-run from Image on an image without a record (made elsewhere, or stored with fluxStudio.embedMetadata off) says so and sends nothing', async () => {
    await config.update('embedMetadata', false, vscode.ConfigurationTarget.Global);
    const plain = (await api.generation.generate({ prompt: 'no record please', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 60, raw: false }))!;
    const stored = (await api.engine.whenSettled(plain.id))!;
    const foreign = path.join(loadConfig().workspacePath, 'foreign.webp');
    await sharp({ create: { width: 16, height: 16, channels: 3, background: '#204060' } }).webp().toFile(foreign);
    for (const file of [api.store.imagePath(stored.imageFile!), foreign]) {
      const dialogs = scriptDialogs(() => undefined);
      const jobsBefore = (await sim('/__sim/stats')).jobsCreated;
      try {
        assert.strictEqual(await vscode.commands.executeCommand('fluxStudio.rerunFromImage', vscode.Uri.file(file)), undefined);
      } finally {
        dialogs.restore();
      }
      assert.ok(dialogs.asked.some((a) => a.message.startsWith(`${path.basename(file)} carries no Flux Studio record`)), JSON.stringify(dialogs.asked));
      assert.strictEqual((await sim('/__sim/stats')).jobsCreated, jobsBefore);
    }
  });
});
