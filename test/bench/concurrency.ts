// Item 5 — concurrency: 20 jobs submitted at once through the engine against the simulator (in a
// child process). All must land; their GETs are compared with the same 20 jobs run one at a time (same
// fixed durations, and a simulator with the same seed, so each job reports the same noisy progress);
// and this process's event loop must never stall > 50 ms.
import { spawn } from 'child_process';
import { monitorEventLoopDelay } from 'perf_hooks';
import { JobEngine } from '../../src/jobs/engine';
import { DEFAULT_SCHEDULE, scaleSchedule } from '../../src/jobs/schedule';
import { BENCH_KEYS, RecordingApi, arg, benchOptions, emit, log, median, newClient, newStore, newUserModel, startSimHost, runMain } from './common';

const TIME_SCALE = arg('time-scale', 0.1);
const JOBS = arg('jobs', 20);
const BATCH_RUNS = arg('batch-runs', 3);
const DURATION_MS = 15_000;

async function batch(url: string, count: number) {
  const { store, remove } = await newStore();
  const api = new RecordingApi(newClient(url));
  // A fresh model per batch (the extension's prior, time-scaled): both batches poll under the same model.
  const durations = newUserModel(TIME_SCALE);
  const engine = new JobEngine({ api, store, durations, schedule: scaleSchedule(DEFAULT_SCHEDULE, TIME_SCALE) });
  let completed = 0;
  engine.onEvent((event) => event.kind === 'completed' && completed++);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const started = Date.now();
  try {
    const entries = await Promise.all(Array.from({ length: count }, () => engine.start(benchOptions())));
    const settled = await Promise.all(entries.map((e) => engine.whenSettled(e.id)));
    loop.disable();
    const gets = [...api.gets.values()].reduce((n, list) => n + list.length, 0);
    return {
      jobs: count,
      landed: settled.filter((e) => e?.state === 'completed' && e.imageFile).length,
      completedEvents: completed,
      gets,
      elapsedMs: Date.now() - started,
      eventLoopDelayMs: { max: loop.max / 1e6, p99: loop.percentile(99) / 1e6, mean: loop.mean / 1e6 },
    };
  } finally {
    engine.dispose();
    remove();
  }
}

/**
 * An idle sibling process measuring its own event-loop delay at the same time: on a shared machine a
 * process can be descheduled for tens of ms, which monitorEventLoopDelay reports as a stall too.
 */
function startControl() {
  const code = `const h = require('perf_hooks').monitorEventLoopDelay({ resolution: 1 }); h.enable();
    require('readline').createInterface({ input: process.stdin }).on('line', (l) => {
      if (l === 'report') process.stdout.write(JSON.stringify({ max: h.max / 1e6, p99: h.percentile(99) / 1e6 }) + '\\n');
      h.reset();
    });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  let pending: ((value: { max: number; p99: number }) => void) | undefined;
  child.stdout.on('data', (chunk: Buffer) => pending?.(JSON.parse(chunk.toString().trim())));
  return {
    reset: () => child.stdin.write('reset\n'),
    report: () => new Promise<{ max: number; p99: number }>((resolve) => ((pending = resolve), child.stdin.write('report\n'))),
    close: () => child.kill(),
  };
}

/** A simulator with the same seed for every run: job k draws the same progress noise each time. */
const simulator = () =>
  startSimHost([{ timeScale: TIME_SCALE, durations: { fixedMs: DURATION_MS }, progressModel: 'informative', seed: 7, apiKeys: BENCH_KEYS }]);

async function main(): Promise<void> {
  const warm = await simulator();
  try {
    await batch(warm.urls[0], 1); // warm-up: JIT, the simulator's encoded image, the connection pool
  } finally {
    await warm.close();
  }
  const singlesHost = await simulator();
  const singles = [];
  try {
    for (let i = 0; i < JOBS; i++) singles.push(await batch(singlesHost.urls[0], 1));
  } finally {
    await singlesHost.close();
  }
  const control = startControl();
  const batches = [];
  try {
    for (let i = 0; i < BATCH_RUNS; i++) {
      const host = await simulator();
      try {
        control.reset();
        const many = await batch(host.urls[0], JOBS);
        batches.push({ ...many, idleControlLoopDelayMs: await control.report() });
      } finally {
        await host.close();
      }
    }
  } finally {
    control.close();
  }
  const singlesGets = singles.reduce((sum, s) => sum + s.gets, 0);
  const result = {
    timeScale: TIME_SCALE,
    durationMs: DURATION_MS,
    singlesGets,
    singleGets: singles.map((s) => s.gets),
    batches,
    median: {
      gets: median(batches.map((b) => b.gets)),
      landed: Math.min(...batches.map((b) => b.landed)),
      loopDelayMaxMs: median(batches.map((b) => b.eventLoopDelayMs.max)),
      loopDelayP99Ms: median(batches.map((b) => b.eventLoopDelayMs.p99)),
      controlLoopDelayMaxMs: median(batches.map((b) => b.idleControlLoopDelayMs.max)),
    },
  };
  log(
    `${JOBS} jobs one at a time: ${singlesGets} GETs; ${JOBS} at once: ${batches.map((b) => b.gets).join(', ')} GETs, ` +
      `landed ${batches.map((b) => b.landed).join(', ')}, loop delay max ${batches.map((b) => b.eventLoopDelayMs.max.toFixed(0)).join(', ')} ms ` +
      `(idle control ${batches.map((b) => b.idleControlLoopDelayMs.max.toFixed(0)).join(', ')} ms)`,
  );
  await emit(result);
}

runMain(main);
