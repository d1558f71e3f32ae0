// One step from a sentence to a picture, in the real extension host: the price question before the first
// paid image (once with "Don't ask again", again when the price changed), and the image landing right after
// the selected text — wherever the user's edits moved it, as one undoable edit — or, when that text is gone,
// waiting in the gallery with one notification that offers Insert.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import type { GalleryEntry } from '../../src/shared/entry';
import { loadConfig } from './config';
import { scriptDialogs, type Asked } from './dialogs';
import { forgetCachedPrice, readyForTests, sim, waitFor } from './support';

const PARAGRAPH = 'A copper kettle steams on a wood stove in a mountain hut.';
const OPTIONS = { aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 60, raw: false } as const;

describe('one step: the price before the money, the picture where the text is', function () {
  this.timeout(60_000);
  let api: FluxStudioTestApi;

  before(async () => {
    api = await readyForTests();
  });

  after(async () => {
    await sim('/__sim/config', { creditCost: 6, durations: { medianMs: 15000, sigma: 0.35 } });
    await api.payment.agreeTo(await forgetCachedPrice(api));
  });

  it('the first paid image asks once with the price and the balance; "Don\'t ask again" holds until the price changes', async () => {
    await api.payment.agreeTo(undefined);
    const answers: Array<string | undefined> = ["Don't ask again"];
    const dialogs = scriptDialogs((asked: Asked) => (asked.modal ? answers.shift() : undefined));
    try {
      const first = await api.generation.generate({ ...OPTIONS, prompt: 'the first paid image' });
      assert.ok(first, 'started after the answer');
      const question = dialogs.asked.filter((a) => a.modal);
      assert.strictEqual(question.length, 1, JSON.stringify(dialogs.asked));
      assert.strictEqual(question[0].message, 'Generate an image for 6 credits?');
      assert.deepStrictEqual(question[0].items, ['Generate', "Don't ask again"]);
      assert.match(question[0].detail ?? '', /Apiframe charges 6 credits per Flux 1.1 Pro Ultra image \(its published price list\)/);
      assert.match(question[0].detail ?? '', /Your balance: \d+ credits\./);

      assert.ok(await api.generation.generate({ ...OPTIONS, prompt: 'the second paid image' }));
      assert.strictEqual(dialogs.asked.filter((a) => a.modal).length, 1, 'not asked again');

      // Apiframe's price list changes: asked again with the new price; "Generate" alone agrees only this once.
      await sim('/__sim/config', { creditCost: 8 });
      assert.strictEqual(await forgetCachedPrice(api), 8);
      answers.push('Generate', undefined);
      const changed = await api.generation.generate({ ...OPTIONS, prompt: 'after the price change' });
      assert.ok(changed);
      // generate resolves once the job is recorded; its submit follows. Count from after it reached Apiframe.
      await waitFor('the submit of the job after the price change', () => api.store.get(changed.id)?.jobId);
      const before = (await sim('/__sim/stats')).jobsCreated;
      assert.strictEqual(await api.generation.generate({ ...OPTIONS, prompt: 'declined' }), undefined, 'declined: nothing started');
      assert.strictEqual((await sim('/__sim/stats')).jobsCreated, before, 'nothing was submitted');
      assert.deepStrictEqual(
        dialogs.asked.filter((a) => a.modal).map((a) => a.message),
        ['Generate an image for 6 credits?', 'Generate an image for 8 credits?', 'Generate an image for 8 credits?'],
      );
    } finally {
      dialogs.restore();
      await sim('/__sim/config', { creditCost: 6 });
      await api.payment.agreeTo(await forgetCachedPrice(api));
    }
  });

  /** A fresh Markdown file in the workspace with PARAGRAPH selected, and the job started from it. */
  async function generateFromParagraph(name: string): Promise<{ editor: vscode.TextEditor; entry: GalleryEntry }> {
    const file = vscode.Uri.file(path.join(loadConfig().workspacePath, name));
    await fs.writeFile(file.fsPath, `# Hut\n\n${PARAGRAPH}\n\nThe end.\n`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const start = editor.document.positionAt(editor.document.getText().indexOf(PARAGRAPH));
    editor.selection = new vscode.Selection(start, start.translate(0, PARAGRAPH.length));
    await sim('/__sim/config', { durations: { fixedMs: 100_000 } }); // 2 s at the suite's time scale
    const started = Date.now();
    await vscode.commands.executeCommand('fluxStudio.generateFromSelection');
    const entry = await waitFor('the job', () => api.store.list().find((e) => e.createdAt >= started && e.options.prompt === PARAGRAPH));
    return { editor, entry };
  }

  it('the image lands right after the paragraph it was made from, after the user typed above it, as one undoable edit', async () => {
    const { editor, entry } = await generateFromParagraph('placement-edited.md');
    // The user keeps writing above the paragraph while the job runs.
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'A new line written meanwhile.\n')));
    assert.strictEqual((await api.engine.whenSettled(entry.id))?.state, 'completed');
    const text = await waitFor('the snippet in the document', () => (editor.document.getText().includes('![') ? editor.document.getText() : undefined));
    const snippet = /!\[[^\]]*\]\((images\/[^)]+\.jpg)\)/.exec(text);
    assert.ok(snippet, text);
    assert.strictEqual(text.indexOf(snippet[0]), text.indexOf(PARAGRAPH) + PARAGRAPH.length + 2, `right after the paragraph, as its own block:\n${text}`);
    assert.ok(text.startsWith('# Hut\nA new line written meanwhile.\n'), 'the user’s edit is kept');
    const saved = vscode.Uri.joinPath(editor.document.uri, '..', snippet[1]);
    assert.deepStrictEqual([...(await fs.readFile(saved.fsPath)).subarray(0, 3)], [0xff, 0xd8, 0xff], 'the JPEG is on disk where the link points');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), `# Hut\nA new line written meanwhile.\n\n${PARAGRAPH}\n\nThe end.\n`, 'one undo takes the image out again');
  });

  it('when the paragraph is deleted meanwhile nothing is guessed: one notification offers Insert', async () => {
    const dialogs = scriptDialogs(() => undefined);
    try {
      const { editor, entry } = await generateFromParagraph('placement-gone.md');
      const at = editor.document.getText().indexOf(PARAGRAPH);
      assert.ok(await editor.edit((edit) => edit.delete(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + PARAGRAPH.length)))));
      assert.strictEqual((await api.engine.whenSettled(entry.id))?.state, 'completed');
      const offer = await waitFor('the notification', () => dialogs.asked.find((a) => a.message.includes('is no longer in placement-gone.md')));
      assert.deepStrictEqual(offer.items, ['Insert']);
      assert.ok(!editor.document.getText().includes('!['), 'the document was not changed');
      assert.ok(!dialogs.asked.some((a) => a.message.startsWith('Image ready')), 'one notification, not two');
    } finally {
      dialogs.restore();
    }
  });
});
