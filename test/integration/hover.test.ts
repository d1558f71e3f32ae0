// The record one hover away, in the real extension host: a link to an image with a Flux Studio record shows
// a data: thumbnail, the prompt (escaped), seed, ratio and cost, and trusted links (Re-run, Vary, Open in
// Gallery) to our own commands only; Vary asks with a new seed; an image without a record shows nothing of ours.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import { embedMetadata } from '../../src/metadata';
import { MessageRecorder, openNewDocument, removeNewDocuments, workspaceUri } from './editorFixtures';
import { readyForTests, seedCompleted, sim, waitFor } from './support';

const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('hover: the record of an image link', function () {
  this.timeout(60_000);
  after(() => removeNewDocuments());

  async function hovers(document: vscode.TextDocument, needle: string): Promise<vscode.Hover[]> {
    const position = document.positionAt(document.getText().indexOf(needle) + 2);
    return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
  }
  const ours = (hover: vscode.Hover[]) =>
    hover.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString && c.value.includes('fluxStudio.rerunFromImage'));

  it('shows the thumbnail, the escaped prompt, seed, ratio and cost, and Re-run / Vary / Open in Gallery; nothing for an image without a record', async () => {
    await fs.mkdir(workspaceUri('images').fsPath, { recursive: true });
    const withRecord = workspaceUri('images', 'hover-fox.png').fsPath;
    const plain = workspaceUri('images', 'hover-plain.png').fsPath;
    await fs.writeFile(withRecord, PNG_1x1);
    await fs.writeFile(plain, PNG_1x1);
    const prompt = 'A fox [click](command:workbench.action.openSettings) <b>bold</b>';
    const originalPrompt = '바닷가 [여우](command:workbench.action.openSettings)';
    await embedMetadata(withRecord, withRecord, { prompt, originalPrompt, model: 'flux-1.1-pro-ultra', seed: 4242, aspectRatio: '3:4', raw: false, outputFormat: 'png', createdAt: '2026-01-02T03:04:05.000Z' }, 'test');
    const { document } = await openNewDocument('hover.md', '# Page\n\n![fox](images/hover-fox.png)\n\n![plain](images/hover-plain.png)\n');

    const [markdown] = ours(await hovers(document, 'images/hover-fox.png'));
    assert.ok(markdown, 'our hover on the image with a record');
    assert.match(markdown.value, /!\[[^\]]*\]\(data:image\/(webp|png);base64,/);
    assert.match(markdown.value, /4242/);
    assert.ok(markdown.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1').includes('Rewritten from: 바닷가 [여우]'), `the original prompt, as text: ${markdown.value}`);
    assert.match(markdown.value, /3:4/);
    assert.match(markdown.value.replace(/&nbsp;/g, ' '), /Cost (about )?6 credits/, 'no job of the gallery: the price of one image');
    assert.doesNotMatch(markdown.value, /\]\(command:workbench/, 'the prompt cannot make a command link');
    const links = [...markdown.value.matchAll(/\[([^\]]+)\]\(command:([\w.]+)/g)].map((m) => [m[1], m[2]]);
    assert.deepStrictEqual(links, [['Re\\-run', 'fluxStudio.rerunFromImage'], ['Vary', 'fluxStudio.varyFromImage'], ['Open in Gallery', 'fluxStudio.openGallery']]);
    assert.deepStrictEqual(markdown.isTrusted, { enabledCommands: ['fluxStudio.rerunFromImage', 'fluxStudio.varyFromImage', 'fluxStudio.openGallery'] });
    assert.deepStrictEqual(ours(await hovers(document, 'images/hover-plain.png')), []);
  });

  it('shows what Apiframe charged when the gallery knows the job of the record', async () => {
    const api = await readyForTests();
    const entry = await seedCompleted(api.store, 'A charged otter');
    try {
      await api.store.update(entry.id, { jobId: 'hover-charged-job', creditCost: 5 });
      const file = workspaceUri('images', 'hover-charged.png');
      await fs.mkdir(workspaceUri('images').fsPath, { recursive: true });
      await fs.writeFile(file.fsPath, PNG_1x1);
      await embedMetadata(file.fsPath, file.fsPath, { prompt: 'A charged otter', model: 'flux-1.1-pro-ultra', seed: 5, aspectRatio: '1:1', raw: false, outputFormat: 'png', jobId: 'hover-charged-job' }, 'test');
      const { document } = await openNewDocument('hover-charged.md', '![otter](images/hover-charged.png)\n');
      const [markdown] = ours(await hovers(document, 'images/hover-charged.png'));
      assert.match(markdown?.value.replace(/&nbsp;/g, ' ') ?? '', /Cost 5 credits/);
    } finally {
      await api.store.remove(entry.id);
    }
  });

  it('Vary asks with the same prompt and settings and a new seed, and starts nothing until agreed', async () => {
    await readyForTests();
    const file = workspaceUri('images', 'hover-vary.png');
    await fs.mkdir(workspaceUri('images').fsPath, { recursive: true });
    await fs.writeFile(file.fsPath, PNG_1x1);
    await embedMetadata(file.fsPath, file.fsPath, { prompt: 'A vary heron', model: 'flux-1.1-pro-ultra', seed: 77, aspectRatio: '1:1', raw: false, outputFormat: 'png', createdAt: '2026-01-02T03:04:05.000Z' }, 'test');
    const messages = new MessageRecorder();
    messages.install();
    try {
      const jobs = (await sim('/__sim/stats')).jobsCreated;
      // The question is a notification that waits for its button: the command is not awaited.
      void vscode.commands.executeCommand('fluxStudio.varyFromImage', file);
      const asked = await waitFor('the Vary question', () => messages.shown.find((m) => m.text.includes('A vary heron')));
      assert.match(asked.text, /from “A vary heron” \(seed 77, 1:1\)/);
      assert.match(asked.text, /Vary sends the same prompt and settings with a new seed: PNG/);
      assert.strictEqual((await sim('/__sim/stats')).jobsCreated, jobs, 'dismissed: nothing started');
    } finally {
      messages.restore();
    }
  });
});
