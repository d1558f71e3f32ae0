import * as assert from 'assert';
import * as vscode from 'vscode';
import { loadConfig } from './config';
import { configurationProperties } from '../support/manifest';

const EXTENSION_ID = 'flux-studio.flux-studio';

describe('smoke: extension in the real extension host', () => {
  it('the runner config is readable', () => {
    const config = loadConfig();
    assert.match(config.simulatorUrl, /^http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(config.timeScale > 0 && config.timeScale < 1);
  });

  it(`${EXTENSION_ID} is installed and activates`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('fluxStudio.openGallery is registered after activation', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('fluxStudio.openGallery'), 'fluxStudio.openGallery is not registered');
  });

  it('every contributed command is registered after activation', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.includes('fluxStudio.openGallery'));
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });

  it('fluxStudio.apiBaseUrl defaults to https://api.apiframe.ai and is application-scoped', () => {
    const inspected = vscode.workspace.getConfiguration('fluxStudio').inspect<string>('apiBaseUrl');
    assert.ok(inspected, 'setting fluxStudio.apiBaseUrl is not contributed');
    assert.strictEqual(inspected.defaultValue, 'https://api.apiframe.ai');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const schema = ext && configurationProperties(ext.packageJSON)['fluxStudio.apiBaseUrl'];
    assert.strictEqual(schema?.scope, 'application', 'apiBaseUrl must not be settable per workspace');
    assert.strictEqual(inspected.workspaceValue, undefined);
  });

  it('the test workspace is open', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder open');
    assert.strictEqual(folder.uri.fsPath, loadConfig().workspacePath);
  });
});
