// `npm start`: the whole product on this machine, against the local Apiframe simulator. Builds and
// packages the extension, installs it into code-server (set up on first run), starts the simulator
// and code-server on a sample workspace, and prints the URL to open. State (key, gallery, workspace)
// persists in .cache/start between runs. Ctrl+C stops everything.
// `npm start -- --vscode newest` runs the newest tested VS Code instead of the oldest.
import { execSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageVsix } from './run-e2e.mjs';
import { ensureVsCode } from './setup-vscode.mjs';
import * as h from './vscode-harness.mjs';

const { ROOT } = h;
const home = path.join(ROOT, '.cache', 'start');
const simulatorPort = Number(process.env.SIM_PORT ?? 4455);
const timeScale = Number(process.env.SIM_TIME_SCALE ?? 0.3);
const log = (message) => console.log(`[start] ${message}`);
const vscodeRole = process.argv.includes('--vscode') ? process.argv[process.argv.indexOf('--vscode') + 1] : 'oldest';

log('building the extension and the simulator …');
execSync('node esbuild.js', { cwd: ROOT, stdio: 'inherit' });
execSync('npx tsc -p .', { cwd: ROOT, stdio: 'inherit' });

const vscode = await ensureVsCode(vscodeRole);
mkdirSync(home, { recursive: true });
const vsix = packageVsix(home);
const extensionsDir = path.join(home, 'extensions');
await h.installVsix(vscode, vsix, extensionsDir);
log(`installed ${path.relative(ROOT, vsix)} into code-server ${vscode.codeServerVersion} (VS Code ${vscode.vscodeVersion})`);

const simulator = await h.startSimulator({ port: simulatorPort, timeScale });
log(`Apiframe simulator on ${simulator.url} (generation time × ${timeScale})`);

const workspace = path.join(home, 'workspace');
if (!existsSync(workspace)) cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
const userDataDir = path.join(home, 'user-data');
mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
writeFileSync(
  path.join(userDataDir, 'User', 'settings.json'),
  JSON.stringify({ ...h.BASE_SETTINGS, ...vscode.settings, 'fluxStudio.apiBaseUrl': simulator.url }, null, 2),
);

const server = await h.startCodeServer({ vscode, workspace, extensionsDir, userDataDir });
console.log(`
  Flux Studio is running in VS Code (code-server ${vscode.codeServerVersion}):

      ${server.workbenchUrl}

  1. Open the URL in a browser, open doc.md, select the paragraph.
  2. Right-click → "Generate Image from Selection".
  3. When asked for the API key, use the simulator's key:  afk_test_key

  The extension talks to the local Apiframe simulator (${simulator.url}), never the real service.
  Press Ctrl+C to stop.
`);

// The harness stops code-server and the simulator on Ctrl+C (SIGINT) and SIGTERM.
await new Promise(() => undefined);
