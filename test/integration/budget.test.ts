// The daily spending limit and the agent tool's guards in the real extension host. The test host approves
// the tool's own confirmation by itself (as "Allow always" or global auto-approval would), so these show
// that the limit holds even then: its question comes from invoke. Also: a failed job is given back, and on
// a VS Code with LanguageModelDataPart the tool's result carries the picture.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import { sniffImage } from '../../src/shared/imageInfo';
import { loadConfig } from './config';
import { scriptDialogs, type Asked } from './dialogs';
import { workspaceUri } from './editorFixtures';
import { readyForTests, sim, waitFor } from './support';

const TOOL = 'flux-studio_generateImage';
const config = () => vscode.workspace.getConfiguration('fluxStudio');

describe('the daily spending limit and the agent tool', function () {
  this.timeout(90_000);
  let api: FluxStudioTestApi;

  before(async () => {
    api = await readyForTests();
  });

  // The tool saved its images into the shared test workspace: later suites count the files there.
  after(async () => {
    await fs.rm(workspaceUri('images').fsPath, { recursive: true, force: true });
  });

  afterEach(async () => {
    await config().update('spendingLimit', 0, vscode.ConfigurationTarget.Global);
    await config().update('tool.returnImage', undefined, vscode.ConfigurationTarget.Global);
  });

  /** Sets today's limit to what is spent already plus `credits`. */
  async function leaveRoomFor(credits: number): Promise<number> {
    const { spent } = await api.budget.today();
    await config().update('spendingLimit', spent + credits, vscode.ConfigurationTarget.Global);
    return spent + credits;
  }

  const invoke = (input: object) => Promise.resolve(vscode.lm.invokeTool(TOOL, { input, toolInvocationToken: undefined }));
  const jobsCreated = async () => (await sim('/__sim/stats')).jobsCreated as number;
  const overLimit = (asked: Asked) => asked.modal && /spending limit/.test(asked.message);

  it('the tool cannot pass the limit although its confirmation is approved: the modal comes from invoke, and nothing is sent', async () => {
    const limit = await leaveRoomFor(6);
    const dialogs = scriptDialogs(() => undefined); // dismissed
    try {
      const before = await jobsCreated();
      await assert.rejects(invoke({ prompt: 'over the limit, two variants', variants: 2 }), /did not start/);
      assert.strictEqual(await jobsCreated(), before, 'no job for a request past the limit');
      const question = dialogs.asked.find(overLimit);
      assert.ok(question, `the over-limit modal: ${JSON.stringify(dialogs.asked)}`);
      assert.match(question.detail ?? '', new RegExp(`costs 12 credits, and ${limit - 6} of today’s ${limit} credits`));
      assert.deepStrictEqual(question.items, [`Raise Today's Limit to ${limit * 2}`, 'Open Settings']);

      await invoke({ prompt: 'within the limit, one image' });
      assert.strictEqual(await jobsCreated(), before + 1, 'one image fits');
      await assert.rejects(invoke({ prompt: 'one more than the limit' }), /did not start/);
      assert.strictEqual(await jobsCreated(), before + 1);
      assert.deepStrictEqual(await api.budget.today(), { spent: limit, limit });
    } finally {
      dialogs.restore();
    }
  });

  it('commands stop at the limit too, and a failed job is given back', async () => {
    const dialogs = scriptDialogs(() => undefined);
    try {
      await leaveRoomFor(6);
      await sim('/__sim/faults', { route: 'generate', kind: 'failJob' });
      const [entry] = await api.generation.generateVariants({ prompt: 'refunded when it fails', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 90, raw: false });
      assert.ok(entry, 'within the limit');
      await waitFor('the job to fail', () => api.store.get(entry.id)?.state === 'failed');
      const { spent, limit } = await waitFor('the refund', async () => {
        const today = await api.budget.today();
        return today.spent + 6 === today.limit ? today : undefined;
      });
      const second = await api.generation.generateVariants({ prompt: 'fits again after the refund', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 90, raw: false });
      assert.strictEqual(second.length, 1, `the refunded credits are free again (${spent} of ${limit})`);
      assert.deepStrictEqual(await api.generation.generateVariants({ prompt: 'past the limit', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 90, raw: false }), []);
      assert.strictEqual(dialogs.asked.filter(overLimit).length, 1);
    } finally {
      dialogs.restore();
    }
  });

  it('credits reserved for a request the engine refuses before sending are given back at once', async () => {
    const dialogs = scriptDialogs(() => undefined);
    try {
      const limit = await leaveRoomFor(12);
      // Jobs of the tests before may still be on their way to Apiframe: count once they arrived.
      await waitFor('earlier submits', () => !api.store.list().some((e) => e.state === 'submitting' && !e.jobId));
      const before = await jobsCreated();
      // Past the gate (the limit reserved 12 credits), then refused by the engine's own check: nothing sent.
      const refused = await api.generation.generateVariants(
        { prompt: 'x'.repeat(5000), aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 90, raw: false },
        undefined,
        { count: 2, costConfirmed: true },
      );
      assert.deepStrictEqual(refused, []);
      assert.strictEqual(await jobsCreated(), before, 'nothing was sent');
      assert.deepStrictEqual(await api.budget.today(), { spent: limit - 12, limit }, 'the reservation was released');
      const two = await api.generation.generateVariants({ prompt: 'the released credits pay for these', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 90, raw: false }, undefined, { count: 2, costConfirmed: true });
      assert.strictEqual(two.length, 2);
      assert.strictEqual(dialogs.asked.filter(overLimit).length, 0, `no over-limit modal: ${JSON.stringify(dialogs.asked)}`);
    } finally {
      dialogs.restore();
    }
  });

  it('the confirmation shows the whole prompt, however long, in a code block', () => {
    const prompt = `${'A very long prompt about a lighthouse. '.repeat(45)}\`\`\`the end`;
    const prepared = api.imageTool.prepareInvocation({ input: { prompt } } as vscode.LanguageModelToolInvocationPrepareOptions<unknown>);
    const message = (prepared.confirmationMessages!.message as vscode.MarkdownString).value;
    assert.ok(prompt.length > 1500);
    assert.ok(message.includes(`\`\`\`\`text\n${prompt}\n\`\`\`\``), message);
  });

  it('refuses a target document that does not show images', async () => {
    await fs.mkdir(path.join(loadConfig().workspacePath, 'notes'), { recursive: true });
    await fs.writeFile(path.join(loadConfig().workspacePath, 'notes', 'settings.json'), '{}\n');
    const before = await jobsCreated();
    await assert.rejects(invoke({ prompt: 'into the settings', targetPath: 'notes/settings.json' }), /is a jsonc? document, which does not show images/);
    assert.strictEqual(await jobsCreated(), before);
  });

  it('the result carries a downscaled JPEG (from a JPEG or a PNG original) where VS Code has LanguageModelDataPart; the text part alone before (and with fluxStudio.tool.returnImage off)', async () => {
    const DataPart = (vscode as unknown as { LanguageModelDataPart?: new (...args: never[]) => { mimeType: string; data: Uint8Array } }).LanguageModelDataPart;
    const result = await invoke({ prompt: 'a lighthouse the agent looks at', aspectRatio: '16:9', outputFormat: 'jpg' });
    assert.ok(result.content[0] instanceof vscode.LanguageModelTextPart);
    const [major, minor] = vscode.version.split('.').map(Number);
    const stable = major > 1 || minor >= 106; // LanguageModelDataPart is stable API since 1.106
    if (stable) assert.ok(DataPart, `VS Code ${vscode.version} has LanguageModelDataPart`);
    if (!stable) {
      assert.strictEqual(result.content.length, 1, 'text only on a VS Code without LanguageModelDataPart');
      return;
    }
    assert.strictEqual(result.content.length, 2);
    const image = result.content[1] as unknown as { mimeType: string; data: Uint8Array };
    assert.ok(DataPart && image instanceof DataPart);
    assert.strictEqual(image.mimeType, 'image/jpeg');
    const info = sniffImage(image.data);
    assert.ok(info && info.format === 'jpg' && Math.max(info.width ?? 0, info.height ?? 0) <= 1024, JSON.stringify(info));
    assert.ok(image.data.length < 5 * 1024 * 1024, `${image.data.length} bytes`);
    // Any original format: a portrait PNG comes back as a JPEG limited on its long side (the height).
    const portrait = (await invoke({ prompt: 'a tall PNG the agent looks at', aspectRatio: '9:16', outputFormat: 'png' })).content[1] as unknown as { mimeType: string; data: Uint8Array };
    const tall = sniffImage(portrait?.data ?? new Uint8Array());
    assert.ok(portrait?.mimeType === 'image/jpeg' && tall?.format === 'jpg' && tall.height === 1024 && (tall.width ?? 0) < 1024, JSON.stringify(tall));

    await config().update('tool.returnImage', false, vscode.ConfigurationTarget.Global);
    assert.strictEqual((await invoke({ prompt: 'no picture back', outputFormat: 'jpg' })).content.length, 1);
  });

  // Last: the raised limit holds for the rest of the day (the rest of this run).
  it("raising today's limit in the modal lets the request through, and the limit stays raised today", async () => {
    const limit = await leaveRoomFor(0);
    assert.ok(limit > 0, 'the tests before spent something');
    const dialogs = scriptDialogs((asked) => (overLimit(asked) ? asked.items[0] : undefined));
    try {
      const before = await jobsCreated();
      await invoke({ prompt: 'after raising the limit' });
      assert.strictEqual(await jobsCreated(), before + 1);
      assert.strictEqual(dialogs.asked.filter(overLimit).length, 1);
      assert.deepStrictEqual(await api.budget.today(), { spent: limit + 6, limit: limit * 2, raisedLimit: limit * 2 });
    } finally {
      dialogs.restore();
    }
  });
});
