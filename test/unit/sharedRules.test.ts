// Rules that src/shared defines once, held against the places that cannot import them: package.json's
// setting defaults and the menus' file-extension `when` clauses.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { IMAGE_FILE_EXTENSIONS, formatOfExtension, hasQuality } from '../../src/shared/media';
import { GENERATION_DEFAULTS, OUTPUT_FORMATS } from '../../src/shared/options';
import { truncate } from '../../src/shared/truncate';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** Every `fluxStudio.*` setting, whether the configuration is one object or an array of sections. */
function settingProperties(): Record<string, { default?: unknown }> {
  const sections = [pkg.contributes.configuration].flat() as { properties?: Record<string, { default?: unknown }> }[];
  return Object.assign({}, ...sections.map((section) => section.properties ?? {}));
}

describe('rules defined once in src/shared', () => {
  it('package.json declares the same setting defaults as GENERATION_DEFAULTS', () => {
    const properties = settingProperties();
    // The reference strength option is the setting fluxStudio.referenceStrength (one name per concept, issue 22).
    const settingName = (option: string) => (option === 'imagePromptStrength' ? 'referenceStrength' : option);
    for (const [option, value] of Object.entries(GENERATION_DEFAULTS)) {
      const name = `fluxStudio.${settingName(option)}`;
      assert.ok(properties[name], `${name} is not contributed`);
      assert.deepStrictEqual(properties[name].default, value, name);
    }
  });

  it('every menu that filters on the file extension accepts exactly the image extensions', () => {
    const clauses = Object.values(pkg.contributes.menus as Record<string, { when?: string }[]>)
      .flat()
      .map((item) => /resourceExtname =~ \/(.+?)\/(\w*)/.exec(item.when ?? ''))
      .filter((match): match is RegExpExecArray => match !== null);
    assert.ok(clauses.length >= 2, 'the Explorer entries filter on resourceExtname');
    const others = ['.gif', '.svg', '.pdf', '.jpgx', '.xpng', '.jpe', '.webm', ''];
    for (const [, source, flags] of clauses) {
      const pattern = new RegExp(source, flags);
      for (const extension of IMAGE_FILE_EXTENSIONS) {
        assert.ok(pattern.test(`.${extension}`) && pattern.test(`.${extension.toUpperCase()}`), `${source} refuses .${extension}`);
      }
      for (const extension of others) assert.ok(!pattern.test(extension), `${source} accepts "${extension}"`);
    }
  });

  it('every output format is named by an image extension; .jpeg is JPEG; only PNG has no quality', () => {
    for (const format of OUTPUT_FORMATS) assert.strictEqual(formatOfExtension(`.${format}`), format);
    assert.strictEqual(formatOfExtension('.JPEG'), 'jpg');
    assert.strictEqual(formatOfExtension('gif'), undefined);
    assert.strictEqual(formatOfExtension('.constructor'), undefined);
    assert.deepStrictEqual(OUTPUT_FORMATS.filter((format) => !hasQuality(format)), ['png']);
  });

  it('truncation counts code points, ends with …, and at a word keeps at least half', () => {
    assert.strictEqual(truncate('a fox', 5), 'a fox');
    assert.strictEqual(truncate('🦊🦊🦊🦊', 3), '🦊🦊…');
    assert.strictEqual(truncate('a red fox in snow', 12, true), 'a red fox…');
    assert.strictEqual(truncate('abcdefghij klm', 12, true), 'abcdefghij…');
    assert.strictEqual(truncate('ab cdefghijklmnop', 12, true), 'ab cdefghij…');
  });
});
