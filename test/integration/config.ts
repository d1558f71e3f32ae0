// Typed reader of the configuration that scripts/run-integration.mjs writes for the in-host suite.
// The extension host does not get `extensionEnvironment` variables reliably, so the runner writes a JSON file and
// points at it in two ways: the FLUX_STUDIO_TEST_CONFIG environment variable of the VS Code server process
// (inherited by the extension host), and a fixed file next to this module: out/test/integration/test-config.json.
import * as fs from 'fs';
import * as path from 'path';

export interface IntegrationConfig {
  /** Base URL of the Apiframe simulator, e.g. http://127.0.0.1:12345 (control endpoints under /__sim/). */
  simulatorUrl: string;
  /** API key the simulator accepts. */
  apiKey: string;
  /** Simulator time scale (0.02 = jobs finish 50× faster than the real service). */
  timeScale: number;
  /** Absolute path of the workspace folder the tests run in (a fresh copy of test/fixtures/workspace). */
  workspacePath: string;
  /** Folder for screenshots, logs and other artefacts of the suite. */
  outputDir: string;
  /** Where index.ts writes the JSON results read by the runner. */
  resultFile: string;
  /** Optional mocha grep pattern. */
  grep?: string;
}

export const CONFIG_FILE_NAME = 'test-config.json';

let cached: IntegrationConfig | undefined;

export function configPath(): string {
  return process.env.FLUX_STUDIO_TEST_CONFIG || path.join(__dirname, CONFIG_FILE_NAME);
}

/** Reads (once) and validates the config. Throws a clear error when the suite was started without a runner. */
export function loadConfig(): IntegrationConfig {
  if (cached) return cached;
  const file = configPath();
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`integration config ${file} is missing or invalid (run the suite with scripts/run-integration.mjs): ${String(e)}`);
  }
  const c = raw as Partial<IntegrationConfig>;
  for (const key of ['simulatorUrl', 'apiKey', 'workspacePath', 'outputDir', 'resultFile'] as const) {
    if (typeof c[key] !== 'string') throw new Error(`integration config ${file}: "${key}" must be a string`);
  }
  if (typeof c.timeScale !== 'number') throw new Error(`integration config ${file}: "timeScale" must be a number`);
  cached = c as IntegrationConfig;
  return cached;
}
