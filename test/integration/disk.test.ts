// Disk problems for "Insert into workspace" in the real extension host: a saveFolder that is a FILE (and one
// below a file) gives a clear message naming the folder, writes nothing half-way and keeps the gallery entry
// and its stored image; a file that already has the target name is never overwritten (the copy gets -2).
import * as assert from 'assert';
import { randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import type { GalleryStore } from '../../src/gallery/store';
import { imageFileName } from '../../src/insert/naming';
import type { GalleryEntry } from '../../src/shared/entry';
import type { Log } from '../../src/shared/log';
import { insertIntoWorkspace } from '../../src/vscode/editor/insertAction';
import { EditorTracker } from '../../src/vscode/editor/editorTracker';
import { loadConfig } from './config';
import { EXTENSION_ID, openAtEnd, seedCompleted } from './support';

// A tiny but complete PNG (1×1), enough for a copy.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex',
);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

describe('disk: Insert into workspace when the disk says no', function () {
  this.timeout(60_000);
  let store: GalleryStore;
  const messages: string[] = [];
  const log: Log = { info: () => undefined, warn: (m) => messages.push(m), error: (m) => messages.push(m) };
  const editors = new EditorTracker();
  after(() => editors.dispose());
  const settings = () => vscode.workspace.getConfiguration('fluxStudio');
  const workspace = () => loadConfig().workspacePath;
  const created: string[] = [];

  async function seed(prompt: string): Promise<GalleryEntry> {
    const entry = await seedCompleted(store, prompt, { format: 'png', bytes: PNG, aspectRatio: '1:1', width: 1, height: 1 });
    created.push(entry.id);
    return entry;
  }

  const openDoc = () => openAtEnd(vscode.Uri.file(path.join(workspace(), 'doc.md')));

  before(async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as FluxStudioTestApi;
    store = api.store;
  });

  afterEach(async () => {
    messages.length = 0;
    await settings().update('saveFolder', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
  });

  after(async () => {
    for (const id of created) await store.remove(id);
  });

  for (const [label, folder] of [
    ['saveFolder is a file', (name: string) => name],
    ['saveFolder lies below a file', (name: string) => `${name}/below`],
  ] as const) {
    it(`${label}: a clear message, nothing written, the gallery entry and its image kept`, async () => {
      const blocker = `blocker-${randomUUID().slice(0, 8)}.txt`;
      await fs.writeFile(path.join(workspace(), blocker), 'I am a file, not a folder');
      try {
        await settings().update('saveFolder', folder(blocker), vscode.ConfigurationTarget.Global);
        const editor = await openDoc();
        const textBefore = editor.document.getText();
        const filesBefore = await filesUnder(workspace());
        const entry = await seed('disk test: a lighthouse');
        const result = await insertIntoWorkspace(entry, { store, log, editors });
        assert.strictEqual(result, undefined, 'nothing was inserted');
        const message = messages.join('\n');
        assert.match(message, /Could not save the image in .*blocker-.*The image is still in the gallery\./s, message);
        assert.ok(!/\n\s+at /.test(message), `a user message, not a stack trace: ${message}`);
        assert.strictEqual(editor.document.getText(), textBefore, 'the document is unchanged');
        assert.deepStrictEqual(await filesUnder(workspace()), filesBefore, 'no file added or half-written in the workspace');
        assert.strictEqual(await fs.readFile(path.join(workspace(), blocker), 'utf8'), 'I am a file, not a folder', 'the file in the way is untouched');
        assert.ok(store.get(entry.id), 'the gallery entry is still there');
        assert.ok((await fs.readFile(store.imagePath(entry.imageFile!))).equals(PNG), 'and its stored image');
      } finally {
        await fs.rm(path.join(workspace(), blocker), { force: true });
      }
    });
  }

  it('a file with the target name already exists: it is kept, the copy gets -1', async () => {
    const folderName = `disk-${randomUUID().slice(0, 8)}`;
    await settings().update('saveFolder', folderName, vscode.ConfigurationTarget.Global);
    const entry = await seed('disk test: an existing file');
    const name = imageFileName({ prompt: entry.options.prompt, id: entry.id, seed: entry.options.seed, format: 'png' });
    const dir = path.join(workspace(), folderName);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, name), 'somebody else\'s file');
    try {
      await openDoc();
      const result = await insertIntoWorkspace(entry, { store, log, editors });
      assert.ok(result, messages.join('\n'));
      assert.strictEqual(path.basename(result.file.fsPath), name.replace(/\.png$/, '-1.png'));
      assert.strictEqual(await fs.readFile(path.join(dir, name), 'utf8'), 'somebody else\'s file', 'never overwritten');
      assert.ok((await fs.readFile(result.file.fsPath)).equals(PNG));
      const leftovers = (await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'));
      assert.deepStrictEqual(leftovers, []);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
