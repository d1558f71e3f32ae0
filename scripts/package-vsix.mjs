// Packages the extension with vsce — the one place that knows how (`npm run package`, the e2e runner,
// `npm start` and the packaging unit test all come here).
//
// The README in the package is not README.md as is: VS Code's extension details page loads README images
// only from `https:` (CSP) — and up to at least 1.100 from `data:` URIs — never from files inside the
// extension, and this project has no public https home to point at. So the packaged README
// (dist/README.md) carries each screenshot of README.md as a small WebP `data:` URI, and vsce is told
// not to rewrite relative links into a repository URL (there is none; package.json names none).
//
// CLI: node scripts/package-vsix.mjs [--out <file.vsix>] [--ls]   (--ls: list the files instead)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGED_README = path.join('dist', 'README.md');
const LS_FLAGS = ['--no-dependencies', '--readme-path', PACKAGED_README];
const PACKAGE_FLAGS = [...LS_FLAGS, '--no-rewrite-relative-links', '--allow-missing-repository'];
// Wide enough to read in the details page (≈ 900 px), small enough to keep the package light.
const SCREENSHOT_WIDTH = 800;
const WEBP_QUALITY = 60;
const SCREENSHOT_LINK = /(!\[[^\]]*\]\()(docs\/screenshots\/[^)\s]+\.png)\)/g;

/** README.md with every docs/screenshots/*.png image turned into a WebP data: URI; writes dist/README.md. */
async function writePackagedReadme() {
  const { default: sharp } = await import('sharp');
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const images = new Map();
  for (const [, , file] of readme.matchAll(SCREENSHOT_LINK)) {
    if (images.has(file)) continue;
    const webp = await sharp(path.join(ROOT, file)).resize({ width: SCREENSHOT_WIDTH, withoutEnlargement: true }).webp({ quality: WEBP_QUALITY }).toBuffer();
    images.set(file, `data:image/webp;base64,${webp.toString('base64')}`);
  }
  const out = path.join(ROOT, PACKAGED_README);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, readme.replace(SCREENSHOT_LINK, (_, start, file) => `${start}${images.get(file)})`));
}

function vsce(args) {
  try {
    return execFileSync('npx', ['--no-install', 'vsce', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`vsce ${args[0]} failed:\n${(e.stdout || '') + (e.stderr || '') || e.message}`);
  }
}

/** Packages into `out` (the bundles in dist/ must be built); returns the path. */
async function packageVsix(out = path.join(ROOT, 'flux-studio.vsix')) {
  await writePackagedReadme();
  // vsce does not create the folder (on a fresh checkout test-output/ does not exist yet).
  mkdirSync(path.dirname(out), { recursive: true });
  vsce(['package', '--out', out, ...PACKAGE_FLAGS]);
  return out;
}

/** The files vsce would package, relative to the extension folder. */
async function listPackagedFiles() {
  await writePackagedReadme();
  return vsce(['ls', ...LS_FLAGS]).split('\n').map((l) => l.trim()).filter(Boolean);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const out = argv.includes('--out') ? path.resolve(argv[argv.indexOf('--out') + 1]) : undefined;
  (argv.includes('--ls') ? listPackagedFiles().then((files) => files.join('\n')) : packageVsix(out).then((file) => `[package] ${path.relative(ROOT, file)}`))
    .then((message) => console.log(message))
    .catch((e) => {
      console.error(`[package] FAILED: ${e.message}`);
      process.exit(1);
    });
}
