// The language model tool and @flux in the real extension host (no Copilot needed): vscode.lm.invokeTool
// runs VS Code's own flow — it calls the tool's prepareInvocation, confirms (the test host accepts
// confirmations by itself), then invoke — through the same engine as the commands; the result names the
// saved file and the snippet that went into the target document.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import { chatHandler, CHAT_PARTICIPANT_ID, type ChatDeps } from '../../src/vscode/chat';
import { SILENT_LOG } from '../../src/shared/log';
import { PromptEnhancer } from '../../src/vscode/promptEnhancer';
import { EditorTracker } from '../../src/vscode/editor/editorTracker';
import type { ImageToolResult } from '../../src/vscode/lmTool';
import { loadConfig } from './config';
import { scriptDialogs } from './dialogs';
import { readyForTests, sim } from './support';

const TOOL = 'flux-studio_generateImage';

/** The text MarkdownString.appendText escaped (backslashes, spaces as &nbsp;). */
const unescapeMarkdown = (value: string) => value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');

describe('the language model tool flux-studio_generateImage and @flux', function () {
  this.timeout(90_000);
  let api: FluxStudioTestApi;
  let prepared: vscode.PreparedToolInvocation[];
  let restorePrepare: () => void;

  before(async () => {
    api = await readyForTests();
    // Watch VS Code call the registered tool's prepareInvocation (and call through).
    const tool = api.imageTool;
    const original = tool.prepareInvocation;
    tool.prepareInvocation = function (...args) {
      const result = original.apply(this, args);
      prepared.push(result);
      return result;
    };
    restorePrepare = () => (tool.prepareInvocation = original);
  });

  after(() => restorePrepare());
  beforeEach(() => (prepared = []));

  function resultOf(result: vscode.LanguageModelToolResult): ImageToolResult {
    const text = result.content.find((part): part is vscode.LanguageModelTextPart => part instanceof vscode.LanguageModelTextPart);
    assert.ok(text, 'a text part');
    return JSON.parse(text.value) as ImageToolResult;
  }

  async function targetDocument(name: string): Promise<string> {
    const file = path.join(loadConfig().workspacePath, 'notes', name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '# Notes\n\nThe harbour at night:\n');
    return file;
  }

  it('is listed in vscode.lm.tools with its input schema', () => {
    const info = vscode.lm.tools.find((tool) => tool.name === TOOL);
    assert.ok(info, `listed: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
    assert.deepStrictEqual((info.inputSchema as { required: string[] }).required, ['prompt']);
  });

  it('invokeTool: the confirmation states the prompt and N × the per-image cost; the result names the saved files and the inserted snippet', async () => {
    const file = await targetDocument('harbour.md');
    const jobsBefore = (await sim('/__sim/stats')).jobsCreated;
    const result = resultOf(
      await vscode.lm.invokeTool(TOOL, { input: { prompt: 'A harbour at night, tool test', aspectRatio: '1:1', variants: 2, targetPath: 'notes/harbour.md' }, toolInvocationToken: undefined }),
    );

    assert.strictEqual(prepared.length, 1, 'VS Code called prepareInvocation before invoke');
    const confirmation = prepared[0].confirmationMessages!;
    assert.strictEqual(confirmation.title, 'Generate 2 variants for 12 credits?');
    const message = unescapeMarkdown((confirmation.message as vscode.MarkdownString).value);
    assert.match(message, /A harbour at night, tool test/);
    assert.match(message, /2 × 6 credits = 12 credits/);

    assert.strictEqual((await sim('/__sim/stats')).jobsCreated - jobsBefore, 2, 'two jobs, not asked again (the tool confirmation was the confirmation)');
    assert.strictEqual(result.saved.length, 2, JSON.stringify(result));
    for (const saved of result.saved) {
      assert.match(saved.path, /^images\/a-harbour-at-night[^/]*\.jpg$/);
      await fs.access(path.join(loadConfig().workspacePath, saved.path));
    }
    assert.notStrictEqual(result.saved[0].seed, result.saved[1].seed);
    assert.deepStrictEqual(result.inserted, { document: 'notes/harbour.md', snippet: `![A harbour at night, tool test](../${result.saved[0].path})` });
    const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file)!;
    assert.ok(document.getText().includes(result.inserted!.snippet), document.getText());
    const entries = api.store.list().filter((e) => e.options.prompt === 'A harbour at night, tool test');
    assert.strictEqual(new Set(entries.map((e) => e.groupId)).size, 1, 'the two variants are one group in the gallery');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('refuses a target outside the workspace, and bad input, before anything is sent', async () => {
    const jobsBefore = (await sim('/__sim/stats')).jobsCreated;
    for (const input of [{ prompt: 'escape', targetPath: '../outside.md' }, { prompt: 'escape', targetPath: '/etc/hostname' }, { prompt: '' }, { prompt: 'x', variants: 9 }]) {
      await assert.rejects(Promise.resolve(vscode.lm.invokeTool(TOOL, { input, toolInvocationToken: undefined })), JSON.stringify(input));
    }
    assert.strictEqual((await sim('/__sim/stats')).jobsCreated, jobsBefore);
  });

  /** Runs @flux on `prompt` (after `history`); returns what it said and its result. */
  async function askFlux(
    prompt: string,
    options: { command?: string; history?: unknown[]; references?: vscode.ChatPromptReference[]; uploadReference?: ChatDeps['uploadReference'] } = {},
  ): Promise<{ said: string; result: vscode.ChatResult }> {
    const markdown: string[] = [];
    const stream = {
      markdown: (value: string | vscode.MarkdownString) => markdown.push(typeof value === 'string' ? value : value.value),
      progress: () => undefined,
      reference: () => undefined,
      anchor: (_uri: vscode.Uri, title: string) => markdown.push(`[anchor ${title}]`),
    } as unknown as vscode.ChatResponseStream;
    const request = { prompt, command: options.command, references: options.references ?? [], toolInvocationToken: undefined } as unknown as vscode.ChatRequest;
    const editors = new EditorTracker();
    const deps: ChatDeps = { editors, enhancer: new PromptEnhancer(SILENT_LOG), tool: api.imageTool, uploadReference: options.uploadReference ?? (async () => assert.fail('no reference image in this request')) };
    const dialogs = scriptDialogs(() => undefined);
    try {
      const result = await chatHandler(deps)(request, { history: options.history ?? [] } as unknown as vscode.ChatContext, stream, new vscode.CancellationTokenSource().token);
      return { said: unescapeMarkdown(markdown.join('')), result: result ?? {} };
    } finally {
      dialogs.restore();
      editors.dispose();
    }
  }

  it('@flux /insert generates into the active document through the tool and reports the saved file', async () => {
    const file = await targetDocument('fox.md');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const { said } = await askFlux('a fox in the snow, chat test', { command: 'insert' });
    assert.match(said, /Saved images\/a-fox-in-the-snow/);
    assert.match(said, /\[anchor images\/a-fox-in-the-snow[^\]]*\.jpg\]/, `the saved file as an anchor: ${said.slice(0, 300)}`);
    assert.match(said, /!\[a fox in the snow, chat test\]\(data:image\/jpeg;base64,/, 'the picture inline');
    assert.match(said, /Inserted into notes\/fox\.md/);
    assert.ok((await vscode.workspace.openTextDocument(file)).getText().includes('![a fox in the snow, chat test](../images/a-fox-in-the-snow'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('@flux follow-ups: "make it square" re-runs the previous prompt as 1:1; "same picture, warmer" keeps the seed and appends', async () => {
    const first = await askFlux('a harbour crane at dawn, follow-up test', { command: 'generate' });
    const image = (first.result.metadata as { image?: { entryId: string; prompt: string; seed?: number } }).image;
    assert.ok(image, `the answer records its image: ${first.said.slice(0, 300)}`);
    const turn = (result: vscode.ChatResult) => Object.assign(Object.create(vscode.ChatResponseTurn.prototype), { participant: CHAT_PARTICIPANT_ID, result, response: [], command: undefined });

    const square = await askFlux('make it square', { history: [turn(first.result)] });
    const squareImage = (square.result.metadata as { image?: { entryId: string } }).image;
    assert.ok(squareImage, square.said.slice(0, 300));
    const squareEntry = api.store.get(squareImage.entryId)!;
    assert.deepStrictEqual([squareEntry.options.prompt, squareEntry.options.aspectRatio], [image.prompt, '1:1']);
    assert.notStrictEqual(squareEntry.options.seed, image.seed, 'a new seed');

    const warmer = await askFlux('same picture, warmer', { history: [turn(first.result), turn(square.result)] });
    const warmerEntry = api.store.get((warmer.result.metadata as { image: { entryId: string } }).image.entryId)!;
    assert.deepStrictEqual(
      [warmerEntry.options.prompt, warmerEntry.options.aspectRatio, warmerEntry.options.seed],
      [`${image.prompt}, warmer`, '1:1', squareEntry.options.seed],
      'appended, on the square image, same seed',
    );
  });

  it('@flux #file references: an image becomes the reference image, a Markdown document the insert target', async () => {
    const document = await targetDocument('references.md');
    const image = path.join(loadConfig().workspacePath, 'notes', 'reference.png');
    await fs.writeFile(image, Buffer.from('89504e470d0a1a0a', 'hex')); // only its name and place matter here: the upload is stubbed
    const uploaded: string[] = [];
    const references = [image, document].map((file, index) => ({ id: `file${index}`, value: vscode.Uri.file(file) }) as vscode.ChatPromptReference);
    const uploadReference = async (uri: vscode.Uri) => (uploaded.push(vscode.workspace.asRelativePath(uri)), 'https://example.com/uploaded-reference.png');
    const { said, result } = await askFlux('a lighthouse like this one, reference test', { command: 'generate', references, uploadReference });
    assert.deepStrictEqual(uploaded, ['notes/reference.png'], 'the #file image was uploaded as the reference');
    const entry = api.store.get((result.metadata as { image: { entryId: string } }).image.entryId)!;
    assert.strictEqual(entry.options.imagePrompt, 'https://example.com/uploaded-reference.png');
    assert.match(said, /Inserted into notes\/references\.md/, said.slice(0, 400));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
