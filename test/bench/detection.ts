// Item 1 — completion detection: our adaptive schedule (the real JobEngine + ApiframeClient over HTTP)
// against Apiframe's documented loop (GET every 2 s) on exactly the same job timings.
//
// Two simulators with the same seed run in a child process; every job is submitted to both in
// lockstep (submissions are serialised, so job k draws the same duration on both) and watched at the
// same time: the engine on simulator A, the fixed loop on simulator B. Watching two copies instead of
// one job id keeps the pollers from influencing each other (the simulator's progress is the running
// maximum of noisy readings, so extra GETs from one poller would shape what the other sees).
// The engine's DurationModel learns the way the extension's does — `durations.add(server duration)`
// after each completed job — starting from the extension's prior (15 s median, σ 0.5, weight 5)
// time-scaled like everything else, warmed up on `--warmup` jobs from a third simulator.
import { randomUUID } from 'crypto';
import { monitorEventLoopDelay } from 'perf_hooks';
import { isFinished } from '../../src/api/job';
import { JobEngine } from '../../src/jobs/engine';
import { DEFAULT_SCHEDULE, DurationModel, SilentSchedule, scaleSchedule } from '../../src/jobs/schedule';
import { evaluate, optimalSchedule } from './optimal';
import {
  BENCH_KEYS,
  RecordingApi,
  arg,
  benchOptions,
  emit,
  log,
  mean,
  newClient,
  newUserModel,
  newStore,
  pool,
  quantile,
  sleep,
  startSimHost,
  runMain,
  type GetRecord,
} from './common';
import type { ApiframeClient } from '../../src/api/client';

const TIME_SCALE = arg('time-scale', 0.25);
const JOBS = arg('jobs', 200);
const CONCURRENCY = arg('concurrency', 20);
const WARMUP = arg('warmup', 40);
const SEED = arg('seed', 1729);
const MEDIAN_MS = 15_000;
const SIGMA = 0.35; // the simulator's default
const FIXED_INTERVAL_MS = 2_000;

type ProgressModel = 'informative' | 'silent';

async function fixedLoop(client: ApiframeClient, jobId: string, intervalMs: number): Promise<GetRecord[]> {
  const gets: GetRecord[] = [];
  for (;;) {
    await sleep(intervalMs);
    const sentAt = Date.now();
    try {
      const job = await client.getJob(jobId);
      gets.push({ sentAt, returnedAt: Date.now(), status: job.status });
      if (isFinished(job.status)) return gets;
    } catch {
      gets.push({ sentAt, returnedAt: Date.now(), status: 'error' });
    }
  }
}

function scaledPriorModel(): DurationModel {
  return newUserModel(TIME_SCALE);
}

async function warmUp(durations: DurationModel): Promise<void> {
  const host = await startSimHost([{ timeScale: TIME_SCALE, progressModel: 'informative', seed: SEED + 1, apiKeys: BENCH_KEYS }]);
  const { store, remove } = await newStore();
  try {
    const engine = new JobEngine({ api: newClient(host.urls[0]), store, durations, schedule: scaleSchedule(DEFAULT_SCHEDULE, TIME_SCALE) });
    await pool(WARMUP, CONCURRENCY, async () => {
      const entry = await engine.start(benchOptions());
      await engine.whenSettled(entry.id);
    });
    engine.dispose();
  } finally {
    remove();
    await host.close();
  }
}

interface JobResult {
  durationMs: number; // unscaled
  ours: { lagMs: number; lagAtSendMs: number; gets: number };
  fixed: { lagMs: number; lagAtSendMs: number; gets: number };
}

