// The language model tool's input: what package.json declares to models is what the extension accepts, and
// whatever a model sends goes through the one options validator.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { IMAGE_TOOL_FIELDS, IMAGE_TOOL_NAME, parseImageToolInput } from '../../src/shared/imageToolInput';
import { ASPECT_RATIOS, OUTPUT_FORMATS, PROMPT_MAX_LENGTH } from '../../src/shared/options';
import { VARIANTS_MAX, VARIANTS_MIN } from '../../src/shared/variants';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const DEFAULTS = { aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false, imagePromptStrength: 0.5 } as const;

describe('language model tool input', () => {
  it('package.json declares the tool with exactly the fields, enums and limits the extension accepts', () => {
    const tools: Array<{ name: string; inputSchema: { properties: Record<string, any>; required: string[] } }> = pkg.contributes.languageModelTools;
    const tool = tools.find((t) => t.name === IMAGE_TOOL_NAME);
    assert.ok(tool, `${IMAGE_TOOL_NAME} is contributed`);
    const properties = tool.inputSchema.properties;
    assert.deepStrictEqual(Object.keys(properties).sort(), [...IMAGE_TOOL_FIELDS].sort());
    assert.deepStrictEqual(tool.inputSchema.required, ['prompt']);
    assert.deepStrictEqual(properties.aspectRatio.enum, [...ASPECT_RATIOS]);
    assert.deepStrictEqual(properties.outputFormat.enum, [...OUTPUT_FORMATS]);
    assert.deepStrictEqual([properties.variants.minimum, properties.variants.maximum], [VARIANTS_MIN, VARIANTS_MAX]);
    assert.strictEqual(properties.prompt.maxLength, PROMPT_MAX_LENGTH);
  });

  it('fills what the model left out from the settings and maps the reference fields', () => {
    const minimal = parseImageToolInput({ prompt: '  a red fox  ' }, DEFAULTS);
    assert.deepStrictEqual(minimal, { ok: true, value: { options: { prompt: 'a red fox', aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false }, variants: 1 } });
    const full = parseImageToolInput(
      { prompt: 'a fox', aspectRatio: '1:1', outputFormat: 'png', raw: true, seed: 7, referenceImageUrl: 'https://example.com/r.png', referenceStrength: 0.8, variants: 3, targetPath: ' docs/a.md ' },
      DEFAULTS,
    );
    assert.ok(full.ok);
    assert.deepStrictEqual(full.value.options, { prompt: 'a fox', aspectRatio: '1:1', outputFormat: 'png', outputQuality: 90, raw: true, seed: 7, imagePrompt: 'https://example.com/r.png', imagePromptStrength: 0.8 });
    assert.deepStrictEqual([full.value.variants, full.value.targetPath], [3, 'docs/a.md']);
  });

  it('refuses what the options validator or the tool rules refuse, naming the field for the model', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /object/],
      [['a fox'], /object/],
      [{}, /"prompt"/],
      [{ prompt: '' }, /"prompt"/],
      [{ prompt: 'x'.repeat(PROMPT_MAX_LENGTH + 1) }, /"prompt"/],
      [{ prompt: 'a fox', aspectRatio: '2:1' }, /"aspectRatio"/],
      [{ prompt: 'a fox', outputFormat: 'gif' }, /"outputFormat"/],
      [{ prompt: 'a fox', seed: 1.5 }, /"seed"/],
      [{ prompt: 'a fox', referenceImageUrl: 'file:///etc/passwd' }, /"referenceImageUrl"/],
      [{ prompt: 'a fox', referenceImageUrl: 'https://example.com/r.png', referenceStrength: 2 }, /"referenceStrength"/],
      [{ prompt: 'a fox', variants: 5 }, /"variants"/],
      [{ prompt: 'a fox', variants: 0 }, /"variants"/],
      [{ prompt: 'a fox', targetPath: '' }, /"targetPath"/],
      [{ prompt: 'a fox', targetPath: 'a\u0000b.md' }, /"targetPath"/],
      [{ prompt: 'a fox', webhookUrl: 'https://evil.example/' }, /Unexpected input "webhookUrl"/],
      [{ prompt: 'a fox', outputQuality: 5 }, /Unexpected input "outputQuality"/],
    ];
    for (const [input, problem] of cases) {
      const check = parseImageToolInput(input, DEFAULTS);
      assert.ok(!check.ok, JSON.stringify(input));
      assert.match(check.problem, problem);
    }
  });
});
