// The language model tool and @flux in the real extension host (no Copilot needed): vscode.lm.invokeTool
// runs VS Code's own flow — it calls the tool's prepareInvocation, confirms (the test host accepts
// confirmations by itself), then invoke — through the same engine as the commands; the result names the
// saved file and the snippet that went into the target document.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import { chatHandler } from '../../src/vscode/chat';
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

  it('@flux /insert generates into the active document through the tool and reports the saved file', async () => {
    const file = await targetDocument('fox.md');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const markdown: string[] = [];
    const stream = {
      markdown: (value: string | vscode.MarkdownString) => markdown.push(typeof value === 'string' ? value : value.value),
      progress: () => undefined,
      reference: () => undefined,
    } as unknown as vscode.ChatResponseStream;
    const request = { prompt: 'a fox in the snow, chat test', command: 'insert', toolInvocationToken: undefined } as unknown as vscode.ChatRequest;
    const editors = new EditorTracker();
    const dialogs = scriptDialogs(() => undefined);
    try {
      await chatHandler(editors)(request, { history: [] } as unknown as vscode.ChatContext, stream, new vscode.CancellationTokenSource().token);
    } finally {
      dialogs.restore();
      editors.dispose();
    }
    const said = unescapeMarkdown(markdown.join(''));
    assert.match(said, /Saved images\/a-fox-in-the-snow/);
    assert.match(said, /Inserted into notes\/fox\.md/);
    assert.ok((await vscode.workspace.openTextDocument(file)).getText().includes('![a fox in the snow, chat test](../images/a-fox-in-the-snow'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
