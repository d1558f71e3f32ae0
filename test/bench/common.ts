// Shared pieces of the benchmarks (compiled to out/test/bench/, run by scripts/bench.mjs as child processes).
import { spawn, type ChildProcess } from 'child_process';
import { promises as fs, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ApiframeClient, type ApiframeApi, type CallOptions, type ImageResponse, type SubmitOptions } from '../../src/api/client';
import type { Job } from '../../src/api/job';
import { GalleryStore } from '../../src/gallery/store';
import { DEFAULT_PRIOR, DurationModel, type DurationPrior } from '../../src/jobs/schedule';
import type { GenerationOptions } from '../../src/shared/options';
import type { SimulatorOptions, SimulatorStats } from '../simulator/server';

export const API_KEY = 'afk_test_key';
/** Plenty of credits: the default key (1,000) covers only 166 jobs. */
export const BENCH_KEYS = { [API_KEY]: { credits: 1e9 } };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN;
}

/** Linear-interpolated quantile (q in 0..1). */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

export function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/** Writes the result JSON to the path after `--out` (or stdout). */
export async function emit(result: unknown): Promise<void> {
  const i = process.argv.indexOf('--out');
  const text = JSON.stringify(result, null, 2);
  if (i > 0 && process.argv[i + 1]) await fs.writeFile(process.argv[i + 1], text);
  else process.stdout.write(`${text}\n`);
}

export function argText(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

// ---------------------------------------------------------------------------------------------------------------
// Simulators in a child process

export interface SimHost {
  urls: string[];
  stats(index: number): Promise<SimulatorStats>;
  close(): Promise<void>;
}

export async function startSimHost(options: SimulatorOptions[]): Promise<SimHost> {
  const script = path.join(__dirname, 'simHost.js');
  const child: ChildProcess = spawn(process.execPath, [script, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const urls = await new Promise<string[]>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n')) {
        try {
          resolve((JSON.parse(line) as { urls: string[] }).urls);
        } catch (error) {
          reject(error);
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator host exited (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    urls,
    async stats(index) {
      const response = await fetch(`${urls[index]}/__sim/stats`);
      return (await response.json()) as SimulatorStats;
    },
    async close() {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export function newClient(baseUrl: string): ApiframeClient {
  return new ApiframeClient({ baseUrl, getApiKey: async () => API_KEY });
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function newStore(prefix = 'flux-bench-'): Promise<{ store: GalleryStore; remove(): void }> {
  const t = tempDir(prefix);
  const store = new GalleryStore(path.join(t.dir, 'gallery'));
  await store.load();
  return { store, remove: t.remove };
}

/** The extension's prior, time-lapsed like the simulator. */
export function newUserPrior(timeScale: number): DurationPrior {
  return { ...DEFAULT_PRIOR, medianMs: DEFAULT_PRIOR.medianMs * timeScale };
}

/** A new user's duration model. */
export function newUserModel(timeScale: number): DurationModel {
  return new DurationModel([], newUserPrior(timeScale));
}

/** Fixed prompt and seed: every job renders the same image, so the simulator encodes it once. */
export function benchOptions(overrides: Partial<GenerationOptions> = {}): GenerationOptions {
  return { prompt: 'A lighthouse on a rocky cliff at dusk', aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false, seed: 42, ...overrides };
}

// ---------------------------------------------------------------------------------------------------------------
// An ApiframeApi that records what the engine does, delegating every call to the real client.

export interface GetRecord {
  sentAt: number;
  returnedAt: number;
  status: string;
}

export class RecordingApi implements ApiframeApi {
  readonly gets = new Map<string, GetRecord[]>();
  readonly submits: { sentAt: number; returnedAt: number; jobId: string }[] = [];
  readonly downloads = new Map<string, { startedAt: number; endedAt?: number; bytes: number }>();
  private onSubmitted: ((jobId: string) => void) | undefined;

  constructor(readonly client: ApiframeApi) {}

  /** Resolves with the job id of the next submit that succeeds. */
  nextSubmit(): Promise<string> {
    return new Promise((resolve) => (this.onSubmitted = resolve));
  }

  async submit(options: GenerationOptions, call: SubmitOptions): Promise<string> {
    const sentAt = Date.now();
    const jobId = await this.client.submit(options, call);
    this.submits.push({ sentAt, returnedAt: Date.now(), jobId });
    const hook = this.onSubmitted;
    this.onSubmitted = undefined;
    hook?.(jobId);
    return jobId;
  }

  async getJob(id: string, call?: CallOptions): Promise<Job> {
    const sentAt = Date.now();
    const job = await this.client.getJob(id, call);
    const list = this.gets.get(id) ?? [];
    list.push({ sentAt, returnedAt: Date.now(), status: job.status });
    this.gets.set(id, list);
    return job;
  }

  async fetchImage(url: string, call?: CallOptions): Promise<ImageResponse> {
    const record = { startedAt: Date.now(), endedAt: undefined as number | undefined, bytes: 0 };
    this.downloads.set(url, record);
    const response = await this.client.fetchImage(url, call);
    response.body.on('data', (chunk: Buffer) => (record.bytes += chunk.length));
    response.body.once('end', () => (record.endedAt = Date.now()));
    return response;
  }

  /** The first GET that saw the job finished. */
  detection(jobId: string): GetRecord | undefined {
    return this.gets.get(jobId)?.find((g) => g.status === 'COMPLETED' || g.status === 'FAILED');
  }
}

/** Runs `count` tasks with at most `concurrency` in flight, in index order. */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Runs a benchmark's main() as a child process entry point: exit 0 when done, 1 with the stack on error. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : String(error));
      process.exit(1);
    },
  );
}
