// Entry point of the in-host integration suite (`extensionTestsPath`): VS Code calls run() inside the real
// extension host. Loads every out/test/integration/**/*.test.js with mocha 11 (mocha 12 is ESM-only and cannot
// be required here) and reports through scripts/mocha-summary-reporter.cjs, which writes the JSON result file
// for the runner (the host's console output does not necessarily reach whoever started the server) and counts
// a test that skips itself while running as a failure.
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');
import { configPath, loadConfig } from './config';

const ROOT = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS test tooling, shared with the unit layer
const SummaryReporter: typeof Mocha.reporters.Base = require(path.join(ROOT, 'scripts', 'mocha-summary-reporter.cjs'));

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  error?: string;
}

export interface IntegrationResults {
  passed: number;
  failed: number;
  skipped: number;
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

export async function run(): Promise<void> {
  let grep: string | undefined;
  try {
    grep = loadConfig().grep;
    console.log(`[integration] config: ${configPath()} (${process.env.FLUX_STUDIO_TEST_CONFIG ? 'from FLUX_STUDIO_TEST_CONFIG' : 'fixed path'})`);
  } catch (e) {
    console.error(`[integration] ${String(e)}`);
  }
  const file = resultFile();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: SummaryReporter, reporterOptions: { summary: file }, ...(grep ? { grep } : {}) });
  for (const test of findTests(__dirname)) mocha.addFile(test);

  try {
    await new Promise<void>((resolve) => mocha.run(() => resolve()));
  } catch (e) {
    // Loading a test file threw (syntax error, missing module …): count it as a failure.
    const error = (e as Error)?.stack || String(e);
    const results: IntegrationResults = { passed: 0, failed: 1, skipped: 0, durationMs: 0, tests: [], failures: [{ title: 'loading the integration suite', error }] };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(results, null, 2));
  }
  const results = JSON.parse(fs.readFileSync(file, 'utf8')) as IntegrationResults;
  console.log(`[integration] ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
  if (results.failed > 0) throw new Error(`${results.failed} integration test(s) failed`);
}
