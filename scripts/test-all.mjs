// `npm test` (after scripts/bootstrap.mjs): every test layer, each timed and counted, then one final line
// "N passed, N failed, N skipped". Exit code is non-zero when anything failed. A layer that cannot run on this
// system is reported as FAILED with the reason — never skipped silently.
//
// Layers: system packages (Debian packages every later layer needs, installed first), build (esbuild, tsc, webview tsc, .vsix — a failed step counts as one failure), unit (mocha), then
// for every tested VS Code version (scripts/setup-vscode.mjs, VSCODE_VERSIONS): its setup, the in-host
// integration suite, and the e2e scenarios marked for it (all of them on the oldest, the core flow on the newest).
// Skipped = declared skips (it.skip …); a test that skips itself at run time counts as failed (see
// scripts/mocha-summary-reporter.cjs).
// Options: --skip-vscode (unit only; reported as FAILED layers, for quick local runs), FLUX_LAYER_TIMEOUT_MS.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APT_PACKAGES, VERSION_ROLES, VSCODE_VERSIONS, ensureAptPackages, ensureVsCode } from './setup-vscode.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'test-output');
const VSIX = path.join(OUT, 'flux-studio.vsix');
// Sized from a run on a loaded 2-core machine (a second CPU-bound job beside it): the e2e layer on the oldest
// VS Code, the longest, took 843 s there against about 690 s alone. See CONTRIBUTING.md (CI: times and load).
const LAYER_TIMEOUT_MS = Number(process.env.FLUX_LAYER_TIMEOUT_MS) || 20 * 60_000;
const argv = process.argv.slice(2);

/** @type {{name: string, passed: number, failed: number, skipped: number, seconds: number, note?: string}[]} */
const layers = [];
const banner = (s) => console.log(`\n━━━ ${s} ${'━'.repeat(Math.max(3, 70 - s.length))}`);

/** Runs a command with inherited stdio, with a timeout. Resolves {code, timedOut}. */
function run(cmd, args, { timeoutMs = LAYER_TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM'); // the runners' harness kills their servers on SIGTERM
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ code: 127, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), timedOut });
    });
  });
}

async function layer(name, fn) {
  banner(name);
  const t = Date.now();
  let r;
  try {
    r = await fn();
  } catch (e) {
    r = { passed: 0, failed: 1, note: `FAILED: ${e?.message || e}` };
  }
  const entry = { name, passed: r.passed ?? 0, failed: r.failed ?? 0, skipped: r.skipped ?? 0, retries: r.retries ?? 0, seconds: (Date.now() - t) / 1000, note: oneLine(r.note), failures: r.failures, retried: r.retried };
  layers.push(entry);
  console.log(`[test-all] ${name}: ${counts(entry)} (${entry.seconds.toFixed(1)} s)${r.note ? ` — ${r.note}` : ''}`);
  return entry;
}

const counts = (c) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

/** A layer that could not run: one failure, with the reason. */
function cannotRun(name, reason) {
  layers.push({ name, passed: 0, failed: 1, skipped: 0, retries: 0, seconds: 0, note: `FAILED: cannot run — ${reason}` });
}

