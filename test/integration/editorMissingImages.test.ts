// "Generate Missing Image with Flux" in the real extension host against the simulator: the quick fix
// is offered on links to images that do not exist (and only there), generates from the alt text or
// the file name with the link's ratio and format, and writes exactly the linked path without touching
// the document; "Generate Missing Images in This File" asks once with the count and the credits;
// paths that lead outside the workspace are refused; an existing file is never replaced; a target
// left open by an earlier window is written when the gallery loads; the Problems panel lists the missing
// images (fluxStudio.missingImages.diagnostics) with the same quick fix, until the file is there.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import { readMetadata } from '../../src/metadata';
import { sniffImage } from '../../src/shared/imageInfo';
import type { GalleryEntry } from '../../src/shared/entry';
import type { Log } from '../../src/shared/log';
import { ImageReferenceIndex, MissingImageActions } from '../../src/vscode/editor/missingImages';
import { TargetFileWriter } from '../../src/vscode/editor/targetFiles';
import { MessageRecorder, linkOutside, listFiles, openNewDocument, removeNewDocuments, workspaceUri } from './editorFixtures';
import { jobInput, readyForTests, seedCompleted, sim, waitFor } from './support';

const TITLE = 'Generate Missing Image with Flux';
const log: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function quickFixes(document: vscode.TextDocument, text: string): Promise<vscode.CodeAction[]> {
  const offset = document.getText().indexOf(text);
  assert.ok(offset >= 0, `${text} is in the document`);
  const at = document.positionAt(offset + 2);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(at, at));
  return actions.filter((action) => action.title === TITLE);
}

/** What a failed check saw: the language, the trust, every action offered there, the images folder. */
async function evidence(document: vscode.TextDocument, text: string): Promise<string> {
  const at = document.positionAt(document.getText().indexOf(text) + 2);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(at, at));
  const images = await fs.readdir(workspaceUri('images').fsPath).catch(() => 'none');
  return `language ${document.languageId}, trusted ${vscode.workspace.isTrusted}, version ${document.version}, actions now ${JSON.stringify(actions.map((a) => a.title))}, images/ ${JSON.stringify(images)}`;
}

/** Our diagnostics on `document` once there are `count` of them (they are computed after a debounce). */
async function settledDiagnostics(document: vscode.TextDocument, count: number, severity?: vscode.DiagnosticSeverity): Promise<vscode.Diagnostic[]> {
  return waitFor(`${count} Flux Studio diagnostics on ${document.uri.path}`, () => {
    const ours = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Flux Studio');
    return ours.length === count && ours.every((d) => severity === undefined || d.severity === severity) ? ours : undefined;
  }, 10_000);
}

async function jobsCreated(): Promise<number> {
  return (await sim('/__sim/stats')).jobsCreated;
}

