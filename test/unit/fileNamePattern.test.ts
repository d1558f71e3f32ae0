// fluxStudio.insert.fileName as a pattern: saveFolder's variables plus ${prompt}, ${seed} and ${date}, and a
// result that is always one plain file name (else refused, and the prompt's name is used).
import * as assert from 'assert';
import { fileNameFromPattern, isFileNamePattern, type FileNamePatternRequest } from '../../src/insert/fileNamePattern';
import { chooseFreeName, TYPED_NAME_MAX_LENGTH } from '../../src/insert/naming';

const BASE: Omit<FileNamePatternRequest, 'pattern'> = {
  prompt: 'A red fox in snow',
  id: '3f2504e0-4f89',
  seed: 42,
  format: 'jpeg',
  documentPath: '/home/me/site/docs/guide/intro.md',
  workspaceFolder: '/home/me/site',
  fileName: 'a-red-fox-in-snow-42.jpeg',
  now: new Date(2026, 11, 5, 23, 59),
};
const name = (pattern: string, extra: Partial<FileNamePatternRequest> = {}) => fileNameFromPattern({ ...BASE, ...extra, pattern });

describe('file name patterns (fluxStudio.insert.fileName)', () => {
  it('tells a pattern from prompt and ask', () => {
    assert.deepStrictEqual([isFileNamePattern('prompt'), isFileNamePattern('ask'), isFileNamePattern('${seed}'), isFileNamePattern(3)], [false, false, true, false]);
  });

  it('fills in the document variables, ${prompt}, ${seed} and ${date}, and adds the extension', () => {
    assert.deepStrictEqual(name('${documentBaseName}-${seed}'), { ok: true, fileName: 'intro-42.jpeg' });
    assert.deepStrictEqual(name('${date}-${prompt}'), { ok: true, fileName: '2026-12-05-a-red-fox-in-snow.jpeg' });
    assert.deepStrictEqual(name('${documentExtName}-${seed}', { seed: -7 }), { ok: true, fileName: 'md-n7.jpeg' });
    assert.deepStrictEqual(name('${seed}', { seed: undefined }), { ok: true, fileName: '3f2504e0.jpeg' });
    assert.deepStrictEqual(name('hero-${fileName}'), { ok: true, fileName: 'hero-a-red-fox-in-snow-42.jpeg' }, 'the extension is not doubled');
    assert.deepStrictEqual(name('${documentBaseName/(.*)/$1-img/}'), { ok: true, fileName: 'intro-img.jpeg' }, 'transforms as in saveFolder');
    assert.deepStrictEqual(name('\\$5-${seed}'), { ok: true, fileName: '$5-42.jpeg' });
  });

  it('refuses what is not one plain file name', () => {
    assert.deepStrictEqual(name('${documentRelativeDirName}-${seed}'), { ok: false, problem: 'separator' });
    assert.deepStrictEqual(name('a\\\\${seed}'), { ok: false, problem: 'separator' });
    assert.deepStrictEqual(name('..${seed}'), { ok: false, problem: 'dot-start' });
    assert.deepStrictEqual(name('${documentBaseName}', { documentPath: '/home/me/site/CON.md' }), { ok: false, problem: 'reserved' });
    assert.deepStrictEqual(name(`${'x'.repeat(TYPED_NAME_MAX_LENGTH)}\${seed}`), { ok: false, problem: 'too-long' });
    assert.deepStrictEqual(name('${documentBaseName}', { documentPath: undefined }), { ok: false, problem: 'empty' });
    assert.deepStrictEqual(name('${title}-${seed}'), { ok: false, problem: 'unknown-variable', detail: 'title' });
    assert.deepStrictEqual(name('${documentBaseName/(a)\\1/x/}'), { ok: false, problem: 'unsafe-pattern' }, 'a backreference: never a RegExp');
  });

  it('never overwrites: the free-name search starts from the pattern’s name', async () => {
    const taken = new Set(['intro-42.jpeg', 'intro-42-1.jpeg']);
    const result = name('${documentBaseName}-${seed}');
    assert.ok(result.ok);
    assert.strictEqual(await chooseFreeName(result.fileName, async (n) => taken.has(n)), 'intro-42-2.jpeg');
  });
});
