// `npm run test:electron`: the same in-host suite as `npm test`'s integration layer, but through
// @vscode/test-electron's runTests, which downloads desktop VS Code from update.code.visualstudio.com.
// On machines without internet access (like the CI machines of this project) the download fails; then this
// says so clearly and exits non-zero. `npm test` runs the very same suite through the VS Code server
// bundled with code-server (scripts/run-integration.mjs), which works offline.
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, cleanupAll, copyWorkspace, startSimulator, OUTPUT_DIR } from './vscode-harness.mjs';
import { CONFIG_FILE } from './run-integration.mjs';
import { VSCODE_VERSIONS } from './setup-vscode.mjs';

const log = (m) => console.log(`[test:electron] ${m}`);
const DOWNLOAD_TIMEOUT_MS = 120_000;

async function main() {
  log('building: node esbuild.js && npx tsc -p .');
  execSync('node esbuild.js', { cwd: ROOT, stdio: 'inherit' });
  execSync('npx tsc -p .', { cwd: ROOT, stdio: 'inherit' });

  const { runTests } = await import('@vscode/test-electron');
  const outputDir = path.join(OUTPUT_DIR, 'integration-electron');
  mkdirSync(outputDir, { recursive: true });
  const resultFile = path.join(outputDir, 'results.json');
  rmSync(resultFile, { force: true });
  const timeScale = 0.02;
  const sim = await startSimulator({ timeScale });
  const workspacePath = copyWorkspace();
  writeFileSync(CONFIG_FILE, JSON.stringify({ simulatorUrl: sim.url, apiKey: 'afk_test_key', timeScale, workspacePath, outputDir, resultFile }, null, 2));

  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const version = pkg.engines.vscode.replace(/^[^\d]*/, ''); // oldest supported, e.g. 1.100.0
  log(`downloading desktop VS Code ${version} with @vscode/test-electron (needs internet access) …`);
  let code;
  try {
    code = await Promise.race([
      runTests({
        version,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index.js'),
        extensionTestsEnv: { FLUX_STUDIO_TEST_CONFIG: CONFIG_FILE },
        launchArgs: [workspacePath, '--disable-extensions', '--disable-workspace-trust'],
      }),
      new Promise((_, rej) => setTimeout(() => rej(new Error(`no result after ${DOWNLOAD_TIMEOUT_MS / 1000} s`)), DOWNLOAD_TIMEOUT_MS).unref()),
    ]);
  } catch (e) {
    const msg = String(e?.message || e);
    if (!existsSync(resultFile)) {
      console.error(
        `\n[test:electron] FAILED: could not run desktop VS Code through @vscode/test-electron: ${msg}\n` +
          `  @vscode/test-electron downloads VS Code from https://update.code.visualstudio.com, which is not reachable\n` +
          `  from this machine (no internet access except the npm registry and Debian apt).\n` +
          `  \`npm test\` runs the same in-host suite (out/test/integration/index.js) in the real extension host of the\n` +
          `  VS Code servers bundled with code-server ${Object.values(VSCODE_VERSIONS).map((v) => v.codeServer).join(' and ')}: node scripts/run-integration.mjs\n`,
      );
      return 1;
    }
    code = 1;
  }
  if (existsSync(resultFile)) {
    const r = JSON.parse(readFileSync(resultFile, 'utf8'));
    for (const f of r.failures) console.log(`  FAILED: ${f.title}\n    ${f.error}`);
    console.log(`[test:electron] ${r.passed} passed, ${r.failed} failed`);
    return r.failed > 0 || code !== 0 ? 1 : 0;
  }
  return code === 0 ? 0 : 1;
}

main()
  .catch((e) => {
    console.error(`[test:electron] FAILED: ${e?.stack || e}`);
    return 1;
  })
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  });
