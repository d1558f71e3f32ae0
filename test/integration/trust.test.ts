// Trust, in the real extension host: outside text (server errors, account names, prompts, setting values)
// reaches VS Code's text surfaces only as plain text; a workspace cannot choose where job events go or make
// Insert write outside the workspace folder. The surfaces are observed by wrapping the real vscode.window
// functions (and calling through), then reading what they were given with VS Code's own link and icon parsers.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import { recordHostileCounts } from '../support/hostileCounts';
import { loadConfig } from './config';
import { jobInput, openAtEnd, readyForTests, sim, waitFor } from './support';

// VS Code 1.100's own parsers (vs/base/common/linkedText.ts, iconLabels.ts).
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;
/** Icons that only hostile text uses here (Flux Studio's own strings use sparkle, sync~spin, link, …). */
const HOSTILE_ICONS = new Set(['trash', 'terminal', 'zap']);

const HOSTILE_LINK = '[Open the Apiframe dashboard](command:workbench.action.openSettings "Open dashboard")';
const HOSTILE_PROMPT = `A lighthouse ${HOSTILE_LINK} $(trash) at dawn $(terminal)`;

type Sink = 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage' | 'withProgress' | 'showQuickPick' | 'setStatusBarMessage';
const SINKS: Sink[] = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'withProgress', 'showQuickPick', 'setStatusBarMessage'];

