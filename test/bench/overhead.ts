// Item 2 — client overhead: submit → image stored and the gallery notified (the engine's 'completed'
// event), minus the simulator's own generation time (completion − job creation, server side), for a
// ~4 MP image (16:9 → 2752×1536, `--format jpg|png|webp`) on loopback, one job at a time. Also the peak
// memory growth while the image downloads (rss and arrayBuffers sampled every 5 ms, after a gc() at the
// start of each job). `--image-style photo` (the default) serves images of real Ultra size (~2 MB JPEG,
// ~12 MB PNG); the simulator renders the one image once and serves it from its cache.
// Run with --expose-gc. The simulator runs in a child process so its encoder's memory is not counted.
import * as http from 'http';
import type { ApiframeClient } from '../../src/api/client';
import { downloadImage } from '../../src/jobs/download';
import { JobEngine } from '../../src/jobs/engine';
import { DEFAULT_SCHEDULE, scaleSchedule } from '../../src/jobs/schedule';
import type { OutputFormat } from '../../src/shared/options';
import type { ImageStyle } from '../simulator/render';
import { BENCH_KEYS, RecordingApi, arg, argText, benchOptions, emit, log, median, newClient, newStore, newUserModel, quantile, sleep, startSimHost, runMain } from './common';

const TIME_SCALE = arg('time-scale', 0.02);
const SAMPLES = arg('samples', 30);
const FORMAT = argText('format', 'jpg') as OutputFormat;
const IMAGE_STYLE = argText('image-style', 'photo') as ImageStyle;
const WARMUP = arg('warmup', 3);
const DURATION_MS = 15_000;

interface Row {
  overheadMs: number;
  submitMs: number;
  detectLagMs: number;
  toDownloadMs: number;
  downloadMs: number;
  storeAndNotifyMs: number;
  imageBytes: number;
  width?: number;
  height?: number;
  peakRssGrowth: number;
  peakArrayBuffersGrowth: number;
  memSamples: number;
  retainedArrayBuffers: number;
}

