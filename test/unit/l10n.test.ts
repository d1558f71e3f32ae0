// Keeps the translations honest while other people add strings: every runtime string (l10n.t literals and
// the gallery table) must be in the default and the Korean bundle with the same placeholders, every
// package.json %key% must exist in package.nls.json, and the Korean manifest strings must cover them all.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GALLERY_STRINGS_EN } from '../../src/protocol/strings';
import { STATE_NAMES_EN } from '../../src/shared/entry';
import { OPTION_RULES_EN } from '../../src/shared/optionsSchema';
import {
  GALLERY_STRINGS_FILE,
  GALLERY_STRINGS_TABLE,
  OPTION_RULES_FILE,
  OPTION_RULES_TABLE,
  defaultBundle,
  extractAll,
  extractFromSource,
  extractStringTable,
  placeholders,
  type L10nExtraction,
} from '../support/l10nStrings';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

/** Every `%key%` string anywhere in package.json. */
function manifestKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = /^%([^%\s]+)%$/.exec(value);
    if (m) out.add(m[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) manifestKeys(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) manifestKeys(v, out);
  }
  return out;
}

/** `{0}`-style indices used by a message, as numbers. */
const indices = (message: string) => [...new Set((message.match(/\{(\d+)\}/g) ?? []).map((p) => Number(p.slice(1, -1))))].sort((a, b) => a - b);

describe('l10n extractor', () => {
  it('reads literals, escapes, templates without substitutions, multi-line calls and the object form', () => {
    const source = [
      "vscode.l10n.t('It\\'s {0}', x);",
      'l10n.t("say \\"hi\\"");',
      'vscode.l10n.t(`plain template`);',
      'vscode.l10n.t(',
      "  'on the next line',",
      ');',
      "vscode.l10n.t({ message: 'with comment', comment: ['a', 'b'], args: [1] });",
      "// vscode.l10n.t('commented out') is ignored",
      "const s = 'vscode.l10n.t(\"inside a string\")';",
    ].join('\n');
    const { occurrences, errors } = extractFromSource('src/x.ts', source);
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual(
      occurrences.map((o) => o.key),
      ["It's {0}", 'say "hi"', 'plain template', 'on the next line', 'with comment/ab'],
    );
    assert.deepStrictEqual(occurrences.map((o) => o.line), [1, 2, 3, 4, 7]);
  });

  it('fails loudly on a message it cannot read', () => {
    const cases = [
      'vscode.l10n.t(message);',
      'vscode.l10n.t(`Hello ${name}`);',
      "vscode.l10n.t('a' + 'b');",
      'vscode.l10n.t();',
      'const t = vscode.l10n.t; t("x");',
      'vscode.l10n.t({ message: text });',
    ];
    for (const source of cases) {
      const { occurrences, errors } = extractFromSource('src/y.ts', source);
      assert.strictEqual(errors.length, 1, `${source} → ${JSON.stringify(errors)}`);
      assert.match(errors[0], /^src\/y\.ts:1: /);
      assert.deepStrictEqual(occurrences, []);
    }
  });

  it('only the known gallery call may translate a non-literal', () => {
    const call = 'vscode.l10n.t(GALLERY_STRINGS_EN[key]);';
    assert.deepStrictEqual(extractFromSource('src/vscode/gallery/page.ts', call).errors, []);
    assert.strictEqual(extractFromSource('src/vscode/other.ts', call).errors.length, 1);
  });

  it('reads the string tables from their source exactly as the modules export them', () => {
    const read = (file: string, table: string) => {
      const { entries, errors } = extractStringTable(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), table);
      assert.deepStrictEqual(errors, []);
      return Object.fromEntries(entries);
    };
    const options = read(OPTION_RULES_FILE, OPTION_RULES_TABLE);
    assert.deepStrictEqual(options, { ...OPTION_RULES_EN });
    const states = read('src/shared/entry.ts', 'STATE_NAMES_EN');
    assert.deepStrictEqual(states, { ...STATE_NAMES_EN });
    // The gallery table spreads the options' wording and the states' names; the rest is its own.
    assert.deepStrictEqual({ ...read(GALLERY_STRINGS_FILE, GALLERY_STRINGS_TABLE), ...options, ...states }, { ...GALLERY_STRINGS_EN });
  });
});