describe('trust: outside text stays text, a workspace redirects nothing', function () {
  this.timeout(60_000);
  let api: FluxStudioTestApi;
  const shown: { sink: Sink; text: string }[] = [];
  const originals = new Map<Sink, unknown>();
  const window = vscode.window as unknown as Record<Sink, (...args: any[]) => any>;

  /** Every text a surface was given: message, modal detail, progress title and messages, quick pick items. */
  function texts(sink: Sink, args: any[]): string[] {
    if (sink === 'withProgress') return [args[0]?.title ?? ''];
    if (sink === 'showQuickPick') {
      const items = Array.isArray(args[0]) ? args[0] : [];
      return [args[1]?.title ?? '', ...items.flatMap((i: any) => [i.label, i.description ?? '', i.detail ?? ''])];
    }
    const detail = args[1] && typeof args[1] === 'object' && 'detail' in args[1] ? [String(args[1].detail)] : [];
    return [String(args[0]), ...detail];
  }

  before(async () => {
    api = await readyForTests();
    for (const sink of SINKS) {
      const original = window[sink];
      originals.set(sink, original);
      window[sink] = (...args: any[]) => {
        for (const text of texts(sink, args)) shown.push({ sink, text });
        if (sink === 'withProgress') {
          // Progress messages are reported later: read them too.
          const [options, task] = args;
          return original.call(vscode.window, options, (progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) =>
            task({ report: (value: { message?: string }) => (value.message && shown.push({ sink, text: value.message }), progress.report(value)) }, token),
          );
        }
        // A quick pick would wait for a person: answer "dismissed" at once.
        return sink === 'showQuickPick' ? Promise.resolve(undefined) : original.apply(vscode.window, args);
      };
    }
  });

  after(() => {
    for (const [sink, original] of originals) window[sink] = original as (...args: any[]) => any;
  });

  beforeEach(() => (shown.length = 0));

  /** What the user was shown that contains `marker`, checked with VS Code's parsers: no link, no hostile icon. */
  function assertShownAsText(marker: string, sinks: readonly Sink[]): void {
    const relevant = shown.filter((s) => s.text.replace(/\u200b/g, '').includes(marker));
    for (const sink of sinks) assert.ok(relevant.some((s) => s.sink === sink), `nothing containing ${JSON.stringify(marker)} reached ${sink}: ${JSON.stringify(shown)}`);
    for (const { sink, text } of relevant) {
      LINK.lastIndex = 0;
      assert.strictEqual(LINK.exec(text), null, `${sink} would render a link: ${JSON.stringify(text)}`);
      for (const match of text.matchAll(ICON)) {
        assert.ok(match[1] === '\\' || !HOSTILE_ICONS.has(match[2]), `${sink} would render the icon ${match[0]}: ${JSON.stringify(text)}`);
      }
    }
  }

  async function generateAndSettle(prompt: string) {
    const entry = await api.generation.generate({ prompt, aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 80, raw: false });
    assert.ok(entry, 'the generation started');
    return (await api.engine.whenSettled(entry.id))!;
  }

  it('a job whose error text holds a command link: the error notification shows it as text', async () => {
    await sim('/__sim/faults', { route: 'generate', kind: 'failJob', errorText: `Content policy: this prompt was refused. ${HOSTILE_LINK}` });
    const done = await generateAndSettle('a prompt the server refuses');
    assert.strictEqual(done.state, 'failed');
    await waitFor('the error notification', () => shown.some((s) => s.sink === 'showErrorMessage' && s.text.includes('Content policy')));
    assertShownAsText('Open the Apiframe dashboard', ['showErrorMessage']);
  });

  it('an account name holding a link, in "API key saved for …", is text', async () => {
    const hostileKey = 'afk_hostile_account_name';
    await sim('/__sim/config', { apiKeys: { [loadConfig().apiKey]: { credits: 100_000 }, [hostileKey]: { credits: 50, user: `${HOSTILE_LINK} $(zap)`, team: HOSTILE_LINK } } });
    try {
      assert.strictEqual(await api.keys.setKey(hostileKey), true);
      assertShownAsText('dashboard', ['showInformationMessage']);
    } finally {
      assert.strictEqual(await api.keys.setKey(loadConfig().apiKey), true);
    }
  });

  it('a prompt with links and icons is text in the progress notification, "Image ready" and Show Jobs', async () => {
    const done = await generateAndSettle(HOSTILE_PROMPT);
    assert.strictEqual(done.state, 'completed');
    await waitFor('the "Image ready" notification', () => shown.some((s) => s.sink === 'showInformationMessage' && s.text.includes('lighthouse')));
    // Show Jobs lists unfinished jobs: leave one unfinished (stop waiting) so its prompt is listed.
    const entry = (await api.generation.generate({ prompt: `Unfinished ${HOSTILE_PROMPT}`, aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 80, raw: false }))!;
    await waitFor('the job id', () => api.store.get(entry.id)?.jobId);
    await api.engine.stopWaiting(entry.id);
    await vscode.commands.executeCommand('fluxStudio.showJobs');
    assertShownAsText('lighthouse', ['withProgress', 'showInformationMessage', 'showQuickPick']);
    await api.generation.retry(entry.id);
    await api.engine.whenSettled(entry.id);
  });

  it('a saveFolder setting holding a link is text in the "could not save" message', async () => {
    const done = await generateAndSettle('a red fox for the saveFolder test');
    const workspace = loadConfig().workspacePath;
    const folderName = '[x](command:workbench.action.openSettings)';
    await fs.writeFile(path.join(workspace, folderName), 'a file where the folder should be');
    const config = vscode.workspace.getConfiguration('fluxStudio');
    await config.update('saveFolder', `${folderName}/images`, vscode.ConfigurationTarget.Workspace);
    try {
      await openAtEnd(vscode.Uri.file(path.join(workspace, 'doc.md')));
      await vscode.commands.executeCommand('fluxStudio.insertIntoWorkspace', done.id);
      await waitFor('the error message', () => shown.some((s) => s.sink === 'showErrorMessage'));
      assertShownAsText('command:workbench.action.openSettings', ['showErrorMessage']);
    } finally {
      await config.update('saveFolder', undefined, vscode.ConfigurationTarget.Workspace);
      await fs.rm(path.join(workspace, folderName), { force: true });
    }
  });

  it('a saveFolder that leads outside the workspace through a symbolic link: nothing is written, and the message says why', async () => {
    const done = await generateAndSettle('a red fox for the symlink test');
    const workspace = loadConfig().workspacePath;
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-outside-'));
    await fs.symlink(outside, path.join(workspace, 'escape'));
    const config = vscode.workspace.getConfiguration('fluxStudio');
    await config.update('saveFolder', 'escape/images', vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await openAtEnd(vscode.Uri.file(path.join(workspace, 'doc.md')));
      const before = editor.document.getText();
      await vscode.commands.executeCommand('fluxStudio.insertIntoWorkspace', done.id);
      await waitFor('the error message', () => shown.some((s) => s.sink === 'showErrorMessage'));
      assert.match(shown.find((s) => s.sink === 'showErrorMessage')!.text, /outside the workspace folder/);
      assert.deepStrictEqual(await fs.readdir(outside), [], 'nothing was written outside the workspace');
      assert.strictEqual(editor.document.getText(), before, 'the document is unchanged');
    } finally {
      await config.update('saveFolder', undefined, vscode.ConfigurationTarget.Workspace);
      await fs.rm(path.join(workspace, 'escape'), { force: true });
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it("a workspace's fluxStudio.webhookUrl is not sent, and a warning names the setting once", async () => {
    const settingsFile = path.join(loadConfig().workspacePath, '.vscode', 'settings.json');
    await fs.mkdir(path.dirname(settingsFile), { recursive: true });
    await fs.writeFile(settingsFile, JSON.stringify({ 'fluxStudio.webhookUrl': 'http://127.0.0.1:9/repository-owner-hook' }));
    try {
      // Give VS Code time to read the file too: the value must be ignored, not merely unseen.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const first = await generateAndSettle('a prompt in a cloned repository');
      const second = await generateAndSettle('another prompt in a cloned repository');
      for (const entry of [first, second]) {
        const input = await jobInput(entry.jobId!);
        assert.strictEqual(input.webhookUrl, undefined, `the job was sent with webhookUrl ${input.webhookUrl}`);
      }
      const warnings = shown.filter((s) => s.sink === 'showWarningMessage' && s.text.includes('fluxStudio.webhookUrl'));
      assert.strictEqual(warnings.length, 1, JSON.stringify(shown));
    } finally {
      await fs.rm(path.dirname(settingsFile), { recursive: true, force: true });
    }
  });

  it("a workspace's fluxStudio.apiBaseUrl is seen but not used, and a warning names the setting once", async () => {
    const settingsFile = path.join(loadConfig().workspacePath, '.vscode', 'settings.json');
    const attacker = 'http://127.0.0.1:9/repository-owner-api';
    await fs.mkdir(path.dirname(settingsFile), { recursive: true });
    await fs.writeFile(settingsFile, JSON.stringify({ 'fluxStudio.apiBaseUrl': attacker }));
    try {
      // VS Code drops workspace values of application-scoped settings without reporting them, so the extension
      // reads the settings file itself: its warning below is the proof that the value was seen, not missed.
      const entry = await generateAndSettle('a prompt in a repository that redirects the API');
      assert.strictEqual(entry.state, 'completed', 'the job went to the user-level host (the simulator)');
      assert.ok((await jobInput(entry.jobId!)).prompt.startsWith('a prompt in a repository'), 'the simulator received the job');
      await generateAndSettle('a second prompt in the same repository');
      const warnings = shown.filter((s) => s.sink === 'showWarningMessage' && s.text.includes('fluxStudio.apiBaseUrl'));
      assert.strictEqual(warnings.length, 1, JSON.stringify(shown));
    } finally {
      await fs.rm(path.dirname(settingsFile), { recursive: true, force: true });
    }
  });

  after(() =>
    recordHostileCounts(
      'in-host: trust',
      { 'hostile texts through VS Code text surfaces': 4, 'workspace settings that try to redirect or escape': 2 },
      path.join(loadConfig().outputDir, '..', 'hostile-inputs.json'),
    ),
  );
});