describe('editor: missing images become one click', function () {
  this.timeout(90_000);
  let api: FluxStudioTestApi;
  const messages = new MessageRecorder();
  const seeded: GalleryEntry[] = [];

  before(async () => {
    api = await readyForTests();
    messages.install();
  });
  beforeEach(() => {
    messages.shown.length = 0;
    messages.answer = () => undefined;
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(workspaceUri('images').fsPath, { recursive: true, force: true });
  });
  after(async () => {
    messages.restore();
    await removeNewDocuments();
    for (const entry of seeded) await api.store.remove(entry.id);
  });

  /** The entry that will write `file`, once its job is done and the file is written. */
  async function landed(file: vscode.Uri): Promise<GalleryEntry> {
    return waitFor(`${file.path} written`, () => api.store.list().find((e) => e.targetFile?.uri === file.toString() && e.targetFile.outcome === 'written'), 30_000);
  }

  it('is offered on links to missing images in each language, not on existing images or paths outside the workspace', async () => {
    await fs.mkdir(workspaceUri('images').fsPath, { recursive: true });
    await fs.writeFile(workspaceUri('images', 'there.png').fsPath, 'an image');
    const cases: Array<[string, string, string[], string[]]> = [
      ['q.md', '![A fox](images/fox.jpg) ![here](images/there.png) ![x](/etc/x.png) ![y](../../y.png) ![g](images/anim.gif)', ['images/fox.jpg'], ['images/there.png', '/etc/x.png', '../../y.png', 'images/anim.gif']],
      ['q.html', '<p><img src="images/fox.webp" alt="A fox"> <img src="images/there.png" alt="here"> <img src="https://x.org/a.png"></p>', ['images/fox.webp'], ['images/there.png', 'https://x.org/a.png']],
      ['q.css', 'a { background: url("images/fox.png"); }\nb { background: url(images/there.png); }', ['images/fox.png'], ['images/there.png']],
      ['q.tex', '\\includegraphics[width=\\linewidth]{images/fox}\n\\includegraphics{images/there}', ['images/fox'], ['images/there']],
      ['q.jsx', 'const A = () => <img src="images/fox.jpg" alt="A fox" />;', ['images/fox.jpg'], []],
    ];
    for (const [name, text, offered, notOffered] of cases) {
      const { document } = await openNewDocument(name, text);
      for (const link of offered) {
        const fixes = await quickFixes(document, link);
        if (fixes.length !== 1) assert.fail(`${name}: ${fixes.length} fixes on ${link}; ${await evidence(document, link)}`);
      }
      for (const link of notOffered) assert.strictEqual((await quickFixes(document, link)).length, 0, `${name}: not on ${link}`);
    }
  });

  it('Ctrl+. right after the link was typed offers the fix (the light bulb waits for typing to settle, a request does not)', async () => {
    const editor = await openNewDocument('typed.md', '# Typed\n\n');
    await editor.edit((edit) => edit.insert(new vscode.Position(2, 0), '![A freshly typed heron](images/typed-heron.jpg)'));
    assert.strictEqual((await quickFixes(editor.document, 'typed-heron.jpg')).length, 1);
  });

  it('the quick fix generates from the alt text and writes exactly the linked path; the document is not changed', async () => {
    const { document } = await openNewDocument('lighthouse.md', '# Notes\n\n![A basalt lighthouse at dawn](images/basalt-lighthouse.jpg)\n');
    const before = document.getText();
    await settledDiagnostics(document, 1);
    const [fix] = await quickFixes(document, 'basalt-lighthouse.jpg');
    assert.ok(fix?.command, 'the quick fix is offered');
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    const file = workspaceUri('images', 'basalt-lighthouse.jpg');
    const entry = await landed(file);
    // The document copy: at most fluxStudio.insert.maxWidth wide, in the format the link names, with the record.
    assert.deepStrictEqual(sniffImage(await vscode.workspace.fs.readFile(file)), { format: 'jpg', width: 1600, height: 893 });
    assert.strictEqual((await readMetadata(file.fsPath))?.prompt, 'A basalt lighthouse at dawn');
    const input = await jobInput(entry.jobId!);
    assert.strictEqual(input.prompt, 'A basalt lighthouse at dawn');
    assert.strictEqual(input.fluxParams.output_format, 'jpg');
    assert.strictEqual(document.getText(), before);
    assert.strictEqual(document.isDirty, false);
    assert.deepStrictEqual(await quickFixes(document, 'basalt-lighthouse.jpg'), [], 'no longer missing');
    await settledDiagnostics(document, 0);
  });

  it('the Problems panel lists exactly the missing link, with the chosen severity and its quick fix; off removes it, the file appearing too, deleting it brings it back', async () => {
    await fs.mkdir(workspaceUri('images').fsPath, { recursive: true });
    await fs.writeFile(workspaceUri('images', 'there.png').fsPath, 'an image');
    const link = '![A glass heron](images/glass-heron.jpg)';
    const { document } = await openNewDocument('problems.md', `# Problems\n\n${link}\n\n![here](images/there.png) ![out](../../../out.png) ![code](<' + name + '.png>)\n`);
    const setting = vscode.workspace.getConfiguration('fluxStudio.missingImages');
    try {
      const [diagnostic] = await settledDiagnostics(document, 1, vscode.DiagnosticSeverity.Information);
      assert.strictEqual(document.getText(diagnostic.range), link);
      assert.strictEqual(diagnostic.message, 'The image file images/glass-heron.jpg does not exist. The quick fix "Generate Missing Image with Flux" can generate it.');

      // What the Problems panel asks: the diagnostic's range, with the diagnostic in the context. One fix, carrying it.
      // Asked again: VS Code's getCodeActions cancels a request, answering nothing, when the document's providers
      // change meanwhile (here the Markdown language features registering theirs for the run's first Markdown
      // file). Measured: 3 of 6 runs answered [] although our provider had returned its action.
      const fixes = await waitFor('the quick fix on the diagnostic', async () => {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
        const offered = actions.filter((action) => action.title === TITLE);
        return offered.length ? offered : undefined;
      });
      assert.strictEqual(fixes.length, 1, 'one action for the link and its diagnostic');
      // The API command drops an action's diagnostics on the way back: the provider itself says which it fixes.
      const index = new ImageReferenceIndex();
      try {
        const context = { diagnostics: [diagnostic], triggerKind: vscode.CodeActionTriggerKind.Invoke, only: vscode.CodeActionKind.QuickFix };
        const provided = await new MissingImageActions(index).provideCodeActions(document, diagnostic.range, context);
        assert.deepStrictEqual(provided.map((action) => [action.title, action.diagnostics]), [[TITLE, [diagnostic]]]);
      } finally {
        index.dispose();
      }

      await setting.update('diagnostics', 'warning', vscode.ConfigurationTarget.Global);
      await settledDiagnostics(document, 1, vscode.DiagnosticSeverity.Warning);
      await setting.update('diagnostics', 'off', vscode.ConfigurationTarget.Global);
      await settledDiagnostics(document, 0);
      await setting.update('diagnostics', undefined, vscode.ConfigurationTarget.Global);
      await settledDiagnostics(document, 1, vscode.DiagnosticSeverity.Information);

      // Written outside VS Code (a build, a copy): the file watcher notices.
      await fs.writeFile(workspaceUri('images', 'glass-heron.jpg').fsPath, 'an image');
      await settledDiagnostics(document, 0);
      await fs.rm(workspaceUri('images', 'glass-heron.jpg').fsPath);
      await settledDiagnostics(document, 1, vscode.DiagnosticSeverity.Information);
    } finally {
      await setting.update('diagnostics', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('without alt text: the file name is the prompt, width and height choose the ratio, the extension the format', async () => {
    const { document } = await openNewDocument('page2.html', '<img src="images/red_fox-in-snow.png" width="600" height="800">\n');
    const [fix] = await quickFixes(document, 'images/red_fox');
    await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
    const entry = await landed(workspaceUri('images', 'red_fox-in-snow.png'));
    const input = await jobInput(entry.jobId!);
    assert.deepStrictEqual([input.prompt, input.fluxParams.aspect_ratio, input.fluxParams.output_format], ['red fox in snow', '3:4', 'png']);
  });

  it('Generate Missing Images in This File: one confirmation with the count and the credits, then each image at its path', async () => {
    const hostileAlt = 'A heron [at dusk](command:workbench.action.openSettings) $(trash) "quoted"';
    const text = [
      `![${hostileAlt.replace(/[[\]]/g, '\\$&')}](images/heron.jpg)`,
      '![An owl](images/owl.png) and again ![An owl](images/owl.png)',
      '![outside](../../../outside.png)',
      '<img src="icons/\' + name + \'.png">',
    ].join('\n\n');
    const { document } = await openNewDocument('many.md', text);

    const jobs = await jobsCreated();
    await vscode.commands.executeCommand('fluxStudio.generateMissingImages', document.uri);
    const asked = messages.shown.find((m) => m.modal);
    assert.ok(asked, 'a modal question');
    assert.strictEqual(asked.text, 'Generate 2 missing images in many.md with Flux?');
    const detail = (asked.detail ?? '').split('\n');
    assert.match(detail[0], /^This costs 12 credits \(6 credits per image\)\./);
    assert.match(detail[1], /^Will generate images\/heron\.jpg — “A heron .*”$/, 'what it will generate, with the prompt');
    assert.strictEqual(detail[2], 'Will generate images/owl.png — “An owl”');
    assert.strictEqual(detail[3], '1 link leads outside the workspace folder and is left out.');
    assert.match(detail[4], /^Skipped icons\/' \+ name \+ '\.png: it looks like code that builds a path/, 'what it skipped, and why');
    assert.strictEqual(detail.length, 5);
    assert.strictEqual(await jobsCreated(), jobs, 'dismissed: nothing was started');

    messages.answer = (_message, actions) => actions.find((a) => a === 'Generate');
    await vscode.commands.executeCommand('fluxStudio.generateMissingImages', document.uri);
    const heron = await landed(workspaceUri('images', 'heron.jpg'));
    await landed(workspaceUri('images', 'owl.png'));
    assert.strictEqual(await jobsCreated(), jobs + 2, 'the owl linked twice is generated once');
    assert.strictEqual((await jobInput(heron.jobId!)).prompt, hostileAlt, 'the alt text is the prompt, as text');
    assert.strictEqual(document.getText(), text);
  });

  it('a batch runs at most 4 jobs at once, under one progress, and every image lands', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `batch-${i}`);
    const { document } = await openNewDocument('batch.md', names.map((name) => `![A paper boat number ${name}](images/${name}.png)`).join('\n\n'));
    messages.answer = (_message, actions) => actions.find((a) => a === 'Generate');
    await sim('/__sim/config', { durations: { fixedMs: 100_000 } }); // 2 s at the suite's time scale: long enough for four to overlap
    await vscode.commands.executeCommand('fluxStudio.generateMissingImages', document.uri);
    for (const name of names) await landed(workspaceUri('images', `${name}.png`));
    const jobs = (await sim('/__sim/stats')).jobs.filter((job: { prompt: string }) => job.prompt.startsWith('A paper boat number batch-'));
    assert.strictEqual(jobs.length, 6);
    // The most jobs alive at Apiframe at one moment, from the simulator's exact creation and completion times.
    const events = jobs.flatMap((job: { createdAtMs: number; completedAtMs: number }) => [[job.createdAtMs, 1], [job.completedAtMs, -1]]).sort((a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1]);
    let alive = 0;
    let most = 0;
    for (const [, change] of events) most = Math.max(most, (alive += change));
    assert.strictEqual(most, 4, 'four at once, then the next as one ends');
  });

  it('two quick clicks on the quick fix make one job (the target is reserved before the job starts)', async () => {
    const { document } = await openNewDocument('double.md', '![A double-clicked kite](images/double-kite.jpg)\n');
    const [fix] = await quickFixes(document, 'double-kite.jpg');
    const jobs = await jobsCreated();
    await Promise.all([1, 2].map(() => vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []))));
    await landed(workspaceUri('images', 'double-kite.jpg'));
    assert.strictEqual(await jobsCreated(), jobs + 1);
  });

  it('more missing images than the cap (50) are refused with their number: no question, nothing paid', async () => {
    const text = Array.from({ length: 51 }, (_, i) => `![Tile ${i}](images/tile-${i}.png)`).join('\n\n');
    const { document } = await openNewDocument('tiles.md', text);
    const jobs = await jobsCreated();
    await vscode.commands.executeCommand('fluxStudio.generateMissingImages', document.uri);
    assert.ok(!messages.shown.some((m) => m.modal), 'no question');
    assert.match(messages.texts('showWarningMessage').join('\n'), /tiles\.md links 51 missing images; Flux generates at most 50 at once/);
    assert.strictEqual(await jobsCreated(), jobs);
  });

  it('a link whose folder leads outside the workspace through a symbolic link: refused with a message, nothing paid for or written', async () => {
    const escape = await linkOutside('escape');
    try {
      const { document } = await openNewDocument('linked-through-escape.md', '![A fox](escape/fox.jpg)\n');
      const [fix] = await quickFixes(document, 'escape/fox.jpg');
      const jobs = await jobsCreated();
      await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
      assert.match(messages.texts('showErrorMessage').join('\n'), /did not generate escape\/fox\.jpg: that path leads outside the workspace folder/);
      assert.strictEqual(await jobsCreated(), jobs);
      assert.deepStrictEqual(await listFiles(escape.outside), []);
    } finally {
      await escape.remove();
    }
  });

  it('targets left open by an earlier window are written when the gallery loads: never over a file, never outside', async () => {
    const escape = await linkOutside('escape');
    try {
      await fs.mkdir(workspaceUri('images').fsPath, { recursive: true });
      await fs.writeFile(workspaceUri('images', 'taken.jpg').fsPath, 'the user’s own file');
      const folder = vscode.workspace.workspaceFolders![0].uri.toString();
      const targets = { free: workspaceUri('images', 'free.jpg'), taken: workspaceUri('images', 'taken.jpg'), outside: workspaceUri('escape', 'out.jpg') };
      const entries: Record<string, GalleryEntry> = {};
      for (const [name, file] of Object.entries(targets)) {
        const entry = await seedCompleted(api.store, `left open: ${name}`);
        seeded.push(entry);
        entries[name] = (await api.store.update(entry.id, { targetFile: { uri: file.toString(), folder } }))!;
      }
      new TargetFileWriter(api.store, log).landPending();
      const outcome = (name: string) => api.store.get(entries[name].id)?.targetFile?.outcome;
      await waitFor('every target handled', () => Object.keys(targets).every(outcome));
      assert.deepStrictEqual(Object.keys(targets).map(outcome), ['written', 'exists', 'refused']);
      assert.deepStrictEqual(await fs.readFile(targets.free.fsPath), await fs.readFile(api.store.imagePath(entries.free.imageFile!)));
      assert.strictEqual(await fs.readFile(targets.taken.fsPath, 'utf8'), 'the user’s own file');
      assert.deepStrictEqual(await listFiles(escape.outside), []);
      assert.match(messages.texts('showWarningMessage').join('\n'), /taken\.jpg exists now/);
      assert.match(messages.texts('showErrorMessage').join('\n'), /did not write escape\/out\.jpg/);
    } finally {
      await escape.remove();
    }
  });
});
