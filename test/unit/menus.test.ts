// A quiet editor: the right-click entry's `when` is a literal written from the language family table (no
// context key set at run time), and the default keybinding is the documented one.
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

  it('Ctrl+K G (Cmd+K G on macOS) runs Generate Image from Selection in a text editor', () => {
    assert.deepStrictEqual(manifest.contributes.keybindings, [
      { command: 'fluxStudio.generateFromSelection', key: 'ctrl+k g', mac: 'cmd+k g', when: 'editorTextFocus' },
    ]);
  });
});
