// `npm run l10n`: writes l10n/bundle.l10n.json (English → English, the default bundle VS Code expects)
// from every `l10n.t('…')` in src/**/*.ts plus the gallery's English table, and lists the keys the
// Korean bundle (l10n/bundle.l10n.ko.json) lacks or no longer needs. Exits non-zero when a call's message
// is not a literal (nothing may slip through) — and with --check when a bundle is out of date.
//
// The extraction logic lives in test/support/l10nStrings.ts (shared with test/unit/l10n.test.ts). This
// script loads its compiled form from out/; when that is missing or older than the source it transpiles
// just that one file (it depends only on Node and typescript), so no full build is needed.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const SOURCE = path.join(ROOT, 'test', 'support', 'l10nStrings.ts');
const COMPILED = path.join(ROOT, 'out', 'test', 'support', 'l10nStrings.js');
const BUNDLE = path.join(ROOT, 'l10n', 'bundle.l10n.json');
const check = process.argv.includes('--check');

function loadExtractor() {
  if (!existsSync(COMPILED) || statSync(COMPILED).mtimeMs < statSync(SOURCE).mtimeMs) {
    const ts = require('typescript');
    const { outputText } = ts.transpileModule(readFileSync(SOURCE, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: SOURCE,
    });
    mkdirSync(path.dirname(COMPILED), { recursive: true });
    writeFileSync(COMPILED, outputText);
  }
  return require(COMPILED);
}

const { extractAll, defaultBundle, placeholders } = loadExtractor();
const result = extractAll(ROOT);
if (result.errors.length) {
  console.error(`[l10n] ${result.errors.length} problem(s):\n  ${result.errors.join('\n  ')}`);
  process.exit(1);
}

const bundle = defaultBundle(result.keys);
const text = `${JSON.stringify(bundle, null, 2)}\n`;
const current = existsSync(BUNDLE) ? readFileSync(BUNDLE, 'utf8') : '';
if (current === text) {
  console.log(`[l10n] ${path.relative(ROOT, BUNDLE)} is up to date (${result.keys.length} strings)`);
} else if (check) {
  console.error(`[l10n] ${path.relative(ROOT, BUNDLE)} is out of date: run npm run l10n`);
  process.exitCode = 1;
} else {
  mkdirSync(path.dirname(BUNDLE), { recursive: true });
  writeFileSync(BUNDLE, text);
  console.log(`[l10n] wrote ${path.relative(ROOT, BUNDLE)} (${result.keys.length} strings)`);
}

// Every translated bundle next to it: what is missing, what is stale, which placeholders differ.
const dir = path.dirname(BUNDLE);
for (const name of ['bundle.l10n.ko.json']) {
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    console.error(`[l10n] ${name} is missing`);
    process.exitCode = 1;
    continue;
  }
  const translated = JSON.parse(readFileSync(file, 'utf8'));
  const missing = result.keys.filter((k) => typeof translated[k] !== 'string' || !translated[k]);
  const stale = Object.keys(translated).filter((k) => !(k in bundle));
  const mismatched = result.keys.filter(
    (k) => typeof translated[k] === 'string' && placeholders(k).join() !== placeholders(translated[k]).join(),
  );
  if (missing.length) console.error(`[l10n] ${name} lacks ${missing.length}:\n  ${missing.map((k) => JSON.stringify(k)).join('\n  ')}`);
  if (mismatched.length) console.error(`[l10n] ${name} has other placeholders for:\n  ${mismatched.map((k) => JSON.stringify(k)).join('\n  ')}`);
  if (stale.length) console.log(`[l10n] ${name} has ${stale.length} key(s) no longer used:\n  ${stale.map((k) => JSON.stringify(k)).join('\n  ')}`);
  if (missing.length || mismatched.length) process.exitCode = 1;
  else console.log(`[l10n] ${name}: all ${result.keys.length} strings translated`);
}
