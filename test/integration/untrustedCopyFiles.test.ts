// In Restricted Mode a workspace cannot choose where images go through Markdown's own setting
// (`markdown.copyFiles.destination` is not ours, so restrictedConfigurations cannot cover it): its workspace
// value is ignored and the user's value is read, with one note per window. Read through the real settings.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Log } from '../../src/shared/log';
import { markdownDestinationSetting } from '../../src/vscode/editor/workspaceFiles';
import { MessageRecorder, workspaceUri } from './editorFixtures';

const log: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const USER_VALUE = { '**/*.md': 'from-user/' };
const WORKSPACE_VALUE = { '**/*.md': 'from-workspace/' };

describe('untrusted workspace: markdown.copyFiles.destination', function () {
  this.timeout(30_000);
  const messages = new MessageRecorder();
  const markdown = () => vscode.workspace.getConfiguration('markdown');

  before(async () => {
    messages.install();
    await markdown().update('copyFiles.destination', USER_VALUE, vscode.ConfigurationTarget.Global);
    await markdown().update('copyFiles.destination', WORKSPACE_VALUE, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    messages.restore();
    await markdown().update('copyFiles.destination', undefined, vscode.ConfigurationTarget.Workspace);
    await markdown().update('copyFiles.destination', undefined, vscode.ConfigurationTarget.Global);
  });

  it('uses the user value when untrusted, says so once; a trusted workspace keeps its value', () => {
    const document = workspaceUri('notes.md');
    assert.deepStrictEqual(markdownDestinationSetting(document, log, true), WORKSPACE_VALUE);
    assert.deepStrictEqual(markdownDestinationSetting(document, log, false), USER_VALUE);
    assert.deepStrictEqual(markdownDestinationSetting(document, log, false), USER_VALUE);
    const notes = messages.texts('showWarningMessage').filter((text) => text.includes('markdown.copyFiles.destination'));
    assert.strictEqual(notes.length, 1, JSON.stringify(notes));
  });
});
