// The layering the README and CONTRIBUTING promise, enforced: every import of every file under src/ is read
// (static imports and re-exports, `import()` and `require()`) and checked against the floors below.
//
//   floor 0  shared                                   — imports nothing else of ours
//   floor 1  api, gallery, insert, metadata, protocol — floors 0–1
//   floor 2  jobs                                     — floors 0–1
//   webview  the page's own code                      — protocol and shared only (and no Node or npm module)
//   vscode   the adapters, and extension.ts           — anything but webview
// Only src/vscode and src/extension.ts may import `vscode`.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');

const CORE_FLOORS: Record<string, number> = { shared: 0, api: 1, gallery: 1, insert: 1, metadata: 1, protocol: 1, jobs: 2 };

interface ImportSite {
  file: string; // relative to src/, with forward slashes
  specifier: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(item.name) && !item.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every module specifier a file names. Comments are removed first so that prose cannot fake or hide one. */
function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const pattern of [/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const match of code.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

const allImports: ImportSite[] = sourceFiles(SRC).flatMap((full) =>
  importsOf(fs.readFileSync(full, 'utf8')).map((specifier) => ({ file: path.relative(SRC, full).split(path.sep).join('/'), specifier })),
);

/** The top folder under src/ of a file ('extension' for src/extension.ts). */
const areaOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file.replace(/\.tsx?$/, ''));

/** The area a relative specifier of `file` points into, or undefined for a package. */
function targetArea(site: ImportSite): string | undefined {
  if (!site.specifier.startsWith('.')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(site.file), site.specifier));
  assert.ok(!target.startsWith('..'), `${site.file} imports ${site.specifier}, outside src/`);
  return areaOf(target);
}

function violations(rule: (site: ImportSite, from: string, to: string | undefined) => string | undefined): string[] {
  return allImports.flatMap((site) => {
    const problem = rule(site, areaOf(site.file), targetArea(site));
    return problem ? [`${site.file}: ${site.specifier} — ${problem}`] : [];
  });
}

describe('architecture: which layer may import which', () => {
  it('reads the imports of every source file', () => {
    assert.ok(allImports.length > 300, `only ${allImports.length} imports found: the reader is broken`);
    for (const area of [...Object.keys(CORE_FLOORS), 'webview', 'vscode', 'extension']) {
      assert.ok(allImports.some((site) => areaOf(site.file) === area), `no file of src/${area} was read`);
    }
  });

  it('only src/vscode and src/extension.ts import vscode', () => {
    assert.deepStrictEqual(
      violations((site, from) => (site.specifier === 'vscode' && from !== 'vscode' && from !== 'extension' ? 'the core and the page never import vscode' : undefined)),
      [],
    );
  });

  it('the core imports only its own floor or lower, never the adapters or the page', () => {
    assert.deepStrictEqual(
      violations((_site, from, to) => {
        if (!(from in CORE_FLOORS) || to === undefined || to === from) return undefined;
        if (!(to in CORE_FLOORS)) return `src/${from} may not import src/${to}`;
        return CORE_FLOORS[to] > CORE_FLOORS[from]
          ? `src/${from} (floor ${CORE_FLOORS[from]}) may not import src/${to} (floor ${CORE_FLOORS[to]})`
          : undefined;
      }),
      [],
    );
  });

  it('the webview imports only protocol and shared, and no Node or npm module', () => {
    assert.deepStrictEqual(
      violations((_site, from, to) => {
        if (from !== 'webview') return undefined;
        if (to === undefined) return 'the page is bundled for the browser: no packages';
        return ['webview', 'protocol', 'shared'].includes(to) ? undefined : `the page may not import src/${to}`;
      }),
      [],
    );
  });

  it('the adapters never import the page', () => {
    assert.deepStrictEqual(
      violations((_site, from, to) => ((from === 'vscode' || from === 'extension') && to === 'webview' ? 'the host and the page share only protocol and shared' : undefined)),
      [],
    );
  });

  it('a violation is caught (the rules are not vacuous)', () => {
    const fake: ImportSite = { file: 'metadata/file.ts', specifier: '../jobs/download' };
    assert.strictEqual(areaOf(fake.file), 'metadata');
    assert.strictEqual(targetArea(fake), 'jobs');
    assert.ok(CORE_FLOORS.jobs > CORE_FLOORS.metadata);
    assert.deepStrictEqual(importsOf("import { a } from '../jobs/x';\n// import { b } from 'vscode';\nconst c = require('vscode');"), ['../jobs/x', 'vscode']);
  });

  it('activate composes the register…() and create…() functions and stays short (≤ 60 lines)', () => {
    const source = fs.readFileSync(path.join(SRC, 'extension.ts'), 'utf8');
    const start = source.indexOf('export async function activate(');
    assert.ok(start >= 0, 'extension.ts exports activate');
    // The function ends at the first line that closes a top-level block after it.
    const end = source.indexOf('\n}\n', start);
    const lines = source.slice(start, end).split('\n').length + 1;
    assert.ok(lines <= 60, `activate is ${lines} lines; policy belongs in src/vscode, activate only composes`);
  });
});
