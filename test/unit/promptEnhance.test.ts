import * as assert from 'assert';
import { PROMPT_MAX_LENGTH } from '../../src/shared/options';
import { cleanEnhancedPrompt, enhanceInstruction, parseEnhanceMode } from '../../src/shared/promptEnhance';

const cleaned = (answer: string) => {
  const result = cleanEnhancedPrompt(answer);
  assert.ok(result.ok, `accepted: ${JSON.stringify(answer)}`);
  return result.prompt;
};

describe('Prompt enhancement', () => {
  it('sets the user text apart as data and asks for English that keeps every fact', () => {
    const text = enhanceInstruction('바닷가의 빨간 등대 두 개');
    assert.match(text, /<description>\n바닷가의 빨간 등대 두 개\n<\/description>$/);
    assert.match(text, /Keep every fact/);
    assert.match(text, /English/);
    assert.ok(text.includes(String(PROMPT_MAX_LENGTH)));
  });

  it('strips a code fence, a "Prompt:" label and wrapping quotes', () => {
    assert.strictEqual(cleaned('```\nTwo red lighthouses on a rocky shore\n```'), 'Two red lighthouses on a rocky shore');
    assert.strictEqual(cleaned('```text\nA fox\n'), 'A fox'); // a fence left open
    assert.strictEqual(cleaned('Prompt: "A fox in snow"'), 'A fox in snow');
    assert.strictEqual(cleaned('**Enhanced prompt:** “A fox”'), 'A fox');
    assert.strictEqual(cleaned(`  '"A fox"'  `), 'A fox');
    assert.strictEqual(cleaned('「狐」'), '狐');
  });

  it('keeps quotes inside the prompt and folds whitespace and stray tags', () => {
    assert.strictEqual(cleaned('A sign reading "OPEN",\n\n  lit by neon'), 'A sign reading "OPEN", lit by neon');
    assert.strictEqual(cleaned('<description>A fox</description>'), 'A fox');
  });

  it('refuses an answer with nothing left', () => {
    for (const answer of ['', '   ', '```\n```', '""', 'Prompt:', '<description></description>']) {
      assert.deepStrictEqual(cleanEnhancedPrompt(answer), { ok: false, problem: 'empty' }, JSON.stringify(answer));
    }
  });

  it('caps at the API prompt length, after a whole word, never splitting a surrogate pair', () => {
    const long = cleaned('word '.repeat(1000));
    assert.ok(long.length <= PROMPT_MAX_LENGTH && long.length > PROMPT_MAX_LENGTH * 0.8, String(long.length));
    assert.ok(long.endsWith('word'));
    const emoji = cleaned('x' + '🦊'.repeat(PROMPT_MAX_LENGTH));
    assert.ok(emoji.length <= PROMPT_MAX_LENGTH);
    assert.doesNotMatch(emoji, /[\uD800-\uDBFF]$/);
  });

  it('reads an unknown setting value as off', () => {
    assert.strictEqual(parseEnhanceMode('ask'), 'ask');
    assert.strictEqual(parseEnhanceMode('always'), 'always');
    for (const value of [undefined, 'on', true, 1, null]) assert.strictEqual(parseEnhanceMode(value), 'off');
  });
});
