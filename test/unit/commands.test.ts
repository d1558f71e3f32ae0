// The command table (src/shared/commands.ts) against package.json, both ways, and against the sources:
// a command contributed but never registered, registered but missing from the manifest, or named by a
// string literal somewhere else fails here in milliseconds.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { COMMANDS, INTERNAL_COMMANDS } from '../../src/shared/commands';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const ALL: readonly string[] = Object.values(COMMANDS);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) return sourceFiles(full);
    return item.name.endsWith('.ts') ? [full] : [];
  });
}

describe('command ids', () => {
  const contributed: string[] = (pkg.contributes.commands as { command: string }[]).map((c) => c.command);

  it('every id in the table is unique and in the extension namespace', () => {
    assert.strictEqual(new Set(ALL).size, ALL.length);
    for (const id of ALL) assert.match(id, /^fluxStudio\.[a-zA-Z]+$/);
  });

  it('package.json contributes exactly the table minus the internal commands', () => {
    assert.deepStrictEqual([...contributed].sort(), ALL.filter((id) => !INTERNAL_COMMANDS.includes(id as never)).sort());
  });

  it('internal commands are neither contributed nor in any menu', () => {
    const inMenus = Object.values(pkg.contributes.menus as Record<string, { command?: string }[]>).flat().map((item) => item.command);
    for (const id of INTERNAL_COMMANDS) {
      assert.ok(!contributed.includes(id), `${id} is contributed`);
      assert.ok(!inMenus.includes(id), `${id} is in a menu`);
    }
  });

  it('every menu entry and keybinding names a command of the table', () => {
    const named = [
      ...Object.entries(pkg.contributes.menus as Record<string, { command?: string; submenu?: string }[]>).flatMap(([menu, items]) =>
        items.map((item) => ({ where: `menus.${menu}`, command: item.command ?? item.submenu })),
      ),
      ...((pkg.contributes.keybindings ?? []) as { command: string }[]).map((item) => ({ where: 'keybindings', command: item.command })),
    ];
    const unknown = named.filter((item) => !ALL.includes(item.command ?? '')).map((item) => `${item.where}: ${item.command}`);
    assert.deepStrictEqual(unknown, []);
  });

  it('every command: link in the walkthrough (English and Korean) names a contributed command', () => {
    for (const file of ['package.json', 'package.nls.json', 'package.nls.ko.json']) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const match of text.matchAll(/command:(fluxStudio\.[A-Za-z]+)/g)) assert.ok(contributed.includes(match[1]), `${file}: ${match[1]}`);
    }
  });

  it('src/ names commands only through the table, and uses every one of them', () => {
    const literal = new RegExp(`['"\`](${ALL.map((id) => id.replace('.', '\\.')).join('|')})['"\`]`);
    const table = path.join(ROOT, 'src', 'shared', 'commands.ts');
    const others = sourceFiles(path.join(ROOT, 'src')).filter((file) => file !== table);
    const literals = others.filter((file) => literal.test(fs.readFileSync(file, 'utf8'))).map((file) => path.relative(ROOT, file));
    assert.deepStrictEqual(literals, [], 'command ids written as string literals');
    const code = others.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
    const unused = Object.keys(COMMANDS).filter((key) => !new RegExp(`\\bCOMMANDS\\.${key}\\b`).test(code));
    assert.deepStrictEqual(unused, [], 'commands in the table that nothing registers or runs');
  });
});
