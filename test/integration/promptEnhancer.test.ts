// Prompt enhancement against a fake language model in the real extension host: the model's answer is
// cleaned, a model that does not answer is given up on after the timeout, the user's Cancel stops it, and
// with the setting off no model is even looked up.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { SILENT_LOG } from '../../src/shared/log';
import { PromptEnhancer } from '../../src/vscode/promptEnhancer';
import { MessageRecorder } from './editorFixtures';

/** A model that answers `chunks`, or (none given) waits until its request is cancelled; it records the requests. */
function fakeModel(chunks?: string[]): { model: vscode.LanguageModelChat; requests: string[] } {
  const requests: string[] = [];
  const model = {
    id: 'fake-model',
    sendRequest: async (messages: vscode.LanguageModelChatMessage[], _options: unknown, token: vscode.CancellationToken) => {
      requests.push(messages.map((m) => m.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('')).join('\n'));
      async function* text() {
        if (chunks) return yield* chunks;
        await new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
        throw new vscode.CancellationError();
      }
      return { text: text(), stream: text() };
    },
  } as unknown as vscode.LanguageModelChat;
  return { model, requests };
}

describe('prompt enhancement with a language model', function () {
  this.timeout(20_000);

  it('sends the instruction with the prompt and cleans the answer', async () => {
    const { model, requests } = fakeModel(['Prompt: "Two red ', 'lighthouses at dusk"']);
    const rewrite = await new PromptEnhancer(SILENT_LOG, 5_000, async () => [model]).rewrite('빨간 등대 두 개', new vscode.CancellationTokenSource().token);
    assert.deepStrictEqual(rewrite, { kind: 'rewritten', prompt: 'Two red lighthouses at dusk' });
    assert.strictEqual(requests.length, 1);
    assert.match(requests[0], /<description>\n빨간 등대 두 개\n<\/description>/);
  });

  it('gives up on a model that does not answer within the timeout (the text is used)', async () => {
    const { model } = fakeModel();
    const started = Date.now();
    const rewrite = await new PromptEnhancer(SILENT_LOG, 300, async () => [model]).rewrite('a fox', new vscode.CancellationTokenSource().token);
    const elapsed = Date.now() - started;
    assert.deepStrictEqual(rewrite, { kind: 'failed' });
    assert.ok(elapsed < 3_000, `given up after ${elapsed} ms`);
  });

  it("stops at the user's Cancel", async () => {
    const { model } = fakeModel();
    const cancel = new vscode.CancellationTokenSource();
    setTimeout(() => cancel.cancel(), 200);
    const rewrite = await new PromptEnhancer(SILENT_LOG, 10_000, async () => [model]).rewrite('a fox', cancel.token);
    assert.deepStrictEqual(rewrite, { kind: 'cancelled' });
  });

  it('with the setting off (the default) looks up no model and keeps the prompt', async () => {
    assert.strictEqual(vscode.workspace.getConfiguration('fluxStudio').inspect('prompt.enhance')?.globalValue, undefined, 'the test settings leave it off');
    let lookedUp = 0;
    const chosen = await new PromptEnhancer(SILENT_LOG, 1_000, async () => (lookedUp++, [])).choose('a fox');
    assert.deepStrictEqual(chosen, { prompt: 'a fox' });
    assert.strictEqual(lookedUp, 0);
  });

  it('without a model says so once per session, and the text is used', async () => {
    const messages = new MessageRecorder();
    messages.install();
    try {
      const enhancer = new PromptEnhancer(SILENT_LOG, 1_000, async () => []);
      for (let i = 0; i < 2; i++) assert.deepStrictEqual(await enhancer.rewrite('a fox', new vscode.CancellationTokenSource().token), { kind: 'failed' });
      const said = messages.texts('showInformationMessage').filter((text) => text.includes('No language model'));
      assert.strictEqual(said.length, 1, JSON.stringify(messages.shown));
    } finally {
      messages.restore();
    }
  });
});
