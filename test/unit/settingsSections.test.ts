// The Settings editor shows our settings in the order people need them: sections (Generation, Inserting,
// Account & privacy, Advanced) with localized titles, every setting with an `order`, every choice explained.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { configurationProperties, type ConfigurationSection } from '../support/manifest';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
const pkg = readJson('package.json');
const nls: Record<string, string> = readJson('package.nls.json');
const nlsKo: Record<string, string> = readJson('package.nls.ko.json');
const key = (value: unknown) => /^%(.+)%$/.exec(String(value))?.[1];

describe('settings sections', () => {
  const sections: ConfigurationSection[] = pkg.contributes.configuration;

  it('are Generation, Inserting, Account & privacy and Advanced, titled in English and Korean', () => {
    assert.ok(Array.isArray(sections), 'contributes.configuration is an array of sections');
    assert.deepStrictEqual(
      sections.map((section) => nls[key(section.title)!]),
      ['Generation', 'Inserting', 'Account & privacy', 'Advanced'],
    );
    for (const section of sections) assert.ok(nlsKo[key(section.title)!], `Korean title for ${section.title}`);
  });

  it('give every setting an order, increasing down the page', () => {
    const orders = Object.entries(configurationProperties<{ order?: number }>(pkg, true)).map(([id, p]) => {
      assert.ok(Number.isInteger(p.order), `${id} has an order`);
      return p.order!;
    });
    assert.deepStrictEqual(orders, [...orders].sort((a, b) => a - b));
  });

  it('explain every enum value in English and Korean', () => {
    for (const [id, p] of Object.entries(configurationProperties<{ enum?: unknown[]; markdownEnumDescriptions?: string[] }>(pkg))) {
      if (!p.enum) continue;
      assert.strictEqual(p.markdownEnumDescriptions?.length, p.enum.length, `${id}: one description per value`);
      for (const description of p.markdownEnumDescriptions!) {
        assert.ok(nls[key(description)!] && nlsKo[key(description)!], `${id}: ${description} in both languages`);
      }
    }
  });

  it('say which aspect ratios are landscape and which portrait', () => {
    for (const text of [nls['config.aspectRatio'], nlsKo['config.aspectRatio']]) {
      assert.match(text, /landscape|가로/);
      assert.match(text, /portrait|세로/);
    }
  });

  it('use one name per concept: Reference strength; the old names are only deprecated aliases', () => {
    const shown = Object.keys(configurationProperties(pkg));
    assert.ok(shown.includes('fluxStudio.referenceStrength'));
    assert.ok(!shown.includes('fluxStudio.imagePromptStrength') && !shown.includes('fluxStudio.askForOptions'));
    const all = configurationProperties<{ markdownDeprecationMessage?: string }>(pkg, true);
    for (const old of ['fluxStudio.imagePromptStrength', 'fluxStudio.askForOptions']) {
      const message = all[old]?.markdownDeprecationMessage;
      assert.ok(message && nls[key(message)!] && nlsKo[key(message)!], `${old} says it was renamed, in English and Korean`);
    }
  });
});