async function runModel(model: ProgressModel, durations: DurationModel) {
  const common = { timeScale: TIME_SCALE, progressModel: model, seed: SEED, apiKeys: BENCH_KEYS };
  const host = await startSimHost([common, common]);
  const { store, remove } = await newStore();
  const api = new RecordingApi(newClient(host.urls[0]));
  const fixedClient = newClient(host.urls[1]);
  const engine = new JobEngine({ api, store, durations, schedule: scaleSchedule(DEFAULT_SCHEDULE, TIME_SCALE) });
  let completed = 0;
  engine.onEvent((event) => event.kind === 'completed' && completed++);
  const pairs: { a: string; b: string; fixedGets: GetRecord[] }[] = [];
  let submitChain: Promise<void> = Promise.resolve();
  const started = Date.now();
  // How late this process's timers ran: the machine is shared, and a late timer is lag we did not cause.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  try {
    await pool(JOBS, CONCURRENCY, async (index) => {
      // Serialised submissions: job k is the k-th generate on both simulators, so both draw the same duration.
      let release!: () => void;
      const previous = submitChain;
      submitChain = new Promise((resolve) => (release = resolve));
      await previous;
      const submittedA = api.nextSubmit();
      const entryPromise = engine.start(benchOptions());
      const [entry, a, b] = await Promise.all([entryPromise, submittedA, fixedClient.submit(benchOptions(), { idempotencyKey: randomUUID() })]);
      release();
      const pair = { a, b, fixedGets: [] as GetRecord[] };
      pairs[index] = pair;
      const [, fixedGets] = await Promise.all([engine.whenSettled(entry.id), fixedLoop(fixedClient, b, FIXED_INTERVAL_MS * TIME_SCALE)]);
      pair.fixedGets = fixedGets;
    });
    const elapsedS = (Date.now() - started) / 1000;
    loopDelay.disable();
    const [statsA, statsB] = await Promise.all([host.stats(0), host.stats(1)]);
    const jobA = new Map(statsA.jobs.map((j) => [j.id, j]));
    const jobB = new Map(statsB.jobs.map((j) => [j.id, j]));
    const results: JobResult[] = [];
    let maxMismatchMs = 0;
    for (const { a, b, fixedGets } of pairs) {
      const sa = jobA.get(a)!;
      const sb = jobB.get(b)!;
      const da = sa.completedAtMs! - sa.createdAtMs;
      const db = sb.completedAtMs! - sb.createdAtMs;
      maxMismatchMs = Math.max(maxMismatchMs, Math.abs(da - db));
      const ourGets = api.gets.get(a) ?? [];
      const ourHit = api.detection(a)!;
      const fixedHit = fixedGets.find((g) => isFinished(g.status as never))!;
      const lag = (hit: GetRecord, done: number) => ({
        lagMs: (hit.returnedAt - done) / TIME_SCALE,
        lagAtSendMs: Math.max(0, hit.sentAt - done) / TIME_SCALE,
      });
      results.push({
        durationMs: da / TIME_SCALE,
        ours: { ...lag(ourHit, sa.completedAtMs!), gets: ourGets.length },
        fixed: { ...lag(fixedHit, sb.completedAtMs!), gets: fixedGets.length },
      });
    }
    const rtts = [...api.gets.values()].flat().map((g) => g.returnedAt - g.sentAt);
    const summary = (pick: (r: JobResult) => { lagMs: number; lagAtSendMs: number; gets: number }) => ({
      meanLagMs: mean(results.map((r) => pick(r).lagMs)),
      p95LagMs: quantile(results.map((r) => pick(r).lagMs), 0.95),
      meanLagAtSendMs: mean(results.map((r) => pick(r).lagAtSendMs)),
      p95LagAtSendMs: quantile(results.map((r) => pick(r).lagAtSendMs), 0.95),
      getsPerJob: mean(results.map((r) => pick(r).gets)),
    });
    const out = {
      progressModel: model,
      jobs: results.length,
      completedEvents: completed,
      elapsedS,
      maxDurationMismatchMs: maxMismatchMs,
      meanDurationMs: mean(results.map((r) => r.durationMs)),
      getRttMs: { median: quantile(rtts, 0.5), p95: quantile(rtts, 0.95) },
      eventLoopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      ours: summary((r) => r.ours),
      fixed: summary((r) => r.fixed),
      durationsMs: results.map((r) => Math.round(r.durationMs)),
    };
    log(
      `${model}: ours ${out.ours.meanLagMs.toFixed(0)} ms / ${out.ours.getsPerJob.toFixed(2)} GETs, fixed ${out.fixed.meanLagMs.toFixed(0)} ms / ` +
        `${out.fixed.getsPerJob.toFixed(2)} GETs (${results.length} jobs, ${elapsedS.toFixed(1)} s, RTT p50/p95 ${out.getRttMs.median}/${out.getRttMs.p95} ms, loop delay p99 ${out.eventLoopDelayMs.p99.toFixed(0)} ms)`,
    );
    return out;
  } finally {
    engine.dispose();
    remove();
    await host.close();
  }
}

