// Issue 25's last reproductions, in the real extension host: a job handed to a window that has the key, when
// no window takes it and the user declines the key prompt, fails with its reason (it used to stay
// 'submitting' and be sent days later by the next window with a key); a target folder stored in an entry
// file is written to only when it is a folder open in this window; two writers racing for one file name
// never replace each other's file (an exclusive link, not a check followed by a rename).
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import type { Log } from '../../src/shared/log';
import { TargetFileWriter } from '../../src/vscode/editor/targetFiles';
import { writeThenRename } from '../../src/vscode/editor/workspaceFiles';
import { loadConfig } from './config';
import { workspaceUri } from './editorFixtures';
import { readyForTests, seedCompleted, sim, waitFor } from './support';

const log: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('robustness: declined key prompts, stored folders, racing writers', function () {
  this.timeout(60_000);
  let api: FluxStudioTestApi;

  before(async () => {
    api = await readyForTests();
  });

  it('a handed-over job nobody takes, whose key prompt is declined, fails with the reason instead of waiting to be sent', async () => {
    // Another live window "has the key": this test process's parent stands in for it.
    const marker = path.join(api.store.root, 'keyholders', `${process.ppid}.json`);
    await fs.mkdir(path.dirname(marker), { recursive: true });
    await fs.writeFile(marker, JSON.stringify({ host: os.hostname(), pid: process.ppid }));
    await api.keys.clearKey();
    const jobs = (await sim('/__sim/stats')).jobsCreated;
    try {
      const entry = await api.generation.generate({ prompt: 'handed over, never taken', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 90, raw: false });
      assert.ok(entry?.delegated, 'handed to the window with the key');
      // After the handover time (15 s) this window asks for the key; the user dismisses the box.
      const failed = await waitFor(
        'the entry failed',
        async () => {
          await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
          const current = api.store.get(entry.id);
          return current?.state === 'failed' ? current : undefined;
        },
        40_000,
      ).catch((error: Error) => assert.fail(`${error.message}; the entry: ${JSON.stringify(api.store.get(entry.id))}`));
      assert.strictEqual(failed.reason?.kind, 'noKey');
      assert.strictEqual(failed.jobId, undefined);
      assert.strictEqual((await sim('/__sim/stats')).jobsCreated, jobs, 'nothing was sent');
      await api.store.remove(entry.id);
    } finally {
      await fs.rm(marker, { force: true });
      assert.strictEqual(await api.keys.setKey(loadConfig().apiKey), true);
    }
  });

  it('a target whose stored folder is not open in this window is left alone: nothing is written there', async () => {
    const elsewhere = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-not-open-'));
    try {
      const entry = await seedCompleted(api.store, 'a target in a folder this window does not have open');
      const file = vscode.Uri.file(path.join(elsewhere, 'images', 'x.jpg'));
      await api.store.update(entry.id, { targetFile: { uri: file.toString(), folder: vscode.Uri.file(elsewhere).toString() } });
      new TargetFileWriter(api.store, log).landPending();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.strictEqual(api.store.get(entry.id)?.targetFile?.outcome, undefined, 'left to a window that has the folder open');
      assert.deepStrictEqual(await fs.readdir(elsewhere), []);
      await api.store.remove(entry.id);
    } finally {
      await fs.rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('two writers racing for one new file name: one wins, the other is told the file exists, nothing is replaced', async () => {
    const dir = workspaceUri('race');
    await vscode.workspace.fs.createDirectory(dir);
    try {
      for (let round = 0; round < 20; round++) {
        const target = vscode.Uri.joinPath(dir, `picture-${round}.jpg`);
        const contents = [new Uint8Array([1, round]), new Uint8Array([2, round])];
        const outcomes = await Promise.allSettled(contents.map((bytes) => writeThenRename(bytes, target, false)));
        const won = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
        assert.strictEqual(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1, `round ${round}: one writer wins`);
        const lost = outcomes[1 - won] as PromiseRejectedResult;
        assert.ok(lost.reason instanceof vscode.FileSystemError && lost.reason.code === 'FileExists', `round ${round}: ${lost.reason}`);
        assert.deepStrictEqual([...(await vscode.workspace.fs.readFile(target))], [...contents[won]], `round ${round}: the winner's bytes`);
      }
      const names = (await fs.readdir(dir.fsPath)).sort();
      assert.strictEqual(names.length, 20, `no temporary files left: ${names.join(', ')}`);
    } finally {
      await fs.rm(dir.fsPath, { recursive: true, force: true });
    }
  });
});
