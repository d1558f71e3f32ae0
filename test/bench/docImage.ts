// Bench item 7 — the document copy (src/insert/documentCopy.ts): time to resize and re-encode a photo-like
// 2752×1536 JPEG (~2 MB) and PNG (~12 MB) to 1600 px (the default fluxStudio.insert.maxWidth), in the
// original format and as WebP, with the WebAssembly codecs the extension ships; peak memory (rss growth);
// bytes saved. Beside it, the same copy with sharp (native libvips; a dev dependency, not shippable in a
// platform-neutral .vsix) as the reference for what a native binary would buy. Samples alternate.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { loadCodecs, type Codecs } from '../../src/insert/docImage/codecs';
import { WASM_FILES } from '../../src/insert/docImage/wasmFiles';
import { DEFAULT_MAX_WIDTH, DEFAULT_QUALITY, makeDocumentCopy, type DocumentFormat } from '../../src/insert/documentCopy';
import { embedMetadata } from '../../src/metadata';
import type { OutputFormat } from '../../src/shared/options';
import { renderImage } from '../simulator/render';
import { arg, emit, log, median, quantile } from './common';

const SAMPLES = arg('samples', 7);
const NODE_MODULES = path.resolve(__dirname, '..', '..', '..', 'node_modules');

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-doc-copy-'));
  const loadStart = performance.now();
  const codecs = await loadCodecs((file) => path.join(NODE_MODULES, WASM_FILES[file]));
  const loadMs = performance.now() - loadStart;
  const deps = { codecs: async () => codecs, appVersion: 'bench' };
  const results: unknown[] = [];
  try {
    for (const source of ['jpg', 'png'] as const) {
      const bytes = await renderImage({ prompt: 'A basalt lighthouse at dawn', seed: 42, aspectRatio: '16:9', format: source, quality: 90, model: 'flux-1.1-pro-ultra', style: 'photo' });
      const file = path.join(dir, `original.${source}`);
      await fs.writeFile(file, bytes);
      await embedMetadata(file, file, { prompt: 'A basalt lighthouse at dawn', model: 'flux-1.1-pro-ultra', seed: 42, aspectRatio: '16:9', raw: false, outputFormat: source }, 'bench');
      const size = (await fs.stat(file)).size;
      for (const format of ['original', 'webp'] as DocumentFormat[]) {
        const wasmMs: number[] = [];
        const sharpMs: number[] = [];
        const stageMs = { decode: [] as number[], resize: [] as number[], encode: [] as number[] };
        let rssPeak = 0;
        let copyBytes = 0;
        for (let i = 0; i < SAMPLES + 1; i++) {
          const rssBefore = process.memoryUsage().rss;
          const t = performance.now();
          const copy = await makeDocumentCopy(file, { maxWidth: DEFAULT_MAX_WIDTH, format, quality: DEFAULT_QUALITY }, deps);
          const ms = performance.now() - t;
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss - rssBefore);
          copyBytes = copy.bytes.length;
          const s = performance.now();
          await sharpCopy(file, format === 'webp' ? 'webp' : source);
          const stages = await timeStages(codecs, file, source, format === 'webp' ? 'webp' : source, copy.width, copy.height);
          if (i > 0) {
            wasmMs.push(ms); // the first run warms the JIT and the wasm instances
            sharpMs.push(performance.now() - s);
            for (const stage of ['decode', 'resize', 'encode'] as const) stageMs[stage].push(stages[stage]);
          }
        }
        const row = {
          source,
          format,
          originalBytes: size,
          copyBytes,
          savedBytes: size - copyBytes,
          wasmMs: { p50: median(wasmMs), p95: quantile(wasmMs, 0.95) },
          sharpMs: { p50: median(sharpMs) },
          stageP50Ms: { decode: median(stageMs.decode), resize: median(stageMs.resize), encode: median(stageMs.encode) },
          rssGrowthMaxBytes: rssPeak,
        };
        log(`${source} ${(size / 1e6).toFixed(2)} MB → ${format}: wasm p50 ${row.wasmMs.p50.toFixed(0)} ms (sharp ${row.sharpMs.p50.toFixed(0)} ms), ${(copyBytes / 1e6).toFixed(2)} MB, rss +${(rssPeak / 1e6).toFixed(0)} MB`);
        results.push(row);
      }
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  await emit({ samples: SAMPLES, codecLoadMs: loadMs, rows: results });
}

/** The copy's three codec steps timed apart (the rest of a copy: reading the file, the record, writing). */
async function timeStages(codecs: Codecs, file: string, source: OutputFormat, target: OutputFormat, width: number, height: number) {
  const bytes = new Uint8Array(await fs.readFile(file));
  const t0 = performance.now();
  const pixels = await codecs.decode(bytes, source);
  const t1 = performance.now();
  const small = await codecs.resize(pixels, width, height);
  const t2 = performance.now();
  await codecs.encode(small, target, DEFAULT_QUALITY);
  return { decode: t1 - t0, resize: t2 - t1, encode: performance.now() - t2 };
}

async function sharpCopy(file: string, format: OutputFormat): Promise<Buffer> {
  const image = sharp(file).resize({ width: DEFAULT_MAX_WIDTH, withoutEnlargement: true }).keepMetadata();
  if (format === 'jpg') return image.jpeg({ quality: DEFAULT_QUALITY }).toBuffer();
  if (format === 'webp') return image.webp({ quality: DEFAULT_QUALITY }).toBuffer();
  return image.png().toBuffer();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