/** First meaningful line of a note, for the summary table. */
function oneLine(note) {
  if (!note) return note;
  const lines = String(note).split('\n').map((l) => l.trim()).filter(Boolean);
  const text = lines.length > 1 && /:$/.test(lines[0]) ? `${lines[0]} ${lines[1]}` : lines[0] ?? '';
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** Runs a child that writes a JSON summary {passed, failed, skipped, error?}, and reads it. */
async function runWithSummary(args, summaryName) {
  const summary = path.join(OUT, summaryName);
  mkdirSync(OUT, { recursive: true });
  rmSync(summary, { force: true });
  const [cmd, ...rest] = args;
  const { code, timedOut } = await run(cmd, rest);
  if (!existsSync(summary)) {
    return { passed: 0, failed: 1, note: `FAILED: ${rest.join(' ')} ${timedOut ? `timed out after ${LAYER_TIMEOUT_MS / 1000} s` : `exited with ${code}`} without a summary` };
  }
  const s = JSON.parse(readFileSync(summary, 'utf8'));
  // A runner stopped at the time limit leaves its progress: what passed counts, what did not finish fails by name.
  const unfinished = timedOut ? (s.unfinished ?? []) : [];
  const failed = s.failed + unfinished.length || (code !== 0 ? 1 : 0);
  const note = s.error
    ? `FAILED: ${s.error}`
    : timedOut
      ? `FAILED: timed out after ${LAYER_TIMEOUT_MS / 1000} s${unfinished.length ? `; did not finish: ${unfinished.join('; ')}` : ''}`
      : code !== 0 && !s.failed
        ? `FAILED: exit code ${code}`
        : undefined;
  const failures = [...(s.failures ?? []).map((f) => `${f.title}: ${firstLines(f.error, 4)}`), ...unfinished.map((t) => `${t}: did not finish`)];
  return { passed: s.passed, failed, skipped: s.skipped ?? 0, retries: s.retries?.length ?? 0, retried: s.retries ?? [], failures, note };
}

/** The first lines of an error, indented, so a log that keeps only its tail still names the cause. */
const firstLines = (text, count) =>
  String(text ?? '').split('\n').slice(0, count).map((l) => (l.length > 300 ? `${l.slice(0, 299)}…` : l)).join('\n      ');

/** One of the real-VS-Code runners on one version. */
const runRunner = (script, role, extra = []) =>
  runWithSummary([process.execPath, path.join('scripts', script), '--no-build', '--vscode', role, ...extra, '--summary', path.join(OUT, `${script}-${role}.json`)], `${script}-${role}.json`);

async function build() {
  const steps = [
    ['node esbuild.js', process.execPath, ['esbuild.js']],
    ['tsc -p .', 'npx', ['tsc', '-p', '.']],
    ['tsc -p src/webview', 'npx', ['tsc', '-p', 'src/webview']],
    ['package .vsix', process.execPath, ['scripts/package-vsix.mjs', '--out', VSIX]],
  ];
  const failedSteps = [];
  for (const [label, cmd, args] of steps) {
    console.log(`[test-all] ${label}`);
    const { code } = await run(cmd, args, { timeoutMs: 5 * 60_000 });
    if (code !== 0) failedSteps.push(label);
  }
  // Build steps are not counted as tests; each failed step counts as one failure.
  return { failed: failedSteps.length, note: failedSteps.length ? `FAILED: ${failedSteps.join(', ')}` : 'ok (not counted)' };
}

/** Setup, in-host suite and e2e on one VS Code version; each layer's line names the version. */
async function onVersion(role) {
  const { codeServer } = VSCODE_VERSIONS[role];
  let vscode;
  const setup = await layer(`setup ${role} (code-server ${codeServer})`, async () => {
    vscode = await ensureVsCode(role);
    return { note: `ok: VS Code ${vscode.vscodeVersion} (not counted)` };
  });
  const label = `VS Code ${vscode?.vscodeVersion ?? `of code-server ${codeServer}`} (${role})`;
  if (setup.failed) {
    for (const kind of ['integration', 'e2e']) cannotRun(`${kind} · ${label}`, 'its setup failed (see above)');
    return;
  }
  await layer(`integration · ${label}`, () => runRunner('run-integration.mjs', role));
  if (!existsSync(VSIX)) return cannotRun(`e2e · ${label}`, 'the .vsix was not built (see build)');
  await layer(`e2e · ${label}`, () => runRunner('run-e2e.mjs', role, ['--vsix', VSIX]));
}

async function main() {
  const started = Date.now();
  rmSync(VSIX, { force: true });
  // Before any layer: the unit layer already reads images with exiftool and compiles LaTeX (a fresh machine
  // that installed these only in the VS Code setup failed its unit layer).
  const system = await layer('system packages', () => {
    ensureAptPackages();
    return { note: `ok: ${APT_PACKAGES.length} Debian packages present (not counted)` };
  });
  if (system.failed) console.log('[test-all] system packages are missing: the layers that need them will fail (see above)');
  await layer('build', build);
  await layer('unit', () =>
    runWithSummary(
      ['npx', 'mocha', '--reporter', 'scripts/mocha-summary-reporter.cjs', '--reporter-option', `summary=${path.join(OUT, 'unit-summary.json')}`, '--color', '--exit', 'out/test/unit/**/*.test.js'],
      'unit-summary.json',
    ),
  );

  for (const role of VERSION_ROLES) {
    if (argv.includes('--skip-vscode')) {
      for (const kind of ['integration', 'e2e']) cannotRun(`${kind} · ${role}`, 'not run (--skip-vscode)');
    } else {
      await onVersion(role);
    }
  }

  banner('summary');
  const width = Math.max(...layers.map((l) => l.name.length));
  for (const l of layers) {
    const n = (v) => String(v).padStart(4);
    console.log(
      `  ${l.failed ? '✗' : '✓'} ${l.name.padEnd(width)} ${n(l.passed)} passed ${n(l.failed)} failed ${n(l.skipped)} skipped ${n(l.retries)} retries ${l.seconds.toFixed(1).padStart(7)} s${l.note ? `  ${l.note}` : ''}`,
    );
  }
  // CI shows only the log's tail: name what failed and what was retried here, under the table.
  for (const l of layers) {
    for (const f of l.failures ?? []) console.log(`  ✗ ${l.name} — ${f}`);
    for (const r of l.retried ?? []) console.log(`  ↻ ${l.name} — retried: ${oneLine(r)}`);
  }
  const sum = (key) => layers.reduce((a, l) => a + l[key], 0);
  console.log(`  total time ${((Date.now() - started) / 1000).toFixed(1)} s · retries: ${sum('retries')} (repeated user steps in the e2e harness, each named in its layer's log)`);
  console.log(counts({ passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped') }));
  process.exitCode = sum('failed') > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exitCode = 1;
});
