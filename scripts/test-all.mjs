// `npm test` (after scripts/bootstrap.mjs): every test layer, each timed and counted, then one final line
// "N passed, N failed". Exit code is non-zero when anything failed. A layer that cannot run on this system is
// reported as FAILED with the reason — never skipped silently.
//
// Layers: build (esbuild, tsc, webview tsc — a failed step counts as one failure), unit (mocha), real VS Code
// setup (code-server), integration (in-host mocha suite), e2e (Playwright scenarios).
// Options: --skip-vscode (unit only; reported as FAILED layers, for quick local runs), FLUX_LAYER_TIMEOUT_MS.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'test-output');
const LAYER_TIMEOUT_MS = Number(process.env.FLUX_LAYER_TIMEOUT_MS) || 10 * 60_000;
const argv = process.argv.slice(2);

/** @type {{name: string, passed: number, failed: number, seconds: number, note?: string}[]} */
const layers = [];
const banner = (s) => console.log(`\n━━━ ${s} ${'━'.repeat(Math.max(3, 70 - s.length))}`);

/** Runs a command with inherited stdio (or captured + echoed), with a timeout. Resolves {code, output}. */
function run(cmd, args, { capture = false, timeoutMs = LAYER_TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: process.env });
    let output = '';
    if (capture) {
      child.stdout.on('data', (d) => (process.stdout.write(d), (output += d)));
      child.stderr.on('data', (d) => (process.stderr.write(d), (output += d)));
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM'); // the runners' harness kills their servers on SIGTERM
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, output: String(e), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), output, timedOut });
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
  const entry = { name, passed: r.passed ?? 0, failed: r.failed ?? 0, seconds: (Date.now() - t) / 1000, note: oneLine(r.note) };
  layers.push(entry);
  console.log(`[test-all] ${name}: ${entry.passed} passed, ${entry.failed} failed (${entry.seconds.toFixed(1)} s)${entry.note ? ` — ${entry.note}` : ''}`);
  return entry;
}

/** First meaningful line of a note, for the summary table. */
function oneLine(note) {
  if (!note) return note;
  const lines = String(note).split('\n').map((l) => l.trim()).filter(Boolean);
  const text = lines.length > 1 && /:$/.test(lines[0]) ? `${lines[0]} ${lines[1]}` : lines[0] ?? '';
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function findTests(dir, suffix) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(full, suffix));
    else if (e.name.endsWith(suffix)) out.push(full);
  }
  return out;
}

/** Runs one of the real-VS-Code runners as a child process and reads its summary file. */
async function runRunner(script, summaryName) {
  const summary = path.join(OUT, summaryName);
  mkdirSync(OUT, { recursive: true });
  rmSync(summary, { force: true });
  const { code, timedOut } = await run(process.execPath, [path.join('scripts', script), '--no-build', '--summary', summary]);
  if (!existsSync(summary)) {
    return { passed: 0, failed: 1, note: `FAILED: ${script} ${timedOut ? `timed out after ${LAYER_TIMEOUT_MS / 1000} s` : `exited with ${code}`} without a summary` };
  }
  const s = JSON.parse(readFileSync(summary, 'utf8'));
  const note = s.error ? `FAILED: ${s.error}` : timedOut ? 'FAILED: timed out' : code !== 0 && !s.failed ? `FAILED: exit code ${code}` : undefined;
  return { passed: s.passed, failed: s.failed || (code !== 0 ? 1 : 0), note };
}

async function main() {
  const started = Date.now();

  await layer('build', async () => {
    const steps = [
      ['node esbuild.js', process.execPath, ['esbuild.js']],
      ['tsc -p .', 'npx', ['tsc', '-p', '.']],
      ['tsc -p src/webview', 'npx', ['tsc', '-p', 'src/webview']],
    ];
    const failedSteps = [];
    for (const [label, cmd, args] of steps) {
      console.log(`[test-all] ${label}`);
      const { code } = await run(cmd, args, { timeoutMs: 5 * 60_000 });
      if (code !== 0) failedSteps.push(label);
    }
    // Build steps are not counted as tests; each failed step counts as one failure.
    return { passed: 0, failed: failedSteps.length, note: failedSteps.length ? `FAILED: ${failedSteps.join(', ')}` : 'ok (not counted)' };
  });

  await layer('unit', async () => {
    const files = findTests(path.join(ROOT, 'out', 'test', 'unit'), '.test.js');
    if (files.length === 0) return { passed: 0, failed: 0, note: 'no unit tests found in out/test/unit' };
    const { code, output, timedOut } = await run('npx', ['mocha', '--reporter', 'spec', '--color', '--exit', 'out/test/unit/**/*.test.js'], { capture: true });
    const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
    const num = (re) => Number(re.exec(plain)?.[1] ?? 0);
    const passed = num(/^\s*(\d+) passing/m);
    const failed = num(/^\s*(\d+) failing/m);
    const pending = num(/^\s*(\d+) pending/m);
    if (timedOut) return { passed, failed: failed + 1, note: `FAILED: timed out after ${LAYER_TIMEOUT_MS / 1000} s` };
    if (code !== 0 && failed === 0) return { passed, failed: 1, note: `FAILED: mocha exited with ${code} (crash or load error)` };
    return { passed, failed, note: pending ? `${pending} pending` : undefined };
  });

  if (argv.includes('--skip-vscode')) {
    for (const name of ['real VS Code setup', 'integration (in-host)', 'e2e (Playwright)']) {
      layers.push({ name, passed: 0, failed: 1, seconds: 0, note: 'FAILED: not run (--skip-vscode)' });
    }
  } else {
    const setup = await layer('real VS Code setup', async () => {
      const { code } = await run(process.execPath, ['scripts/setup-vscode.mjs'], { timeoutMs: 15 * 60_000 });
      return code === 0 ? { passed: 0, failed: 0, note: 'ok (not counted)' } : { passed: 0, failed: 1, note: `FAILED: setup-vscode exited with ${code}` };
    });
    if (setup.failed) {
      for (const name of ['integration (in-host)', 'e2e (Playwright)']) {
        layers.push({ name, passed: 0, failed: 1, seconds: 0, note: 'FAILED: cannot run — real VS Code setup failed (see above)' });
      }
    } else {
      await layer('integration (in-host)', () => runRunner('run-integration.mjs', 'integration-summary.json'));
      await layer('e2e (Playwright)', () => runRunner('run-e2e.mjs', 'e2e-summary.json'));
    }
  }

  banner('summary');
  for (const l of layers) {
    console.log(`  ${l.failed ? '✗' : '✓'} ${l.name.padEnd(24)} ${String(l.passed).padStart(4)} passed ${String(l.failed).padStart(3)} failed ${l.seconds.toFixed(1).padStart(7)} s${l.note ? `  ${l.note}` : ''}`);
  }
  console.log(`  total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const passed = layers.reduce((a, l) => a + l.passed, 0);
  const failed = layers.reduce((a, l) => a + l.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
