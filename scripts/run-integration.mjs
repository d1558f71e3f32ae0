// Runs the in-host integration suite (test/integration, compiled to out/test/integration) inside the real
// VS Code extension host: the VS Code server bundled with code-server, started with the smoke-test driver,
// opened in headless Chromium with a `payload` that sets extensionDevelopmentPath/extensionTestsPath.
// The Apiframe simulator runs in this process; its URL reaches the suite through a config file.
//
// CLI:     node scripts/run-integration.mjs [--vscode oldest|newest] [--no-build] [--grep <pattern>] [--summary <file.json>]
// Library: const { passed, failed } = await runIntegration({ build: true, vscodeRole: 'newest' });
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureVsCode } from './setup-vscode.mjs';
import {
  ROOT,
  cleanupAll,
  copyWorkspace,
  launchBrowser,
  outputDirFor,
  startSimulator,
  startTestServer,
} from './vscode-harness.mjs';

const log = (msg) => console.log(`[integration] ${msg}`);
const SUITE_DIR = path.join(ROOT, 'out', 'test', 'integration');
export const CONFIG_FILE = path.join(SUITE_DIR, 'test-config.json'); // fixed location read by test/integration/config.ts

/**
 * @param {{build?: boolean, grep?: string, timeoutMs?: number, timeScale?: number, vscodeRole?: string}} [o]
 * @returns {Promise<{passed: number, failed: number, skipped: number, failures: {title: string, error: string}[], exitCode: number|null, vscodeVersion?: string}>}
 */
export async function runIntegration({ build = true, grep, timeoutMs = 10 * 60_000, timeScale = 0.02, vscodeRole = 'oldest' } = {}) {
  if (build) {
    log('building: node esbuild.js && npx tsc -p .');
    execSync('node esbuild.js', { cwd: ROOT, stdio: 'inherit' });
    execSync('npx tsc -p .', { cwd: ROOT, stdio: 'inherit' });
  }
  const index = path.join(SUITE_DIR, 'index.js');
  if (!existsSync(index)) throw new Error(`${index} not found (did tsc run?)`);

  const vscode = await ensureVsCode(vscodeRole, { quiet: true });
  const outputDir = outputDirFor('integration', vscodeRole);
  mkdirSync(outputDir, { recursive: true });
  const resultFile = path.join(outputDir, 'results.json');
  rmSync(resultFile, { force: true });

  try {
    const sim = await startSimulator({ timeScale });
    log(`simulator at ${sim.url}`);
    const workspacePath = copyWorkspace();
    const config = { simulatorUrl: sim.url, apiKey: 'afk_test_key', timeScale, workspacePath, outputDir, resultFile, ...(grep ? { grep } : {}) };
    writeFileSync(CONFIG_FILE, JSON.stringify(config, null, 2));

    const server = await startTestServer({
      vscode,
      env: { FLUX_STUDIO_TEST_CONFIG: CONFIG_FILE },
      logFile: path.join(outputDir, 'server.log'),
    });
    log(`VS Code server ${vscode.vscodeVersion} at ${server.url}`);

    const hostLines = [];
    const { page } = await launchBrowser({
      chromium: vscode.chromium,
      onConsole: (msg) => {
        const text = msg.text().replace(/^%c\s*\w+\s*color:\s*\S+\s*/, '');
        // The extension host's console is forwarded to the page for extension development sessions.
        if (text.includes('[integration]')) {
          hostLines.push(text);
          if (process.env.FLUX_HARNESS_VERBOSE) console.log(`  host: ${text}`);
        }
      },
    });
    let resolveExit;
    const exit = new Promise((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    const t = Date.now();
    await page.goto(server.payloadUrl({ folder: workspacePath, extensionTestsPath: index }), { waitUntil: 'domcontentloaded' });
    const exitCode = await Promise.race([exit, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    log(`suite finished with exit code ${exitCode} in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    if (!existsSync(resultFile)) {
      const why = exitCode === 'timeout' ? `timed out after ${timeoutMs / 1000} s` : `exit code ${exitCode}`;
      const tail = server.proc.output().slice(-4000);
      return {
        passed: 0,
        failed: 1,
        skipped: 0,
        failures: [{ title: 'integration suite', error: `no result file (${why}). Server log tail:\n${tail}\nHost console:\n${hostLines.join('\n')}` }],
        exitCode: typeof exitCode === 'number' ? exitCode : null,
      };
    }
    const results = JSON.parse(readFileSync(resultFile, 'utf8'));
    if (!results.finished) {
      // Stopped mid-run (time limit or a crashed host): what passed counts, the test under way fails by name.
      const why = exitCode === 'timeout' ? `timed out after ${timeoutMs / 1000} s` : `ended with exit code ${exitCode}`;
      results.failed++;
      results.failures.push({ title: results.running ?? 'integration suite', error: `the suite ${why} before this test finished; the tests after it did not run` });
    }
    for (const test of results.tests) {
      const mark = test.state === 'passed' ? '✓' : test.state === 'failed' ? '✗' : '-';
      console.log(`  ${mark} ${test.title}${test.durationMs != null ? ` (${test.durationMs} ms)` : ''}`);
    }
    for (const f of results.failures) console.log(`\n  FAILED: ${f.title}\n    ${f.error.split('\n').join('\n    ')}`);
    const simStats = typeof sim.stats === 'function' ? await sim.stats() : undefined;
    if (simStats) writeFileSync(path.join(outputDir, 'simulator-stats.json'), JSON.stringify(simStats, null, 2));
    // exit code and the result file must agree; a non-zero exit without failures means the host crashed.
    if (exitCode !== 0 && results.failed === 0) {
      results.failed = 1;
      results.failures.push({ title: 'integration suite', error: `extension host exited with ${exitCode} although no test failed` });
    }
    return { passed: results.passed, failed: results.failed, skipped: results.skipped, failures: results.failures, exitCode, vscodeVersion: vscode.vscodeVersion };
  } finally {
    await cleanupAll();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const summary = opt('--summary');
  const t = Date.now();
  runIntegration({ build: !argv.includes('--no-build'), grep: opt('--grep'), vscodeRole: opt('--vscode') })
    .catch((e) => ({ passed: 0, failed: 1, skipped: 0, failures: [{ title: 'integration runner', error: e?.stack || String(e) }], error: String(e?.message || e) }))
    .then((r) => {
      if (r.error) console.error(`[integration] FAILED to run: ${r.error}`);
      console.log(`[integration] ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      if (summary) writeFileSync(summary, JSON.stringify(r, null, 2));
      process.exit(r.failed > 0 ? 1 : 0);
    });
}
