import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyFollowUp, isFollowUpMessage, type PreviousImage } from '../../src/shared/chatFollowUp';

const PREVIOUS: PreviousImage = { prompt: 'A red lighthouse on a cliff', aspectRatio: '16:9', seed: 42 };
const generate = (text: string) => {
  const result = applyFollowUp(PREVIOUS, text);
  assert.strictEqual(result.kind, 'generate', text);
  return result as Extract<typeof result, { kind: 'generate' }>;
};

describe('@flux follow-ups', () => {
  it('are short messages; a longer one is a new prompt', () => {
    for (const text of ['warmer', 'make it square and warmer', 'same picture, but in portrait', '정사각형으로 만들어 줘']) assert.ok(isFollowUpMessage(text), text);
    for (const text of ['', '   ', 'a stone bridge over a river in autumn fog at dawn']) assert.ok(!isFollowUpMessage(text), text);
  });

  it('append other words to the previous prompt, with a new seed', () => {
    assert.deepStrictEqual(generate('warmer'), { kind: 'generate', prompt: 'A red lighthouse on a cliff, warmer', aspectRatio: '16:9', seed: undefined, added: 'warmer' });
    assert.strictEqual(generate('make it warmer, please').prompt, 'A red lighthouse on a cliff, warmer');
    assert.strictEqual(generate('add a cat in the window').prompt, 'A red lighthouse on a cliff, add a cat in the window');
    assert.strictEqual(generate('더 따뜻하게 해 줘').prompt, 'A red lighthouse on a cliff, 더 따뜻하게');
  });

  it('change the aspect ratio for shape words (en, ko), adding nothing else', () => {
    for (const [text, ratio] of [
      ['make it square', '1:1'],
      ['Square, please', '1:1'],
      ['정사각형으로 만들어 줘', '1:1'],
      ['portrait', '9:16'],
      ['세로로', '9:16'],
      ['in landscape format', '16:9'],
      ['가로형으로 해 주세요', '16:9'],
    ] as const) {
      const result = generate(text);
      assert.strictEqual(result.aspectRatio, ratio, text);
      assert.strictEqual(result.prompt, PREVIOUS.prompt, `${text}: nothing appended (${result.added})`);
    }
    const both = generate('make it square and warmer');
    assert.deepStrictEqual([both.aspectRatio, both.prompt], ['1:1', 'A red lighthouse on a cliff, warmer']);
  });

  it('"another" / "again" re-run the same prompt with a new seed; "same picture" / "same seed" keep it', () => {
    for (const text of ['another one', 'Again!', 'one more', '하나 더', '다른 거', '다시 해 줘']) {
      assert.deepStrictEqual(generate(text), { kind: 'generate', prompt: PREVIOUS.prompt, aspectRatio: '16:9', seed: undefined, added: '' }, text);
    }
    for (const text of ['same picture, but square', 'same seed in portrait', '같은 그림으로 정사각형', '같은 시드로 세로로']) {
      const result = generate(text);
      assert.strictEqual(result.seed, 42, text);
      assert.strictEqual(result.prompt, PREVIOUS.prompt, `${text}: ${result.added}`);
      assert.notStrictEqual(result.aspectRatio, '16:9', text);
    }
    assert.strictEqual(generate('same picture, warmer').prompt, 'A red lighthouse on a cliff, warmer');
  });

  it('"insert" puts the previous image in (nothing generated)', () => {
    for (const text of ['insert', 'Insert it into the document.', '문서에 넣어 줘', '삽입해 주세요']) assert.deepStrictEqual(applyFollowUp(PREVIOUS, text), { kind: 'insert' }, text);
    assert.strictEqual(generate('insert a cat').prompt, 'A red lighthouse on a cliff, insert a cat');
  });

  it('"vary" makes a variation of the picture itself', () => {
    for (const text of ['vary', 'Vary it!', '변형', '변형해 줘']) assert.deepStrictEqual(applyFollowUp(PREVIOUS, text), { kind: 'vary' }, text);
    assert.strictEqual(generate('vary the colours').prompt, 'A red lighthouse on a cliff, vary the colours');
  });

  it('keeps words that merely contain a rule word, and caps what is appended', () => {
    assert.strictEqual(generate('squared clouds').aspectRatio, '16:9');
    assert.strictEqual(generate('또렷하게').prompt, 'A red lighthouse on a cliff, 또렷하게');
    assert.ok(generate('x'.repeat(5000)).added.length <= 500);
  });

  it('understand the follow-up buttons\' messages in English and Korean', () => {
    const ko: Record<string, string> = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.ko.json'), 'utf8'));
    for (const message of ['vary', ko.vary]) assert.deepStrictEqual(applyFollowUp(PREVIOUS, message), { kind: 'vary' }, message);
    for (const message of ['insert', ko.insert]) assert.deepStrictEqual(applyFollowUp(PREVIOUS, message), { kind: 'insert' }, message);
    for (const message of ['another one', ko['another one']]) assert.deepStrictEqual(generate(message), { kind: 'generate', prompt: PREVIOUS.prompt, aspectRatio: '16:9', seed: undefined, added: '' }, message);
  });
});
