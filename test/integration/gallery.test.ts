// The gallery inside the real extension host: the panel opens and its webview makes and stores a
// thumbnail (proves the canvas is not tainted in a real VS Code webview), and "Insert into workspace"
// writes the image file and the snippet for Markdown and HTML — one undoable edit, never overwriting.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import type { GalleryStore } from '../../src/gallery/store';
import type { GalleryEntry, PromptSource } from '../../src/shared/entry';
import type { Log } from '../../src/shared/log';
import { sniffImage } from '../../src/shared/imageInfo';
import { insertIntoWorkspace } from '../../src/vscode/editor/insertAction';
import { EditorTracker } from '../../src/vscode/editor/editorTracker';
import { EXTENSION_ID, openAtEnd, seedCompleted, waitFor } from './support';

/** A small valid RGB PNG (gradient), so the webview has something real to decode and draw. */
function makePng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 255) / width;
      raw[o + 1] = (y * 255) / height;
      raw[o + 2] = 160;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('gallery: panel and Insert into workspace in the real extension host', function () {
  this.timeout(60_000);
  let store: GalleryStore;
  const created: string[] = [];
  const warnings: string[] = [];
  const log: Log = { info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const editors = new EditorTracker();
  after(() => editors.dispose());
  const folder = () => vscode.workspace.workspaceFolders![0];
  const settings = () => vscode.workspace.getConfiguration('fluxStudio');

  async function seed(prompt: string, source?: PromptSource): Promise<GalleryEntry> {
    const entry = await seedCompleted(store, prompt, { format: 'png', bytes: makePng(96, 54), seed: 42, source });
    created.push(entry.id);
    return entry;
  }

  /** What the extension logged about the gallery (for a failure's message): …/logs/…/Flux Studio.log. */
  async function galleryLogLines(): Promise<string[]> {
    const dataDir = path.dirname(path.dirname(path.dirname(path.dirname(store.root))));
    const lines: string[] = [];
    const visit = async (dir: string): Promise<void> => {
      for (const item of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const full = path.join(dir, item.name);
        if (item.isDirectory() && item.name !== 'extensions' && item.name !== 'User') await visit(full);
        else if (item.isFile() && item.name.endsWith('Flux Studio.log')) {
          lines.push(...(await fs.readFile(full, 'utf8')).split('\n').filter((line) => /gallery|thumbnail/i.test(line)));
        }
      }
    };
    await visit(dataDir);
    return lines.slice(-30);
  }

  const openFile = (file: string) => openAtEnd(vscode.Uri.joinPath(folder().uri, file));

  before(async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as FluxStudioTestApi;
    assert.ok(api?.store, 'the extension hands its services to tests in extension mode Test');
    store = api.store;
  });

  afterEach(async () => {
    await settings().update('saveFolder', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('replaceSelection', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
  });

  after(async () => {
    for (const id of created) await store.remove(id);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens "Flux Gallery" and its webview makes and stores a WebP thumbnail', async () => {
    const entry = await seed('A lighthouse on a cliff for the thumbnail test');
    const galleryTab = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('fluxStudio.gallery'));
    await vscode.commands.executeCommand('fluxStudio.openGallery');
    const tab = await waitFor('the gallery tab', galleryTab);
    assert.strictEqual(tab.label, 'Flux Gallery');
    // Up to 50 s: in code-server a new webview page sometimes never starts, and the gallery opens itself again
    // after 10 s, twice at most (pageStart.ts).
    const withThumb = await waitFor('the thumbnail made by the webview', () => (store.get(entry.id)?.thumbFile ? store.get(entry.id) : undefined), 50_000).catch(
      async (error: Error) => {
        throw new Error(`${error.message}; entry: ${JSON.stringify(store.get(entry.id))}; gallery log lines:\n${(await galleryLogLines()).join('\n')}`);
      },
    );
    const bytes = await fs.readFile(store.thumbPath(withThumb.thumbFile!));
    assert.strictEqual(bytes.toString('ascii', 0, 4), 'RIFF');
    assert.strictEqual(bytes.toString('ascii', 8, 12), 'WEBP');
    assert.ok(bytes.length <= 200 * 1024);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Markdown: copies the image into images/ and inserts ![prompt](images/…) as one undoable edit', async () => {
    const editor = await openFile('doc.md');
    const before = editor.document.getText();
    const prompt = 'A lighthouse [at dusk] with ../ CON and "quotes"';
    const entry = await seed(prompt, { documentUri: editor.document.uri.toString(), languageId: 'markdown' });
    const result = await insertIntoWorkspace(entry, { store, log, editors });
    assert.ok(result, `insert failed: ${warnings.join('\n')}`);
    assert.strictEqual(path.posix.dirname(result.file.path), `${folder().uri.path}/images`);
    const name = path.posix.basename(result.file.path);
    assert.match(name, /^a-lighthouse-at-dusk-with-con-and-quotes-42\.png$/);
    const copied = await vscode.workspace.fs.readFile(result.file);
    assert.deepStrictEqual(Buffer.from(copied), await fs.readFile(store.imagePath(entry.imageFile!)));
    const text = editor.document.getText();
    assert.ok(text.includes(`![A lighthouse \\[at dusk\\] with ../ CON and "quotes"](images/${name})`), text);
    const leftovers = (await fs.readdir(path.dirname(result.file.fsPath))).filter((f) => f.endsWith('.tmp'));
    assert.deepStrictEqual(leftovers, [], 'no temporary files are left behind');

    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), before, 'one undo removes the whole snippet');

    // The same image again: never overwrites, takes the next free name.
    const again = await insertIntoWorkspace(entry, { store, log, editors });
    assert.ok(again);
    assert.strictEqual(path.posix.basename(again.file.path), name.replace(/\.png$/, '-1.png'));
    const saved = (store.get(entry.id) as GalleryEntry & { savedPaths?: string[] }).savedPaths;
    assert.deepStrictEqual(saved, [result.file.toString(), again.file.toString()]);
  });

  it('Markdown: a cursor in the middle of a paragraph puts the image after the paragraph, as a paragraph of its own', async () => {
    const editor = await openFile('doc.md');
    const line = editor.document.getText().split('\n').findIndex((l) => l.startsWith('A lighthouse stands'));
    const paragraph = editor.document.lineAt(line).text;
    const middle = new vscode.Position(line, 20);
    editor.selection = new vscode.Selection(middle, middle);
    const entry = await seed('mid-paragraph insert', { documentUri: editor.document.uri.toString(), languageId: 'markdown' });
    const result = await insertIntoWorkspace(entry, { store, log, editors });
    assert.ok(result, `insert failed: ${warnings.join('\n')}`);
    assert.strictEqual(editor.document.lineAt(line).text, paragraph, 'the paragraph line is intact');
    assert.strictEqual(editor.document.lineAt(line + 1).text, '', 'a blank line ends the paragraph');
    assert.match(editor.document.lineAt(line + 2).text, /^!\[mid-paragraph insert\]\(images\/.+\)$/);
    await vscode.commands.executeCommand('undo');
  });

  it('HTML: inserts <img src alt width height> relative to the page, under fluxStudio.saveFolder', async () => {
    await settings().update('saveFolder', 'assets/generated', vscode.ConfigurationTarget.Global);
    const editor = await openFile('page.html');
    const entry = await seed('A red <lighthouse> & "hill"', { documentUri: editor.document.uri.toString(), languageId: 'html' });
    const result = await insertIntoWorkspace(entry, { store, log, editors });
    assert.ok(result, `insert failed: ${warnings.join('\n')}`);
    assert.strictEqual(path.posix.dirname(result.file.path), `${folder().uri.path}/assets/generated`);
    const name = path.posix.basename(result.file.path);
    assert.ok(
      editor.document.getText().includes(
        // The size of the file written (the seeded image is 96 × 54), not the ratio's nominal size.
        `<img src="assets/generated/${name}" alt="A red &lt;lighthouse&gt; &amp; &quot;hill&quot;" width="96" height="54">`,
      ),
      editor.document.getText(),
    );
  });

  it('writes the document copy: at most fluxStudio.insert.maxWidth wide, in fluxStudio.insert.format; the gallery keeps the original', async () => {
    const insertSettings = vscode.workspace.getConfiguration('fluxStudio.insert');
    await insertSettings.update('maxWidth', 800, vscode.ConfigurationTarget.Global);
    await insertSettings.update('format', 'webp', vscode.ConfigurationTarget.Global);
    try {
      const editor = await openFile('page.html');
      const original = makePng(2752, 1536);
      const entry = await seedCompleted(store, 'A wide harbour at noon', { format: 'png', bytes: original, seed: 7, source: { documentUri: editor.document.uri.toString(), languageId: 'html' } });
      created.push(entry.id);
      const result = await insertIntoWorkspace(entry, { store, log, editors });
      assert.ok(result, `insert failed: ${warnings.join('\n')}`);
      assert.match(path.posix.basename(result.file.path), /^a-wide-harbour-at-noon-7\.webp$/);
      assert.deepStrictEqual(sniffImage(await vscode.workspace.fs.readFile(result.file)), { format: 'webp', width: 800, height: 447 });
      assert.ok(editor.document.getText().includes(`alt="A wide harbour at noon" width="800" height="447">`), editor.document.getText());
      assert.ok((await fs.readFile(store.imagePath(entry.imageFile!))).equals(original), 'the gallery keeps the full-size original');
    } finally {
      await insertSettings.update('maxWidth', undefined, vscode.ConfigurationTarget.Global);
      await insertSettings.update('format', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('replaces the original selection when fluxStudio.replaceSelection is on and it still holds the prompt', async () => {
    await settings().update('replaceSelection', true, vscode.ConfigurationTarget.Global);
    const editor = await openFile('doc.md');
    const text = editor.document.getText();
    const prompt = 'A lighthouse stands on a rocky cliff at dusk';
    const start = text.indexOf(prompt);
    assert.ok(start > 0);
    const entry = await seed(prompt, {
      documentUri: editor.document.uri.toString(),
      languageId: 'markdown',
      selection: { start, end: start + prompt.length },
    });
    const result = await insertIntoWorkspace(entry, { store, log, editors });
    assert.ok(result);
    const after = editor.document.getText();
    const snippet = `![${prompt}](images/${path.posix.basename(result.file.path)})`;
    assert.strictEqual(after, text.slice(0, start) + snippet + text.slice(start + prompt.length), 'exactly the selection was replaced');

    await vscode.commands.executeCommand('undo');
    await settings().update('replaceSelection', false, vscode.ConfigurationTarget.Global);
    const cursor = editor.document.positionAt(text.length);
    editor.selection = new vscode.Selection(cursor, cursor);
    const inserted = await insertIntoWorkspace(entry, { store, log, editors });
    assert.ok(inserted);
    assert.ok(editor.document.getText().includes(prompt + ', its beam'), 'with the setting off the prompt stays');
    assert.ok(editor.document.getText().endsWith(`![${prompt}](images/${path.posix.basename(inserted.file.path)})`));
  });
});
