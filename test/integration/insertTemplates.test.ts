// fluxStudio.insert.templates and a fluxStudio.insert.fileName pattern in the real extension host: with the
// README's HTML <figure> template set, Insert into workspace lands it in an HTML document, and parse5 reads
// back the image's source and alt text and the caption — for a prompt full of markup.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import type { GalleryStore } from '../../src/gallery/store';
import { altText } from '../../src/insert/snippets';
import type { Log } from '../../src/shared/log';
import { insertIntoWorkspace } from '../../src/vscode/editor/insertAction';
import { EditorTracker } from '../../src/vscode/editor/editorTracker';
import { openNewDocument, removeNewDocuments } from './editorFixtures';
import { EXTENSION_ID, seedCompleted } from './support';

const FIGURE = '<figure><img src="${path}" alt="${alt}" width="${width}" height="${height}"><figcaption>${alt}</figcaption></figure>';
const PROMPT = 'A "lighthouse" <b>at</b> dusk & </figcaption><script>alert(1)</script> {waves}';
// A tiny but complete PNG (1×1), enough for a copy.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex',
);

interface Node {
  nodeName: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: Node[];
  value?: string;
}
const all = (node: Node): Node[] => [node, ...(node.childNodes ?? []).flatMap(all)];
const text = (node: Node): string => (node.nodeName === '#text' ? node.value ?? '' : (node.childNodes ?? []).map(text).join(''));
const importModule = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

describe('insert templates: the writer’s own markup', function () {
  this.timeout(60_000);
  let store: GalleryStore;
  const messages: string[] = [];
  const log: Log = { info: () => undefined, warn: (m) => messages.push(m), error: (m) => messages.push(m) };
  const editors = new EditorTracker();
  const insertSettings = () => vscode.workspace.getConfiguration('fluxStudio.insert');
  const created: string[] = [];

  before(async () => {
    store = ((await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as FluxStudioTestApi).store;
  });

  after(async () => {
    editors.dispose();
    for (const key of ['templates', 'altText', 'fileName']) await insertSettings().update(key, undefined, vscode.ConfigurationTarget.Global);
    for (const id of created) await store.remove(id);
    await removeNewDocuments();
  });

  it('an HTML <figure> template lands, and parse5 reads back src, alt and the caption', async () => {
    await insertSettings().update('templates', { html: FIGURE }, vscode.ConfigurationTarget.Global);
    await insertSettings().update('altText', 'prompt', vscode.ConfigurationTarget.Global);
    await insertSettings().update('fileName', '${documentBaseName}-${seed}', vscode.ConfigurationTarget.Global);
    const entry = await seedCompleted(store, PROMPT, { format: 'png', bytes: PNG, aspectRatio: '1:1', width: 1, height: 1, seed: 4242 });
    created.push(entry.id);
    const editor = await openNewDocument('templates/figure.html', '<body>\n  <p>Text.</p>\n</body>\n');
    const end = editor.document.positionAt(editor.document.getText().indexOf('</p>') + 4);
    editor.selection = new vscode.Selection(end, end);

    const result = await insertIntoWorkspace(entry, { store, log, editors });
    assert.ok(result?.snippet, messages.join('\n'));
    assert.strictEqual(path.basename(result.file!.fsPath), 'figure-4242.png', 'the file name pattern');

    const { parse } = await importModule<typeof import('parse5')>('parse5');
    const nodes = all(parse(editor.document.getText()) as unknown as Node);
    const images = nodes.filter((n) => n.nodeName === 'img');
    const captions = nodes.filter((n) => n.nodeName === 'figcaption');
    assert.strictEqual(images.length, 1);
    assert.strictEqual(captions.length, 1);
    assert.deepStrictEqual(nodes.filter((n) => n.nodeName === 'script'), [], 'the prompt adds no element');
    const attribute = (name: string) => images[0].attrs!.find((a) => a.name === name)?.value;
    const relative = path.posix.relative(path.posix.dirname(editor.document.uri.path), result.file!.path);
    assert.strictEqual(decodeURI(attribute('src')!), relative);
    assert.strictEqual(attribute('alt'), altText(PROMPT));
    assert.strictEqual(text(captions[0]), altText(PROMPT));
    assert.deepStrictEqual([attribute('width'), attribute('height')], ['1', '1']);
  });
});
