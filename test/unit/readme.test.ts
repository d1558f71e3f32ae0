// The README must describe the extension that exists: every contributed command (by its palette title) and
// every setting (with its real default) is documented, nothing documented is gone, the gallery buttons are
// the real ones, the npm scripts exist, and the screenshots are ones `npm run screenshots` produces.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GALLERY_STRINGS_EN } from '../../src/protocol/strings';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));

const resolve = (s: string): string => {
  const m = /^%(.+)%$/.exec(s);
  return m ? nls[m[1]] ?? s : s;
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('README', () => {
  it('names every contributed command by its palette title', () => {
    const commands: Array<{ command: string; title: string; category?: string }> = pkg.contributes.commands;
    const missing = commands
      .map((c) => (c.category ? `${resolve(c.category)}: ${resolve(c.title)}` : resolve(c.title)))
      .filter((title) => !readme.includes(title));
    assert.deepStrictEqual(missing, []);
  });

  it('has a settings row with the real default for every contributed setting', () => {
    const properties: Record<string, { default?: unknown }> = pkg.contributes.configuration.properties;
    const wrong = Object.entries(properties)
      .filter(([id, p]) => {
        const row = new RegExp(`^\\|\\s*\`${escape(id)}\`\\s*\\|\\s*\`${escape(JSON.stringify(p.default ?? null))}\`\\s*\\|.+\\|\\s*$`, 'm');
        return !row.test(readme);
      })
      .map(([id, p]) => `${id} (default ${JSON.stringify(p.default)})`);
    assert.deepStrictEqual(wrong, []);
  });

  it("says who may set each setting, as package.json decides it (scope, Restricted Mode)", () => {
    const properties: Record<string, { scope?: string }> = pkg.contributes.configuration.properties;
    const restricted = new Set<string>(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations ?? []);
    const wrong = Object.entries(properties)
      .map(([id, p]) => {
        const expected = p.scope === 'application' || p.scope === 'machine' ? 'User only' : restricted.has(id) ? 'Not in Restricted Mode' : 'User or workspace';
        const row = new RegExp(`^\\|\\s*\`${escape(id)}\`.*\\|\\s*${expected}\\s*\\|\\s*$`, 'm');
        return row.test(readme) ? undefined : `${id}: ${expected}`;
      })
      .filter(Boolean);
    assert.deepStrictEqual(wrong, []);
  });

  it('mentions no setting that is not contributed', () => {
    const properties = new Set(Object.keys(pkg.contributes.configuration.properties));
    const mentioned = new Set(readme.match(/fluxStudio(?:\.[A-Za-z]+)+/g) ?? []);
    const commands = new Set((pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command));
    const unknown = [...mentioned].filter((id) => !properties.has(id) && !commands.has(id));
    assert.deepStrictEqual(unknown, []);
  });

  it('lists the gallery card buttons by their real labels', () => {
    const buttons = [
      ...['insert', 'saveAs', 'copyLink', 'openFullSize', 'useAsReference', 'rerun', 'vary', 'delete'],
      ...['star', 'selectToCompare', 'keep', 'retry', 'forget', 'editAndRetry', 'compare', 'clearSelection', 'sideBySide', 'swipe', 'variants'],
    ] as const;
    const missing = buttons.map((key) => GALLERY_STRINGS_EN[key]).filter((label) => !readme.includes(`**${label}**`));
    assert.deepStrictEqual(missing, []);
  });

  it('only documents npm scripts that exist', () => {
    const scripts = new Set(Object.keys(pkg.scripts));
    const used = [...readme.matchAll(/`npm (?:run )?([\w:-]+)`/g)].map((m) => m[1]);
    assert.ok(used.length >= 5, `found ${used.length} npm commands`);
    const unknown = used.filter((name) => !scripts.has(name));
    assert.deepStrictEqual(unknown, []);
  });

  it('shows only screenshots that `npm run screenshots` copies, and all of them exist', () => {
    const listed = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'update-screenshots.mjs'), '--list'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const produced = (name: string) =>
      listed.some((pattern) => (pattern.includes('*') ? new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`).test(name) : pattern === name));
    const images = [...readme.matchAll(/\]\((docs\/screenshots\/[^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length > 0, 'the README shows screenshots');
    assert.deepStrictEqual(images.filter((image) => !produced(path.basename(image))), []);
    const absent = images.filter((image) => !fs.existsSync(path.join(ROOT, image)));
    assert.deepStrictEqual(absent, [], 'screenshots the README shows but docs/screenshots lacks (run npm run screenshots)');
  });

  it('links only files that exist (other than screenshots)', () => {
    const prose = readme.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    const links = [...prose.matchAll(/\]\(((?!https?:|#|docs\/screenshots\/)[^)\s]+)\)/g)].map((m) => m[1]);
    assert.deepStrictEqual(links.filter((link) => !fs.existsSync(path.join(ROOT, link))), []);
  });

  it('has one Performance block for the benchmark to fill', () => {
    const start = readme.indexOf('<!-- bench:start -->');
    const end = readme.indexOf('<!-- bench:end -->');
    assert.ok(start > 0 && end > start, 'bench markers in order');
    assert.strictEqual(readme.split('<!-- bench:start -->').length, 2);
    assert.strictEqual(readme.split('<!-- bench:end -->').length, 2);
    assert.ok(readme.lastIndexOf('## Performance', start) > 0, 'markers sit in the Performance section');
  });
});
