// Bundles the extension (Node, CommonJS), the image codecs (Node, CommonJS, loaded on the first insert
// that resizes), the gallery webview and the Illustrate plan page (browser, IIFE) separately, minified with source maps.
// `--watch` rebuilds on change.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = { bundle: true, minify: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };

/**
 * node-fetch 2 only falls back to `whatwg-url` when Node has no global URL (Node < 10); bundling it
 * would add ~280 KB of Unicode tables to the extension, so it resolves to Node's own URL instead.
 */
const nodeUrlShim = {
  name: 'node-url-shim',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'node-url-shim' }));
    build.onLoad({ filter: /.*/, namespace: 'node-url-shim' }, () => ({ contents: 'module.exports = { URL };', loader: 'js' }));
  },
};

/**
 * markdown-it and parse5 each bring their own copy of `entities` (the HTML character reference
 * tables, ~70 KB each): markdown-it's one function (`decodeHTMLStrict`) comes from parse5's copy. And
 * linkify-it is left out: the reader turns linkify off (src/insert/languages/parsedMarkdown.ts).
 */
const trimMarkdownIt = {
  name: 'trim-markdown-it',
  setup(build) {
    const parse5Entities = path.join(__dirname, 'node_modules', 'parse5', 'node_modules', 'entities', 'dist', 'decode.js');
    build.onResolve({ filter: /^entities$/ }, (args) => (/[\\/]markdown-it[\\/]/.test(args.importer) && fs.existsSync(parse5Entities) ? { path: parse5Entities } : undefined));
    build.onResolve({ filter: /^linkify-it$/ }, () => ({ path: 'linkify-it', namespace: 'trim-markdown-it' }));
    build.onLoad({ filter: /.*/, namespace: 'trim-markdown-it' }, () => ({ contents: 'export class LinkifyIt {}', loader: 'js' }));
  },
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // Prefer ES module builds: jsonc-parser's UMD build requires its parts dynamically, which a bundle cannot follow.
    mainFields: ['module', 'main'],
    plugins: [nodeUrlShim, trimMarkdownIt],
  },
  {
    ...common,
    entryPoints: ['src/insert/docImage/codecs.ts'],
    outfile: 'dist/codecs.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The Emscripten glue builds its wasm file's URL from import.meta.url (then never fetches it: loadCodecs
    // hands it the compiled module); a CommonJS bundle has no import.meta, so it gets this file's URL.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: 'const importMetaUrl = require("url").pathToFileURL(__filename).href;' },
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
  {
    ...common,
    entryPoints: ['src/webview/plan/main.ts'],
    outfile: 'dist/plan.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
];

/** The gallery uses codicons; ship only the font and its stylesheet. */
function copyCodicons() {
  const from = path.join(__dirname, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join(__dirname, 'dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, file), path.join(to, file));
}

/** The codecs' wasm files, listed in src/insert/docImage/wasmFiles.ts (its quoted `….wasm` paths). */
function copyWasm() {
  const list = fs.readFileSync(path.join(__dirname, 'src', 'insert', 'docImage', 'wasmFiles.ts'), 'utf8');
  const files = [...list.matchAll(/'(@jsquash\/[^']+\.wasm)'/g)].map((match) => match[1]);
  if (files.length === 0) throw new Error('no wasm files listed in src/insert/docImage/wasmFiles.ts');
  const to = path.join(__dirname, 'dist', 'codecs');
  fs.rmSync(to, { recursive: true, force: true }); // a codec no longer listed must not stay in the .vsix
  fs.mkdirSync(to, { recursive: true });
  for (const file of files) fs.copyFileSync(path.join(__dirname, 'node_modules', file), path.join(to, path.basename(file)));
}

async function main() {
  copyCodicons();
  copyWasm();
  if (watch) {
    for (const options of targets) await (await esbuild.context(options)).watch();
    return;
  }
  await Promise.all(targets.map((options) => esbuild.build(options)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
