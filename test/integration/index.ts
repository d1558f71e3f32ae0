// Entry point of the in-host integration suite (`extensionTestsPath`): VS Code calls run() inside the real
// extension host. Loads every out/test/integration/**/*.test.js with mocha 11 (mocha 12 is ESM-only and cannot
// be required here), logs each test to the console and writes a JSON result file for the runner, because the
// host's console output does not necessarily reach whoever started the server.
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');
import { configPath, loadConfig } from './config';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface IntegrationResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: TestOutcome[];
  failures: { title: string; error: string }[];
}

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

function resultFile(): string {
  try {
    return loadConfig().resultFile;
  } catch {
    return path.join(__dirname, 'results.json');
  }
}

function writeResults(results: IntegrationResults): void {
  const file = resultFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
}

export async function run(): Promise<void> {
  const started = Date.now();
  const results: IntegrationResults = { passed: 0, failed: 0, pending: 0, durationMs: 0, tests: [], failures: [] };
  let grep: string | undefined;
  try {
    grep = loadConfig().grep;
    console.log(`[integration] config: ${configPath()} (${process.env.FLUX_STUDIO_TEST_CONFIG ? 'from FLUX_STUDIO_TEST_CONFIG' : 'fixed path'})`);
  } catch (e) {
    console.error(`[integration] ${String(e)}`);
  }
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of findTests(__dirname)) mocha.addFile(file);

  try {
    await new Promise<void>((resolve, reject) => {
      let runner: Mocha.Runner;
      try {
        runner = mocha.run(() => resolve());
      } catch (e) {
        reject(e);
        return;
      }
      runner.on('pass', (test) => {
        results.passed++;
        results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
        console.log(`[integration] ✓ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
      });
      runner.on('fail', (test, err: Error) => {
        results.failed++;
        const error = err?.stack || String(err);
        results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error });
        results.failures.push({ title: test.fullTitle(), error });
        console.log(`[integration] ✗ ${test.fullTitle()}\n${error}`);
      });
      runner.on('pending', (test) => {
        results.pending++;
        results.tests.push({ title: test.fullTitle(), state: 'pending' });
        console.log(`[integration] - ${test.fullTitle()} (pending)`);
      });
    });
  } catch (e) {
    // Loading a test file threw (syntax error, missing module …): count it as a failure.
    const error = (e as Error)?.stack || String(e);
    results.failed++;
    results.failures.push({ title: 'loading the integration suite', error });
  }
  results.durationMs = Date.now() - started;
  writeResults(results);
  console.log(`[integration] ${results.passed} passed, ${results.failed} failed, ${results.pending} pending`);
  if (results.failed > 0) throw new Error(`${results.failed} integration test(s) failed`);
}
