// Outside text in notifications, progress, quick picks and the status bar: VS Code's own parsers must not
// find a link or an icon in it, and it must read the same.
import * as assert from 'assert';
import { plainText } from '../../src/shared/plainText';
import { recordHostileCounts } from '../support/hostileCounts';

// VS Code 1.100's parsers, copied from its workbench bundle (vs/base/common/linkedText.ts and
// iconLabels.ts): a notification renders the first as a link, status bar and quick pick render the second.
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;

const HOSTILE = [
  'Content policy: this prompt was refused. [Open the Apiframe dashboard](command:workbench.action.openSettings "Open dashboard")',
  '[x](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)',
  '[click](https://evil.example/phish) and [file](file:///etc/passwd)',
  "[a](command:x 'title')",
  '[nested [link]](command:y)',
  '[spaced] (command:z)',
  '$(sync~spin) fake progress $(error) $(check)',
  '\\$(already-escaped)',
  'Mallory\u202e txt.exe \u2066isolated\u2069',
  'line one\nline two\r\n[x](command:y)\u0000\u0007',
  '][(]($($(',
  'plain text with (parentheses) and [brackets] only',
];

describe('plainText', () => {
  it('leaves no link and no icon for VS Code to render', () => {
    for (const text of HOSTILE) {
      const safe = plainText(text);
      LINK.lastIndex = 0;
      ICON.lastIndex = 0;
      assert.strictEqual(LINK.exec(safe), null, `a link survived in ${JSON.stringify(safe)}`);
      const icon = ICON.exec(safe);
      assert.ok(!icon || icon[1] === '\\', `an icon survived in ${JSON.stringify(safe)}`);
    }
    recordHostileCounts('unit: plain text', { 'outside text through VS Code link and icon parsers': HOSTILE.length });
  });

  it('reads the same: only zero-width spaces added, control and bidi-override characters removed', () => {
    const text = HOSTILE[0];
    assert.strictEqual(plainText(text).replace(/\u200b/g, ''), text);
    assert.strictEqual(plainText('plain text with (parentheses) and [brackets] only'), 'plain text with (parentheses) and [brackets] only');
    assert.strictEqual(plainText('a\nb\u0000c'), 'a b c');
    assert.strictEqual(plainText('Mallory\u202e txt'), 'Mallory txt');
    assert.strictEqual(plainText('한국어 프롬프트 🦊'), '한국어 프롬프트 🦊');
  });

  it('caps length by characters, not UTF-16 units', () => {
    const long = '🦊'.repeat(1000);
    const safe = plainText(long, 10);
    assert.strictEqual(Array.from(safe).length, 10);
    assert.ok(safe.endsWith('…'));
  });
});
