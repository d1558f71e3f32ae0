import * as assert from 'assert';
import { chooseFreeName, imageFileName, shortId, slugify, typedNameProblem, withSuffix } from '../../src/insert/naming';

const SAFE = /^[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*$/u;

function assertSafeSlug(slug: string): void {
  assert.match(slug, SAFE, `unsafe slug ${JSON.stringify(slug)}`);
  assert.ok(slug.length <= 60 + '-image'.length, `too long: ${slug.length}`);
  assert.ok(!slug.includes('..') && !slug.includes('/') && !slug.includes('\\'));
}

describe('naming', () => {
  it('slugs a plain prompt', () => {
    assert.strictEqual(slugify('A red fox in the snow'), 'a-red-fox-in-the-snow');
  });

  it('strips diacritics via NFKD and folds compatibility forms', () => {
    assert.strictEqual(slugify('Crème brûlée à la Dvořák'), 'creme-brulee-a-la-dvorak');
    assert.strictEqual(slugify('ﬁne ①'), 'fine-1');
  });

  it('never yields path separators or dot segments', () => {
    for (const prompt of ['../../etc/passwd', '..\\..\\windows', '/\\:*?"<>|', '..', '.', './a/../b', 'a/b\\c:d']) {
      const slug = slugify(prompt);
      assertSafeSlug(slug);
    }
    assert.strictEqual(slugify('../../etc/passwd'), 'etc-passwd');
    assert.strictEqual(slugify('/\\:'), 'image');
  });

  it('avoids Windows reserved device names', () => {
    for (const name of ['CON', 'prn', 'Aux', 'NUL', 'COM1', 'com9', 'LPT1', 'lpt9', 'con.', ' nul ']) {
      const slug = slugify(name);
      assert.ok(slug.endsWith('-image'), `${name} → ${slug}`);
    }
    assert.strictEqual(slugify('CON'), 'con-image');
    assert.strictEqual(slugify('console'), 'console');
  });

  it('keeps the letters of every script: Korean, Japanese, Hebrew, Arabic, accented Latin (folded)', () => {
    assert.strictEqual(slugify('눈 속의 붉은 여우'), '눈-속의-붉은-여우');
    assert.strictEqual(slugify('雪の中の赤いキツネ'), '雪の中の赤いキツネ');
    assert.strictEqual(slugify('ｶﾞｰﾃﾞﾝ が'), 'ガーデン-が', 'half-width kana folded, voicing marks kept');
    assert.strictEqual(slugify('שועל אדום'), 'שועל-אדום');
    assert.strictEqual(slugify('ثعلب أحمر'), 'ثعلب-أحمر');
    assert.strictEqual(slugify('Renard rôti à l’été'), 'renard-roti-a-l-ete');
    for (const slug of [slugify('눈 속의 붉은 여우'), slugify('雪の中の赤いキツネ')]) assert.strictEqual(slug, slug.normalize('NFC'));
  });

  it('emoji, controls and bidirectional marks separate words; nothing but them becomes "image"', () => {
    for (const prompt of ['', '   ', '🦊🌨️', '\u202e\u200f', '\u0301']) assert.strictEqual(slugify(prompt), 'image', prompt);
    assert.strictEqual(slugify('fox 🦊 in snow'), 'fox-in-snow');
    assert.strictEqual(slugify('여우🦊눈'), '여우-눈');
    assert.strictEqual(slugify('RTL \u202eevil\u202c text'), 'rtl-evil-text');
  });

  it('stays short in bytes too: a long Korean prompt is cut between syllables, within 120 UTF-8 bytes', () => {
    const slug = slugify('아주 오래된 숲속 오두막 앞에서 붉은 여우가 눈을 맞으며 조용히 잠들어 있는 겨울 아침 풍경 '.repeat(4));
    assertSafeSlug(slug);
    assert.ok(Buffer.byteLength(slug) <= 120, `${Buffer.byteLength(slug)} bytes`);
    assert.ok(slug.length > 20, slug);
    const devanagari = slugify('क्षत्रिय '.repeat(40));
    assert.ok(Buffer.byteLength(devanagari) <= 120);
    assert.strictEqual(devanagari, devanagari.normalize('NFC'));
  });

  it('cuts long prompts to 60 characters, at a word when possible', () => {
    const words = 'the quick brown fox jumps over the lazy dog '.repeat(10);
    const slug = slugify(words);
    assertSafeSlug(slug);
    assert.ok(slug.length <= 60);
    assert.ok(words.replace(/ /g, '-').startsWith(slug + '-'));
    const word = 'a'.repeat(5000);
    assert.strictEqual(slugify(word), 'a'.repeat(60));
    const mixed = `${'x'.repeat(5000)} ${'y'.repeat(5000)}`;
    assert.strictEqual(slugify(mixed).length, 60);
  });

  it('builds the file name from slug, seed or short id, and format', () => {
    assert.strictEqual(imageFileName({ prompt: 'A fox', id: 'abc', seed: 42, format: 'png' }), 'a-fox-42.png');
    assert.strictEqual(imageFileName({ prompt: 'A fox', id: 'abc', seed: -7, format: 'jpg' }), 'a-fox-n7.jpg');
    assert.strictEqual(
      imageFileName({ prompt: 'A fox', id: '3F2504E0-4F89-11D3-9A0C-0305E82C3301', format: 'webp' }),
      'a-fox-3f2504e0.webp',
    );
    assert.strictEqual(imageFileName({ prompt: 'CON', id: '../..', format: 'png' }), 'con-image-img.png');
    assert.strictEqual(imageFileName({ prompt: 'x', id: 'a', format: '../png' }), 'x-a.png');
    assert.strictEqual(imageFileName({ prompt: '붉은 여우', id: 'abc', seed: 42, format: 'jpg' }), '붉은-여우-42.jpg');
    assert.strictEqual(shortId('---'), 'img');
  });

  it('hostile prompts always produce a safe file name', () => {
    const hostile = ['../', 'CON', '/\\:', '🦊', '\u05e9\u05dc\u05d5\u05dd', 'a'.repeat(5000), '\u0000\u0001', 'NUL.txt', '<script>'];
    for (const prompt of hostile) {
      const name = imageFileName({ prompt, id: 'id', seed: 1, format: 'png' });
      assert.match(name, /^[\p{L}\p{M}\p{N}-]+\.png$/u);
      assert.ok(!/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name), name);
      assert.ok(name.length <= 60 + 6 + 20 + 5);
    }
  });

  it('adds -1, -2… until the name is free, as VS Code does', async () => {
    assert.strictEqual(withSuffix('a.png', 0), 'a.png');
    assert.strictEqual(withSuffix('a.png', 1), 'a-1.png');
    assert.strictEqual(withSuffix('a.png', 2), 'a-2.png');
    assert.strictEqual(withSuffix('noext', 3), 'noext-3');
    assert.strictEqual(withSuffix('a.b.png', 1), 'a.b-1.png');
    const taken = new Set(['fox-42.png', 'fox-42-1.png']);
    assert.strictEqual(await chooseFreeName('fox-42.png', async (n) => taken.has(n)), 'fox-42-2.png');
    assert.strictEqual(await chooseFreeName('new.png', async () => false), 'new.png');
  });

  it('never reuses a name: gives up after the limit', async () => {
    const asked: string[] = [];
    await assert.rejects(
      chooseFreeName('x.png', async (n) => (asked.push(n), true), 5),
      /No free file name/,
    );
    assert.deepStrictEqual(asked, ['x.png', 'x-1.png', 'x-2.png', 'x-3.png', 'x-4.png']);
  });
});

describe('a file name the user typed (fluxStudio.insert.fileName ask)', () => {
  it('accepts one plain name, refuses what cannot be a single safe file name', () => {
    assert.strictEqual(typedNameProblem('hero image 2'), undefined);
    assert.strictEqual(typedNameProblem('등대-새벽'), undefined);
    assert.deepStrictEqual(
      ['', '   ', 'x'.repeat(101), 'a/b', '..\\up', 'c:x', 'bell\u0007', 'rtl\u202e', '.hidden', 'CON', 'lpt1.backup'].map(typedNameProblem),
      ['empty', 'empty', 'too-long', 'separator', 'separator', 'separator', 'control-characters', 'control-characters', 'dot-start', 'reserved', 'reserved'],
    );
  });
});
