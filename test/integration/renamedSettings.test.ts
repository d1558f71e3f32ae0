// Renamed settings in the real extension host: the old names (fluxStudio.imagePromptStrength,
// fluxStudio.askForOptions) are still read while the new ones are not set, the rename is said once, and the
// new names win as soon as they are set.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { askAspectRatioAndVariants, readGenerationDefaults } from '../../src/vscode/settings';

const KEYS = ['imagePromptStrength', 'referenceStrength', 'askForOptions', 'askAspectRatioAndVariants'];

describe('renamed settings', () => {
  const config = () => vscode.workspace.getConfiguration('fluxStudio');
  const infos: string[] = [];
  const originalInfo = vscode.window.showInformationMessage;

  before(() => {
    (vscode.window as { showInformationMessage: unknown }).showInformationMessage = (message: string, ...rest: unknown[]) => {
      infos.push(message);
      return (originalInfo as (...a: unknown[]) => Thenable<unknown>).call(vscode.window, message, ...rest);
    };
  });

  after(async () => {
    (vscode.window as { showInformationMessage: unknown }).showInformationMessage = originalInfo;
    for (const key of KEYS) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('the old names are read while the new ones are unset, the rename is said once, and the new names win', async () => {
    await config().update('imagePromptStrength', 0.3, vscode.ConfigurationTarget.Global);
    await config().update('askForOptions', false, vscode.ConfigurationTarget.Global);
    const renamed = (old: string) => infos.filter((m) => m.includes(`fluxStudio.${old} is now called`)).length;

    assert.strictEqual(readGenerationDefaults().value.imagePromptStrength, 0.3, 'the old strength is used');
    assert.strictEqual(askAspectRatioAndVariants(), false, 'the old askForOptions is used');
    const said = renamed('imagePromptStrength');
    assert.ok(said >= 1 && renamed('askForOptions') >= 1, `the renames are said: ${infos.join(' | ')}`);
    readGenerationDefaults();
    askAspectRatioAndVariants();
    assert.strictEqual(renamed('imagePromptStrength'), said, 'said once, not on every read');

    await config().update('referenceStrength', 0.8, vscode.ConfigurationTarget.Global);
    await config().update('askAspectRatioAndVariants', true, vscode.ConfigurationTarget.Global);
    assert.strictEqual(readGenerationDefaults().value.imagePromptStrength, 0.8, 'the new name wins');
    assert.strictEqual(askAspectRatioAndVariants(), true, 'the new name wins');
  });
});