async function main(): Promise<void> {
  const durations = scaledPriorModel();
  const t0 = Date.now();
  log(`warm-up: ${WARMUP} jobs to train the duration model (time scale ${TIME_SCALE})`);
  await warmUp(durations);
  const runs = { informative: await runModel('informative', durations), silent: await runModel('silent', durations) };

  // How far from the best silent schedule: the optimum for the TRUE distribution at our measured GET budget,
  // evaluated on exactly the durations the silent run saw (unscaled).
  const truth = { mu: Math.log(MEDIAN_MS), sigma: SIGMA };
  const silent = runs.silent;
  const opt = optimalSchedule(truth, silent.ours.getsPerJob);
  const optOnJobs = silent.durationsMs.map((d) => evaluate(opt.times, d));
  const optAtFixed = optimalSchedule(truth, silent.fixed.getsPerJob);
  const optAtFixedOnJobs = silent.durationsMs.map((d) => evaluate(optAtFixed.times, d));
  // Our hazard schedule itself, without HTTP or timers, with the model as learned by the end of the run.
  const fit = durations.fit();
  const unscaledFit = { ...fit, mu: fit.mu - Math.log(TIME_SCALE) };
  const hazard = new SilentSchedule(unscaledFit, DEFAULT_SCHEDULE);
  const hazardOnJobs = silent.durationsMs.map((d) => {
    let t = 0;
    for (let gets = 1; ; gets++) {
      t += hazard.nextDelay(t);
      if (t >= d) return { lagMs: t - d, gets };
    }
  });
  const result = {
    timeScale: TIME_SCALE,
    jobsPerModel: JOBS,
    concurrency: CONCURRENCY,
    warmupJobs: WARMUP,
    seed: SEED,
    distribution: { medianMs: MEDIAN_MS, sigma: SIGMA },
    learnedModel: { medianMs: Math.exp(unscaledFit.mu), sigma: unscaledFit.sigma },
    informative: runs.informative,
    silent: runs.silent,
    optimalSilent: {
      budgetGets: silent.ours.getsPerJob,
      expectedGets: opt.expectedPolls,
      expectedLagMs: opt.expectedLagMs,
      onJobs: { meanLagMs: mean(optOnJobs.map((o) => o.lagMs)), p95LagMs: quantile(optOnJobs.map((o) => o.lagMs), 0.95), getsPerJob: mean(optOnJobs.map((o) => o.gets)) },
      firstPollsMs: opt.times.slice(0, 12),
    },
    optimalSilentAtFixedBudget: {
      budgetGets: silent.fixed.getsPerJob,
      expectedGets: optAtFixed.expectedPolls,
      expectedLagMs: optAtFixed.expectedLagMs,
      onJobs: { meanLagMs: mean(optAtFixedOnJobs.map((o) => o.lagMs)), getsPerJob: mean(optAtFixedOnJobs.map((o) => o.gets)) },
    },
    hazardScheduleNoHttp: {
      meanLagMs: mean(hazardOnJobs.map((o) => o.lagMs)),
      p95LagMs: quantile(hazardOnJobs.map((o) => o.lagMs), 0.95),
      getsPerJob: mean(hazardOnJobs.map((o) => o.gets)),
    },
    oracle: { meanLagMs: 0, getsPerJob: 1 },
    elapsedS: (Date.now() - t0) / 1000,
  };
  log(
    `silent optimum at ${silent.ours.getsPerJob.toFixed(2)} GETs: ${result.optimalSilent.onJobs.meanLagMs.toFixed(0)} ms on the same jobs ` +
      `(expected ${opt.expectedLagMs.toFixed(0)} ms); our schedule without HTTP: ${result.hazardScheduleNoHttp.meanLagMs.toFixed(0)} ms / ${result.hazardScheduleNoHttp.getsPerJob.toFixed(2)} GETs`,
  );
  await emit(result);
}

runMain(main);
