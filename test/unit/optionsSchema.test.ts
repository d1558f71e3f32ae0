// One options schema, one URL rule: the API client, the gallery protocol and the settings reader must
// agree on every input, and messages take their limits from the same constants.
import * as assert from 'assert';
import { ValidationError } from '../../src/api/errors';
import { validateOptions } from '../../src/api/validation';
import { parseWebviewMessage } from '../../src/protocol/validate';
import { OPTION_LIMITS, checkOption, describeOptionProblem, optionRuleText, type OptionField } from '../../src/shared/optionsSchema';
import type { GenerationOptions } from '../../src/shared/options';

const BASE: GenerationOptions = { prompt: 'a fox', aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false };

function clientAccepts(options: Partial<GenerationOptions>): boolean {
  try {
    validateOptions({ ...BASE, ...options } as GenerationOptions);
    return true;
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return false;
  }
}

function galleryAccepts(options: Record<string, unknown>): boolean {
  return parseWebviewMessage({ id: '1', method: 'gallery/generate', params: { options: { ...BASE, ...options } } }).ok;
}

describe('one options schema', () => {
  it('the client, the gallery and the settings agree on reference image URLs', () => {
    const cases: [string, boolean][] = [
      ['https://example.com/ref.png', true],
      ['http://example.com/ref.png', true],
      ['https://例え.jp/ref.png', true],
      ['https://host_name.example/x.png', true],
      ['https://user:pw@host.example/x.png', false],
      ['https://user@host.example/x.png', false],
      ['ftp://example.com/ref.png', false],
      ['javascript:alert(1)', false],
      ['https://exa mple.com/a.png', false],
      ['https:///path', false],
      ['http:example.com', false],
      [`https://example.com/${'a'.repeat(OPTION_LIMITS.promptMaxLength * 2)}`, false],
    ];
    for (const [url, expected] of cases) {
      const verdicts = {
        client: clientAccepts({ imagePrompt: url }),
        gallery: galleryAccepts({ imagePrompt: url }),
        settings: checkOption('imagePrompt', url).ok,
        webhookSetting: checkOption('webhookUrl', url).ok,
      };
      assert.deepStrictEqual(verdicts, { client: expected, gallery: expected, settings: expected, webhookSetting: expected }, url);
    }
  });

  it('the client and the gallery agree on every other option', () => {
    const cases: Record<string, unknown>[] = [
      { outputQuality: OPTION_LIMITS.qualityMax },
      { outputQuality: OPTION_LIMITS.qualityMax + 1 },
      { outputQuality: 50.5 },
      { imagePrompt: 'https://example.com/a.png', imagePromptStrength: OPTION_LIMITS.strengthMax },
      { imagePrompt: 'https://example.com/a.png', imagePromptStrength: 1.0001 },
      { seed: -7 },
      { seed: 2 ** 60 },
      { prompt: 'x'.repeat(OPTION_LIMITS.promptMaxLength) },
      { prompt: 'x'.repeat(OPTION_LIMITS.promptMaxLength + 1) },
      { prompt: '   ' },
      { aspectRatio: '2:1' },
      { outputFormat: 'gif' },
    ];
    for (const options of cases) {
      assert.strictEqual(clientAccepts(options as Partial<GenerationOptions>), galleryAccepts(options), JSON.stringify(options).slice(0, 80));
    }
  });

  it('messages take their limits from the constants', () => {
    assert.match(describeOptionProblem('prompt', 'tooLong'), new RegExp(`1 to ${OPTION_LIMITS.promptMaxLength}`));
    assert.match(describeOptionProblem('outputQuality', 'outOfRange'), new RegExp(`${OPTION_LIMITS.qualityMin} to ${OPTION_LIMITS.qualityMax}`));
    assert.match(describeOptionProblem('imagePromptStrength', 'outOfRange'), new RegExp(`${OPTION_LIMITS.strengthMin} to ${OPTION_LIMITS.strengthMax}`));
    assert.match(describeOptionProblem('imagePrompt', 'credentials'), /without a user name or password/);
  });

  it('every option has its own sentence in the one wording table, every placeholder filled', () => {
    const fields: OptionField[] = ['prompt', 'aspectRatio', 'outputFormat', 'outputQuality', 'raw', 'seed', 'imagePrompt', 'imagePromptStrength', 'webhookUrl'];
    const keys = fields.map((field) => optionRuleText(field).key);
    assert.ok(!keys.includes('optionUnexpected'), keys.join());
    assert.strictEqual(new Set(keys).size, fields.length);
    for (const field of fields) assert.doesNotMatch(describeOptionProblem(field, 'outOfRange'), /\{\w+\}/, field);
    assert.strictEqual(describeOptionProblem('prompt', 'tooLong', ` ${'x'.repeat(2001)} `), 'The prompt is 2001 characters long; Flux accepts 1 to 2000. Shorten it.');
  });
});
