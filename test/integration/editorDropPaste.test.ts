// Drop and paste of gallery images in the real extension host: the providers' edits are applied as
// VS Code applies them (one WorkspaceEdit: the new file and the snippet), so one Undo takes both back;
// only our data is taken (an entry id dragged from the gallery, a stored image's file URI pasted);
// a save folder that leads outside the workspace is refused with a message and writes nothing.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import { GALLERY_IMAGE_MIME } from '../../src/protocol/galleryTransfer';
import type { GalleryEntry } from '../../src/shared/entry';
import type { Log } from '../../src/shared/log';
import { GalleryImageEdits } from '../../src/vscode/editor/dropPaste';
import { EditorTracker } from '../../src/vscode/editor/editorTracker';
import { storedImageUri } from '../../src/vscode/editor/storedImage';
import { MessageRecorder, linkOutside, listFiles, openNewDocument, removeNewDocuments, workspaceUri } from './editorFixtures';
import { activateForTests, seedCompleted } from './support';

const NONE = new vscode.CancellationTokenSource().token;
const PASTE_CONTEXT: vscode.DocumentPasteEditContext = { only: undefined, triggerKind: vscode.DocumentPasteTriggerKind.Automatic };

describe('editor: drop and paste gallery images', function () {
  this.timeout(60_000);
  let api: FluxStudioTestApi;
  let provider: GalleryImageEdits;
  const messages = new MessageRecorder();
  const editors = new EditorTracker();
  const entries: GalleryEntry[] = [];
  const log: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const settings = () => vscode.workspace.getConfiguration('fluxStudio');

  before(async () => {
    api = await activateForTests();
    provider = new GalleryImageEdits({ store: api.store, log, editors }, async () => undefined);
    messages.install();
  });
  beforeEach(() => (messages.shown.length = 0));
  afterEach(async () => {
    await settings().update('saveFolder', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
  after(async () => {
    messages.restore();
    await removeNewDocuments();
    editors.dispose();
    for (const entry of entries) await api.store.remove(entry.id);
    await fs.rm(workspaceUri('images').fsPath, { recursive: true, force: true });
  });

  async function seed(prompt: string): Promise<GalleryEntry> {
    const entry = await seedCompleted(api.store, prompt);
    entries.push(entry);
    return entry;
  }

  const pasteText = (text: string) => {
    const transfer = new vscode.DataTransfer();
    transfer.set('text/plain', new vscode.DataTransferItem(text));
    return transfer;
  };
  const dragId = (id: string) => {
    const transfer = new vscode.DataTransfer();
    transfer.set(GALLERY_IMAGE_MIME, new vscode.DataTransferItem(id));
    return transfer;
  };

  it('paste "Copy Image" into HTML: the file and the <img> snippet in one edit, one Undo takes both back', async () => {
    const entry = await seed('A red <lighthouse> & "hill" {at} `dusk`');
    const editor = await openNewDocument('paste.html', '<body>\n  <h1>Lighthouse</h1>\n</body>\n');
    const before = editor.document.getText();
    const at = new vscode.Position(1, 16); // after "Lighthouse"
    const edits = await provider.provideDocumentPasteEdits(editor.document, [new vscode.Range(at, at)], pasteText(storedImageUri(entry, api.store).toString()), PASTE_CONTEXT, NONE);
    assert.strictEqual(edits?.length, 1);
    assert.strictEqual(edits[0].insertText, '', 'everything is in the one additional edit');
    assert.ok(edits[0].additionalEdit, `no edit: ${JSON.stringify(messages.shown)}`);
    assert.ok(await vscode.workspace.applyEdit(edits[0].additionalEdit));

    const file = workspaceUri('images', 'a-red-lighthouse-hill-at-dusk-7.jpg');
    assert.deepStrictEqual(Buffer.from(await vscode.workspace.fs.readFile(file)), await fs.readFile(api.store.imagePath(entry.imageFile!)));
    assert.strictEqual(
      editor.document.getText(),
      '<body>\n  <h1>Lighthouse<img src="images/a-red-lighthouse-hill-at-dusk-7.jpg" alt="A red &lt;lighthouse&gt; &amp; &quot;hill&quot; {at} `dusk`" width="2752" height="1536"></h1>\n</body>\n',
    );

    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), before, 'the snippet is gone');
    assert.deepStrictEqual(await listFiles(workspaceUri('images').fsPath), [], 'and so is the file');
  });

  it('drop from the gallery into Markdown: the snippet where Insert into workspace puts it, under a free name', async () => {
    const entry = await seed('A basalt lighthouse at dawn');
    await fs.mkdir(workspaceUri('images').fsPath, { recursive: true });
    await fs.writeFile(workspaceUri('images', 'a-basalt-lighthouse-at-dawn-7.jpg').fsPath, 'the user’s own file');
    const editor = await openNewDocument('drop.md', '# Notes\n\nA paragraph about the lighthouse\nthat goes on.\n');
    const drop = await provider.provideDocumentDropEdits(editor.document, new vscode.Position(2, 5), dragId(entry.id), NONE);
    assert.ok(drop?.additionalEdit, `no edit: ${JSON.stringify(messages.shown)}`);
    assert.ok(await vscode.workspace.applyEdit(drop.additionalEdit));
    assert.strictEqual(
      editor.document.getText(),
      '# Notes\n\nA paragraph about the lighthouse\nthat goes on.\n\n![A basalt lighthouse at dawn](images/a-basalt-lighthouse-at-dawn-7-1.jpg)\n',
    );
    assert.strictEqual(await fs.readFile(workspaceUri('images', 'a-basalt-lighthouse-at-dawn-7.jpg').fsPath, 'utf8'), 'the user’s own file', 'never overwritten');
    assert.deepStrictEqual(await fs.readFile(workspaceUri('images', 'a-basalt-lighthouse-at-dawn-7-1.jpg').fsPath), await fs.readFile(api.store.imagePath(entry.imageFile!)));
    await vscode.commands.executeCommand('undo');
    await fs.rm(workspaceUri('images').fsPath, { recursive: true, force: true });
  });

  it('takes only its own data: other text, other files, unknown or unfinished entries are left to VS Code', async () => {
    const editor = await openNewDocument('other.md', 'text\n');
    const at = [new vscode.Range(0, 0, 0, 0)];
    const done = await seed('a finished one');
    const running = await api.store.create({ ...done, id: 'e2d0a3c4-0000-4000-8000-000000000001', state: 'processing', imageFile: undefined });
    entries.push(running);
    for (const text of ['hello', 'file:///etc/passwd', `${storedImageUri(done, api.store).toString()}x`, 'file://' + 'a'.repeat(5000), api.store.imagePath('x.jpg')]) {
      assert.strictEqual(await provider.provideDocumentPasteEdits(editor.document, at, pasteText(text), PASTE_CONTEXT, NONE), undefined, text.slice(0, 80));
    }
    for (const id of ['no-such-entry', running.id, '../../etc', '']) {
      assert.strictEqual(await provider.provideDocumentDropEdits(editor.document, at[0].start, dragId(id), NONE), undefined, id);
    }
    assert.strictEqual(editor.document.getText(), 'text\n');
  });

  it('a save folder that leads outside the workspace through a symbolic link: refused with a message, nothing written', async () => {
    const entry = await seed('A fox for the link test');
    const escape = await linkOutside('escape');
    await settings().update('saveFolder', 'escape/images', vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await openNewDocument('escape.md', 'text\n');
      const edits = await provider.provideDocumentPasteEdits(editor.document, [new vscode.Range(1, 0, 1, 0)], pasteText(storedImageUri(entry, api.store).toString()), PASTE_CONTEXT, NONE);
      assert.strictEqual(edits?.[0].additionalEdit, undefined, 'no file, no snippet (and the URI is not pasted as text behind the message)');
      assert.match(messages.texts('showErrorMessage').join('\n'), /leads outside the workspace folder/);
      assert.deepStrictEqual(await listFiles(escape.outside), []);
      assert.strictEqual(editor.document.getText(), 'text\n');
    } finally {
      await escape.remove();
    }
  });

  it('a save folder with `..`, `~` or a drive letter falls back to images/ with a warning', async () => {
    const entry = await seed('A heron for the setting test');
    const editor = await openNewDocument('setting.md', 'text\n');
    for (const saveFolder of ['../outside', '~/Pictures', 'C:\\Users\\me']) {
      messages.shown.length = 0;
      await settings().update('saveFolder', saveFolder, vscode.ConfigurationTarget.Workspace);
      const drop = await provider.provideDocumentDropEdits(editor.document, new vscode.Position(1, 0), dragId(entry.id), NONE);
      assert.ok(drop?.additionalEdit && (await vscode.workspace.applyEdit(drop.additionalEdit)), saveFolder);
      assert.deepStrictEqual(await listFiles(workspaceUri('images').fsPath), ['a-heron-for-the-setting-test-7.jpg'], saveFolder);
      assert.match(messages.texts('showWarningMessage').join('\n'), /fluxStudio\.saveFolder/);
      await vscode.commands.executeCommand('undo');
    }
    assert.strictEqual(editor.document.getText(), 'text\n');
  });
});