describe('l10n bundles', () => {
  let extraction: L10nExtraction;
  before(function () {
    // Parses every file in src/ with TypeScript: seconds on a loaded 2-core machine.
    this.timeout(30_000);
    extraction = extractAll(ROOT);
  });

  it('every l10n.t call in src/ has a literal message', () => {
    assert.deepStrictEqual(extraction.errors, []);
    assert.ok(extraction.keys.length > 100, `only ${extraction.keys.length} strings found`);
  });

  it('l10n/bundle.l10n.json is current (run `npm run l10n`)', () => {
    assert.deepStrictEqual(readJson('l10n/bundle.l10n.json'), defaultBundle(extraction.keys));
  });

  it('l10n/bundle.l10n.ko.json translates every string', () => {
    const ko = readJson('l10n/bundle.l10n.ko.json');
    const missing = extraction.keys.filter((key) => typeof ko[key] !== 'string' || (ko[key] as string).trim() === '');
    const where = (key: string) => extraction.occurrences.find((o) => o.key === key);
    assert.deepStrictEqual(
      missing.map((key) => `${JSON.stringify(key)} (${where(key)?.file}${where(key)?.line ? `:${where(key)?.line}` : ''})`),
      [],
      'missing Korean translations',
    );
  });

  it('Korean strings keep exactly the placeholders of the English ones', () => {
    const ko = readJson('l10n/bundle.l10n.ko.json');
    const wrong = extraction.keys
      .filter((key) => typeof ko[key] === 'string')
      .filter((key) => placeholders(key).join() !== placeholders(ko[key] as string).join())
      .map((key) => `${JSON.stringify(key)} → ${JSON.stringify(ko[key])}`);
    assert.deepStrictEqual(wrong, []);
  });

  it('the Korean bundle has no keys that are no longer used', () => {
    const ko = readJson('l10n/bundle.l10n.ko.json');
    const known = new Set(extraction.keys);
    assert.deepStrictEqual(Object.keys(ko).filter((key) => !known.has(key)), []);
  });

  it('{n} placeholders are numbered from 0 without gaps', () => {
    const gaps = extraction.keys.filter((key) => indices(key).some((n, i) => n !== i));
    assert.deepStrictEqual(gaps, []);
  });
});

describe('manifest strings', () => {
  const pkg = readJson('package.json');
  const nls = readJson('package.nls.json');
  const ko = readJson('package.nls.ko.json');

  it('every %key% in package.json is in package.nls.json', () => {
    const missing = [...manifestKeys(pkg)].filter((key) => typeof nls[key] !== 'string');
    assert.deepStrictEqual(missing, []);
  });

  it('package.nls.ko.json has every key of package.nls.json, and no others', () => {
    assert.deepStrictEqual(Object.keys(nls).filter((key) => typeof ko[key] !== 'string' || !(ko[key] as string).trim()), []);
    assert.deepStrictEqual(Object.keys(ko).filter((key) => !(key in nls)), []);
  });

  it('Korean manifest strings keep setting links, code spans and command links', () => {
    const kept = (text: string) =>
      [...(text.match(/#fluxStudio\.\w+#|`[^`]+`|\(command:[\w.]+\)|\{\w+\}/g) ?? [])].filter((s) => !/[가-힣]/.test(s)).sort();
    const wrong = Object.keys(nls)
      .filter((key) => typeof ko[key] === 'string')
      .filter((key) => !key.endsWith('.media'))
      .filter((key) => kept(nls[key] as string).join() !== kept(ko[key] as string).join());
    assert.deepStrictEqual(wrong, []);
  });

  it('command categories stay "Flux" and every command title is localized', () => {
    const commands = (pkg.contributes as { commands: Array<{ command: string; title: string; category?: string }> }).commands;
    for (const c of commands) {
      assert.strictEqual(c.category, 'Flux', c.command);
      assert.match(c.title, /^%.+%$/, `${c.command} title is not a %key%`);
    }
  });

  it('walkthrough markdown files exist in English and Korean', () => {
    for (const [key, value] of Object.entries(nls)) {
      if (!key.endsWith('.media')) continue;
      for (const file of [value, ko[key]]) {
        assert.ok(typeof file === 'string' && fs.existsSync(path.join(ROOT, file)), `${key}: ${file} does not exist`);
      }
    }
  });

  it('every walkthrough step shows a picture that ships in the .vsix (a WebP file beside its page)', () => {
    for (const [key, value] of Object.entries(nls)) {
      if (!key.endsWith('.media')) continue;
      for (const file of [value, ko[key]] as string[]) {
        // Code (fenced or inline) shows snippets, not pictures.
        const prose = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
        const pictures = [...prose.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]);
        assert.strictEqual(pictures.length, 1, `${file}: one picture with alt text, found ${JSON.stringify(pictures)}`);
        assert.match(pictures[0], /^[\w.-]+\.webp$/, `${file}: a WebP beside the page`);
        const picture = path.join(path.dirname(path.join(ROOT, file)), pictures[0]);
        assert.ok(fs.existsSync(picture), `${file}: ${pictures[0]} does not exist`);
        assert.ok(fs.statSync(picture).size < 150_000, `${file}: ${pictures[0]} is ${fs.statSync(picture).size} bytes`);
      }
    }
  });
});