interface MemSample {
  at: number;
  rss: number;
  arrayBuffers: number;
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const host = await startSimHost([
    { timeScale: TIME_SCALE, durations: { fixedMs: DURATION_MS }, progressModel: 'informative', seed: 11, apiKeys: BENCH_KEYS, imageStyle: IMAGE_STYLE },
  ]);
  const { store, remove } = await newStore();
  const api = new RecordingApi(newClient(host.urls[0]));
  const durations = newUserModel(TIME_SCALE);
  const engine = new JobEngine({ api, store, durations, schedule: scaleSchedule(DEFAULT_SCHEDULE, TIME_SCALE) });
  const completedAt = new Map<string, number>();
  engine.onEvent((event) => event.kind === 'completed' && completedAt.set(event.entry.id, Date.now()));
  const samples: MemSample[] = [];
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    samples.push({ at: Date.now(), rss: m.rss, arrayBuffers: m.arrayBuffers });
  }, 5);
  const rows: Row[] = [];
  let downloadMemory: Awaited<ReturnType<typeof measureDownloadMemory>> | undefined;
  try {
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      gc();
      await sleep(20);
      const base = process.memoryUsage();
      const submitAt = Date.now();
      const entry = await engine.start(benchOptions({ outputFormat: FORMAT }));
      const done = await engine.whenSettled(entry.id);
      const notifiedAt = completedAt.get(entry.id);
      if (done?.state !== 'completed' || notifiedAt === undefined) throw new Error(`job ${i} did not complete: ${done?.state} ${JSON.stringify(done?.reason)}`);
      if (i < WARMUP) continue;
      // What the download left behind once garbage is collected (a streamed download keeps nothing).
      gc();
      const retainedArrayBuffers = process.memoryUsage().arrayBuffers - base.arrayBuffers;
      const job = (await host.stats(0)).jobs.find((j) => j.id === done.jobId)!;
      const generationMs = job.completedAtMs! - job.createdAtMs;
      const detect = api.detection(done.jobId!)!;
      const submit = api.submits[api.submits.length - 1];
      const download = [...api.downloads.values()].pop()!;
      const during = samples.filter((s) => s.at >= download.startedAt && s.at <= notifiedAt + 5);
      rows.push({
        overheadMs: notifiedAt - submitAt - generationMs,
        submitMs: submit.returnedAt - submitAt,
        detectLagMs: detect.returnedAt - job.completedAtMs!,
        toDownloadMs: download.startedAt - detect.returnedAt,
        downloadMs: (download.endedAt ?? notifiedAt) - download.startedAt,
        storeAndNotifyMs: notifiedAt - (download.endedAt ?? notifiedAt),
        imageBytes: done.byteSize ?? 0,
        width: done.width,
        height: done.height,
        peakRssGrowth: Math.max(0, ...during.map((s) => s.rss - base.rss)),
        peakArrayBuffersGrowth: Math.max(0, ...during.map((s) => s.arrayBuffers - base.arrayBuffers)),
        memSamples: during.length,
        retainedArrayBuffers,
      });
    }
    clearInterval(sampler);
    downloadMemory = await measureDownloadMemory(newClient(host.urls[0]), [...api.downloads.keys()].pop()!, store.imagesDir, gc);
  } finally {
    clearInterval(sampler);
    engine.dispose();
    remove();
    await host.close();
  }
  const pick = (key: keyof Row) => rows.map((r) => Number(r[key]));
  const result = {
    timeScale: TIME_SCALE,
    format: FORMAT,
    imageStyle: IMAGE_STYLE,
    generationMs: DURATION_MS * TIME_SCALE,
    samples: rows.length,
    image: { bytes: median(pick('imageBytes')), width: rows[0]?.width, height: rows[0]?.height },
    overheadMs: { p50: median(pick('overheadMs')), p95: quantile(pick('overheadMs'), 0.95) },
    breakdownP50Ms: {
      submit: median(pick('submitMs')),
      detectLag: median(pick('detectLagMs')),
      detectToDownload: median(pick('toDownloadMs')),
      download: median(pick('downloadMs')),
      storeAndNotify: median(pick('storeAndNotifyMs')),
    },
    memory: {
      peakRssGrowthMedian: median(pick('peakRssGrowth')),
      peakRssGrowthMax: Math.max(...pick('peakRssGrowth')),
      peakArrayBuffersGrowthMedian: median(pick('peakArrayBuffersGrowth')),
      peakArrayBuffersGrowthMax: Math.max(...pick('peakArrayBuffersGrowth')),
      samplesPerDownloadMedian: median(pick('memSamples')),
      retainedArrayBuffersAfterGcMedian: median(pick('retainedArrayBuffers')),
      ...downloadMemory,
    },
    rows,
  };
  log(
    `overhead p50 ${result.overheadMs.p50.toFixed(0)} ms, p95 ${result.overheadMs.p95.toFixed(0)} ms ` +
      `(submit ${result.breakdownP50Ms.submit}, detect ${result.breakdownP50Ms.detectLag.toFixed(0)}, download ${result.breakdownP50Ms.download}, store ${result.breakdownP50Ms.storeAndNotify}); ` +
      `image ${(result.image.bytes / 1e6).toFixed(2)} MB; peak growth rss ${(result.memory.peakRssGrowthMax / 1e6).toFixed(2)} MB, arrayBuffers ${(result.memory.peakArrayBuffersGrowthMax / 1e6).toFixed(2)} MB (max)`,
  );
  await emit(result);
}

/** Peak growth of arrayBuffers during `download`, sampled every millisecond; with `collect`, after a gc() each time. */
async function peakGrowth(download: () => Promise<unknown>, gc: () => void, collect: boolean): Promise<number> {
  gc();
  await sleep(20);
  const base = process.memoryUsage().arrayBuffers;
  let peak = 0;
  const sample = () => {
    if (collect) gc();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
  };
  const timer = setInterval(sample, 1);
  try {
    await download();
    sample(); // a fast download can end between two samples
  } finally {
    clearInterval(timer);
  }
  return peak;
}

/**
 * What a download holds, apart from the garbage it leaves: the sampler above counts buffers that are
 * no longer reachable but not yet collected (Node allocates a fresh buffer for every socket read, and
 * V8 collects them only at its external-memory limit). Here the same image is downloaded again: with
 * a gc() before every sample (live memory only), and without, beside a bare http.get that discards
 * every byte (the garbage any Node download of this image leaves).
 */
async function measureDownloadMemory(client: ApiframeClient, url: string, directory: string, gc: () => void) {
  const live: number[] = [];
  const allocated: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 5; i++) {
    live.push(await peakGrowth(() => downloadImage(client, url, directory, `live-${i}`), gc, true));
    allocated.push(await peakGrowth(() => downloadImage(client, url, directory, `allocated-${i}`), gc, false));
    bare.push(await peakGrowth(() => new Promise<void>((resolve, reject) => http.get(url, (res) => res.resume().on('end', resolve).on('error', reject)).on('error', reject)), gc, false));
  }
  return { peakLiveArrayBuffersMedian: median(live), peakAllocatedArrayBuffersMedian: median(allocated), bareHttpGetAllocatedMedian: median(bare) };
}

runMain(main);
