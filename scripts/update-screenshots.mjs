// Copies the README's screenshots from the last end-to-end run (test-output/e2e/*.png) into docs/screenshots/,
// then writes the walkthrough's pictures (small WebP files in media/walkthrough/, shipped in the .vsix) from them.
// `npm run screenshots` runs the e2e scenarios first (--run-e2e), then copies only what that run produced.
//
// CLI: node scripts/update-screenshots.mjs [--run-e2e] [--list]
//   --run-e2e  run `node scripts/run-e2e.mjs` first; files older than that run are not copied
//   --list     print the screenshot names the README may use, one a line, and exit
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import sharp from 'sharp';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FROM = path.join(ROOT, 'test-output', 'e2e');
const TO = path.join(ROOT, 'docs', 'screenshots');
const WALKTHROUGH = path.join(ROOT, 'media', 'walkthrough');

/** The screenshots the README shows (names as the e2e scenarios save them); `korean-*.png` are all taken. */
export const SCREENSHOTS = [
  'set-api-key.png',
  'one-step-progress.png',
  'one-step-markdown.png',
  'one-step-html.png',
  'generate-gallery.png',
  'generate-progress.png',
  'gallery-dark.png',
  'gallery-light.png',
  'gallery-variants.png',
  'gallery-compare.png',
  'gallery-paused.png',
  'chat-flux-confirm.png',
  'chat-flux.png',
  'prompt-enhance-ask.png',
  'inserted-markdown.png',
  'context-menu.png',
  'copy-image-menu.png',
  'dropped-html.png',
  'quick-fix-missing-image.png',
  'quick-fix-generated.png',
  'illustrate-plan.png',
];
export const PATTERNS = [/^korean-[\w-]+\.png$/];

/**
 * The walkthrough's picture per step (and its Korean one, from the Korean e2e where it takes one): WebP at the
 * width of the walkthrough's media column, so the .vsix grows by tens of kilobytes, not megabytes.
 */
export const WALKTHROUGH_PICTURES = {
  'set-api-key.webp': 'set-api-key.png',
  'set-api-key.ko.webp': 'korean-key-box.png',
  'generate.webp': 'one-step-markdown.png',
  'open-gallery.webp': 'gallery-light.png',
  'open-gallery.ko.webp': 'korean-gallery.png',
  'insert.webp': 'inserted-markdown.png',
  'insert.ko.webp': 'korean-inserted-hangul-name.png',
  'more-ways.webp': 'quick-fix-missing-image.png',
};
const WALKTHROUGH_WIDTH = 720;

/** Writes media/walkthrough/*.webp from docs/screenshots/; returns the names written. */
export async function writeWalkthroughPictures({ from = TO, to = WALKTHROUGH } = {}) {
  const written = [];
  for (const [name, source] of Object.entries(WALKTHROUGH_PICTURES)) {
    const file = path.join(from, source);
    if (!existsSync(file)) continue;
    await sharp(file).resize({ width: WALKTHROUGH_WIDTH, withoutEnlargement: true }).webp({ quality: 70 }).toFile(path.join(to, name));
    written.push(name);
  }
  return written;
}

/** The names to copy from `dir`: the fixed list plus every file matching a pattern (FAILED shots never). */
export function wanted(dir = FROM) {
  const present = existsSync(dir) ? readdirSync(dir) : [];
  const matched = present.filter((f) => PATTERNS.some((re) => re.test(f)) && !/-FAILED\.png$/.test(f)).sort();
  return [...SCREENSHOTS, ...matched.filter((f) => !SCREENSHOTS.includes(f))];
}

/** Copies what exists (and, when `since` is given, was written after it). Returns {copied, missing, stale}. */
export function copyScreenshots({ from = FROM, to = TO, since } = {}) {
  const copied = [];
  const missing = [];
  const stale = [];
  mkdirSync(to, { recursive: true });
  for (const name of wanted(from)) {
    const source = path.join(from, name);
    if (!existsSync(source)) {
      missing.push(name);
      continue;
    }
    if (since !== undefined && statSync(source).mtimeMs < since) {
      stale.push(name);
      continue;
    }
    copyFileSync(source, path.join(to, name));
    copied.push(name);
  }
  return { copied, missing, stale };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (argv.includes('--list')) {
    console.log([...SCREENSHOTS, 'korean-*.png'].join('\n'));
    process.exit(0);
  }
  let since;
  let e2eFailed = false;
  if (argv.includes('--run-e2e')) {
    since = Date.now();
    console.log('[screenshots] running the end-to-end scenarios: node scripts/run-e2e.mjs');
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-e2e.mjs')], { cwd: ROOT, stdio: 'inherit' });
    e2eFailed = run.status !== 0;
    if (e2eFailed) console.error(`[screenshots] the e2e run failed (exit ${run.status}); copying the screenshots it did take`);
  }
  const { copied, missing, stale } = copyScreenshots({ since });
  const rel = (p) => path.relative(ROOT, p);
  console.log(`[screenshots] copied ${copied.length} into ${rel(TO)}: ${copied.join(', ') || '(none)'}`);
  if (missing.length) console.log(`[screenshots] not produced by the e2e run: ${missing.join(', ')}`);
  if (stale.length) console.log(`[screenshots] left out (older than this run): ${stale.join(', ')}`);
  const pictures = await writeWalkthroughPictures();
  console.log(`[screenshots] walkthrough pictures written into ${rel(WALKTHROUGH)}: ${pictures.join(', ') || '(none)'}`);
  if (e2eFailed || copied.length === 0) process.exitCode = 1;
}
