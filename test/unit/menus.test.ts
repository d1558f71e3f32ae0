// A quiet editor: the right-click entry's `when` is a literal written from the language family table (no
// context key set at run time), the same table's languages activate the extension, and the default keybinding
// is the documented one.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { IMAGE_LANGUAGES } from '../../src/insert/languages';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('manifest: menus and keybindings', () => {
  it('"Generate Image from Selection" shows on a selection in exactly the image languages and plain text', () => {
    const entry = manifest.contributes.menus['editor/context'].find((item: { command: string }) => item.command === 'fluxStudio.generateFromSelection');
    const match = /^editorHasSelection && editorLangId =~ \/\^\(([\w|-]+)\)\$\/$/.exec(entry.when);
    assert.ok(match, entry.when);
    assert.deepStrictEqual(match[1].split('|').sort(), [...IMAGE_LANGUAGES, 'plaintext'].sort());
  });

  it('"Generate Missing Images in This File" is offered only where the file misses an image', () => {
    const whens = [...manifest.contributes.menus['editor/context'], ...manifest.contributes.menus.commandPalette]
      .filter((item: { command: string }) => item.command === 'fluxStudio.generateMissingImages')
      .map((item: { when: string }) => item.when);
    assert.deepStrictEqual(whens, ['fluxStudio.fileHasMissingImage', 'fluxStudio.fileHasMissingImage']);
  });

  it('a document of an image language activates the extension as it opens (its quick fix answers the first Ctrl+.)', () => {
    // onStartupFinished alone came seconds after a Markdown file was open in code-server: a Ctrl+. on a missing
    // image meanwhile answered "No code actions available".
    const languages = manifest.activationEvents.filter((event: string) => event.startsWith('onLanguage:')).map((event: string) => event.slice('onLanguage:'.length));
    assert.deepStrictEqual(languages.sort(), [...IMAGE_LANGUAGES].sort());
    assert.ok(manifest.activationEvents.includes('onStartupFinished'), 'still in every window, for unfinished paid jobs');
  });

  it('Ctrl+K G (Cmd+K G on macOS) runs Generate Image from Selection in a text editor', () => {
    assert.deepStrictEqual(manifest.contributes.keybindings, [
      { command: 'fluxStudio.generateFromSelection', key: 'ctrl+k g', mac: 'cmd+k g', when: 'editorTextFocus' },
    ]);
  });
});
