// The record one hover away, in the real extension host: a link to an image with a Flux Studio record shows
// a data: thumbnail, the prompt (escaped) and trusted links to our own commands only; an image without a
// record shows nothing of ours.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import { embedMetadata } from '../../src/metadata';
import { openNewDocument, removeNewDocuments, workspaceUri } from './editorFixtures';

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

  it('shows the thumbnail, the escaped prompt, seed and ratio, and Re-run / Open in Gallery; nothing for an image without a record', async () => {
    await fs.mkdir(workspaceUri('images').fsPath, { recursive: true });
    const withRecord = workspaceUri('images', 'hover-fox.png').fsPath;
    const plain = workspaceUri('images', 'hover-plain.png').fsPath;
    await fs.writeFile(withRecord, PNG_1x1);
    await fs.writeFile(plain, PNG_1x1);
    const prompt = 'A fox [click](command:workbench.action.openSettings) <b>bold</b>';
    await embedMetadata(withRecord, withRecord, { prompt, model: 'flux-1.1-pro-ultra', seed: 4242, aspectRatio: '3:4', raw: false, outputFormat: 'png', createdAt: '2026-01-02T03:04:05.000Z' }, 'test');
    const { document } = await openNewDocument('hover.md', '# Page\n\n![fox](images/hover-fox.png)\n\n![plain](images/hover-plain.png)\n');

    const [markdown] = ours(await hovers(document, 'images/hover-fox.png'));
    assert.ok(markdown, 'our hover on the image with a record');
    assert.match(markdown.value, /!\[[^\]]*\]\(data:image\/(webp|png);base64,/);
    assert.match(markdown.value, /4242/);
    assert.match(markdown.value, /3:4/);
    assert.doesNotMatch(markdown.value, /\]\(command:workbench/, 'the prompt cannot make a command link');
    assert.deepStrictEqual(markdown.isTrusted, { enabledCommands: ['fluxStudio.rerunFromImage', 'fluxStudio.openGallery'] });
    assert.deepStrictEqual(ours(await hovers(document, 'images/hover-plain.png')), []);
  });
});
