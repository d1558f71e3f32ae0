// Item 1 — completion detection: our schedule (the real JobEngine + ApiframeClient over HTTP) against
// Apiframe's documented loop (GET every 2 s) on exactly the same job timings, in one scenario per run
// (`--scenario`):
//   warm      the duration model first learns from `--warmup` jobs, then informative and silent runs;
//   cold      every job is a new user's first (the model never learns): 15 s jobs on the prior;
//   shift5 / shift40
//             a new user whose jobs take 5 s / 40 s while the prior says 15 s, learning as they finish;
//   failfast  jobs refused (FAILED) within about 1 s: how soon each side reports them (new user, and a
//             model that learned 15 s jobs).
// `--progress informative|silent` picks the simulator's progress model (warm runs both, one after the other).
//
// Two simulators with the same seed run in a child process; every job is submitted to both in
// lockstep (submissions are serialised, so job k draws the same duration on both) and watched at the
// same time: the engine on simulator A, the fixed loop on simulator B. Watching two copies instead of
// one job id keeps the pollers from influencing each other (the simulator's progress is the running
// maximum of noisy readings, so extra GETs from one poller would shape what the other sees).
import { randomUUID } from 'crypto';
import { monitorEventLoopDelay } from 'perf_hooks';
import { isFinished } from '../../src/api/job';
import { JobEngine } from '../../src/jobs/engine';
import { DEFAULT_SCHEDULE, DurationModel, SilentSchedule, scaleSchedule } from '../../src/jobs/schedule';
import { mulberry32, normal } from '../simulator/prng';
import type { SimulatorOptions } from '../simulator/server';
import { evaluate, optimalSchedule } from './optimal';
import {
  BENCH_KEYS,
  RecordingApi,
  arg,
  argText,
  benchOptions,
  emit,
  log,
  mean,
  newClient,
  newStore,
  newUserModel,
  newUserPrior,
  pool,
  quantile,
  sleep,
  startSimHost,
  runMain,
  type GetRecord,
} from './common';
import type { ApiframeClient } from '../../src/api/client';

const SCENARIO = argText('scenario', 'warm');
const PROGRESS = argText('progress', 'informative') as ProgressModel;
const TIME_SCALE = arg('time-scale', 0.25);
const JOBS = arg('jobs', 200);
const CONCURRENCY = arg('concurrency', 20);
const WARMUP = arg('warmup', 40);
const SEED = arg('seed', 1729);
const SIGMA = 0.35; // the simulator's default
const FIXED_INTERVAL_MS = 2_000;
/** Failing jobs end at half their drawn duration: this spreads the refusals over ~0.2–1.2 s. */
const FAILFAST_DURATIONS = { medianMs: 1_000, sigma: 0.5 };

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

/** A model that never learns: every job polls as a new user's very first. */
class FirstJobModel extends DurationModel {
  override add(): void {}
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

interface Side {
  lagMs: number;
  lagAtSendMs: number;
  gets: number;
}

interface JobResult {
  durationMs: number; // unscaled, server side (for a failed job: when it failed)
  ours: Side;
  fixed: Side;
}

const summary = (results: JobResult[], pick: (r: JobResult) => Side) => ({
  meanLagMs: mean(results.map((r) => pick(r).lagMs)),
  p95LagMs: quantile(results.map((r) => pick(r).lagMs), 0.95),
  maxLagMs: Math.max(...results.map((r) => pick(r).lagMs)),
  meanLagAtSendMs: mean(results.map((r) => pick(r).lagAtSendMs)),
  p95LagAtSendMs: quantile(results.map((r) => pick(r).lagAtSendMs), 0.95),
  getsPerJob: mean(results.map((r) => pick(r).gets)),
});

/** Runs JOBS jobs through the engine (simulator A) and the fixed loop (simulator B), side by side. */
async function runPair(progressModel: ProgressModel, durations: DurationModel, sim: Partial<SimulatorOptions> = {}) {
  const common = { timeScale: TIME_SCALE, progressModel, seed: SEED, apiKeys: BENCH_KEYS, ...sim };
  const host = await startSimHost([common, common]);
  const { store, remove } = await newStore();
  const api = new RecordingApi(newClient(host.urls[0]));
  const fixedClient = newClient(host.urls[1]);
  const engine = new JobEngine({ api, store, durations, schedule: scaleSchedule(DEFAULT_SCHEDULE, TIME_SCALE) });
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
      const submittedB = fixedClient.submit(benchOptions(), { idempotencyKey: randomUUID() });
      // The loop's clock starts when its own submit returns, as the engine's does (not when both have).
      const fixedDone = submittedB.then((b) => fixedLoop(fixedClient, b, FIXED_INTERVAL_MS * TIME_SCALE));
      const [entry, a, b] = await Promise.all([entryPromise, submittedA, submittedB]);
      release();
      const pair = { a, b, fixedGets: [] as GetRecord[] };
      pairs[index] = pair;
      const [, fixedGets] = await Promise.all([engine.whenSettled(entry.id), fixedDone]);
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
      maxMismatchMs = Math.max(maxMismatchMs, Math.abs(da - (sb.completedAtMs! - sb.createdAtMs)));
      const lag = (hit: GetRecord, done: number) => ({
        lagMs: (hit.returnedAt - done) / TIME_SCALE,
        lagAtSendMs: Math.max(0, hit.sentAt - done) / TIME_SCALE,
      });
      const fixedHit = fixedGets.find((g) => isFinished(g.status as never))!;
      results.push({
        durationMs: da / TIME_SCALE,
        ours: { ...lag(api.detection(a)!, sa.completedAtMs!), gets: (api.gets.get(a) ?? []).length },
        fixed: { ...lag(fixedHit, sb.completedAtMs!), gets: fixedGets.length },
      });
    }
    const rtts = [...api.gets.values()].flat().map((g) => g.returnedAt - g.sentAt);
    // Jobs submitted before any had finished: they poll on whatever the model knew at the start.
    const firstWave = results.slice(0, CONCURRENCY);
    const out = {
      progressModel,
      jobs: results.length,
      elapsedS,
      maxDurationMismatchMs: maxMismatchMs,
      meanDurationMs: mean(results.map((r) => r.durationMs)),
      getRttMs: { median: quantile(rtts, 0.5), p95: quantile(rtts, 0.95) },
      eventLoopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      ours: summary(results, (r) => r.ours),
      fixed: summary(results, (r) => r.fixed),
      firstWave: { jobs: firstWave.length, ours: summary(firstWave, (r) => r.ours), fixed: summary(firstWave, (r) => r.fixed) },
      durationsMs: results.map((r) => Math.round(r.durationMs)),
      results,
    };
    log(
      `${SCENARIO} ${progressModel}: ours ${out.ours.meanLagMs.toFixed(0)} ms / ${out.ours.getsPerJob.toFixed(2)} GETs, fixed ${out.fixed.meanLagMs.toFixed(0)} ms / ` +
        `${out.fixed.getsPerJob.toFixed(2)} GETs (${results.length} jobs, ${elapsedS.toFixed(1)} s, RTT p50/p95 ${out.getRttMs.median}/${out.getRttMs.p95} ms, loop delay p99 ${out.eventLoopDelayMs.p99.toFixed(0)} ms)`,
    );
    return out;
  } finally {
    engine.dispose();
    remove();
    await host.close();
  }
}

/** How close the silent run came to the best silent schedule for the true distribution, at our measured GETs. */
function silentOptimum(silent: Awaited<ReturnType<typeof runPair>>, medianMs: number, model: DurationModel) {
  const truth = { mu: Math.log(medianMs), sigma: SIGMA };
  // With the same 1 s probe: reporting an instant refusal within 2 s is a requirement, not a choice.
  const opt = optimalSchedule(truth, silent.ours.getsPerJob, { probeMs: DEFAULT_SCHEDULE.probeMs });
  const optOnJobs = silent.durationsMs.map((d) => evaluate(opt.times, d));
  // Our silent schedule itself, without HTTP or timers, with the model as learned by the end of the run.
  const fit = model.fit();
  const schedule = new SilentSchedule({ ...fit, mu: fit.mu - Math.log(TIME_SCALE) }, DEFAULT_SCHEDULE);
  const ownOnJobs = silent.durationsMs.map((d) => {
    let t = 0;
    for (let gets = 1; ; gets++) {
      t += schedule.nextDelay(t, gets - 1);
      if (t >= d) return { lagMs: t - d, gets };
    }
  });
  return {
    learnedModel: { medianMs: Math.exp(fit.mu) / TIME_SCALE, sigma: fit.sigma },
    optimal: {
      budgetGets: silent.ours.getsPerJob,
      expectedLagMs: opt.expectedLagMs,
      onJobs: { meanLagMs: mean(optOnJobs.map((o) => o.lagMs)), getsPerJob: mean(optOnJobs.map((o) => o.gets)) },
      firstPollsMs: opt.times.slice(0, 12),
    },
    ownScheduleNoHttp: { meanLagMs: mean(ownOnJobs.map((o) => o.lagMs)), getsPerJob: mean(ownOnJobs.map((o) => o.gets)) },
  };
}

const slim = (run: Awaited<ReturnType<typeof runPair>>) => ({ ...run, results: undefined });

async function main(): Promise<void> {
  const t0 = Date.now();
  const base = { scenario: SCENARIO, timeScale: TIME_SCALE, jobsPerModel: JOBS, concurrency: CONCURRENCY, seed: SEED };
  let result: Record<string, unknown>;
  if (SCENARIO === 'warm') {
    const durations = newUserModel(TIME_SCALE);
    log(`warm-up: ${WARMUP} jobs to train the duration model (time scale ${TIME_SCALE})`);
    await warmUp(durations);
    const informative = await runPair('informative', durations);
    const silent = await runPair('silent', durations);
    result = { ...base, warmupJobs: WARMUP, informative: slim(informative), silent: slim(silent), ...silentOptimum(silent, 15_000, durations) };
  } else if (SCENARIO === 'failfast') {
    // The probe does not depend on the model: a new user, and a model that learned 15 s jobs (run in
    // real time, `--time-scale 1`, so a hiccup of the shared machine is not magnified).
    const rand = mulberry32(SEED);
    const learned = new DurationModel(
      Array.from({ length: WARMUP }, () => 15_000 * TIME_SCALE * Math.exp(SIGMA * normal(rand))),
      newUserPrior(TIME_SCALE),
    );
    const sim = { durations: FAILFAST_DURATIONS, failureRate: 1 };
    const runs = { newUser: await runPair('silent', new FirstJobModel([], newUserPrior(TIME_SCALE)), sim), learned: await runPair('silent', learned, sim) };
    // "Fails within 1 s, reported within 2 s": time from acceptance to the GET that saw FAILED.
    const report = (run: Awaited<ReturnType<typeof runPair>>) => {
      const early = run.results.filter((r) => r.durationMs <= 1_000);
      const seenAt = (pick: (r: JobResult) => Side) => early.map((r) => r.durationMs + pick(r).lagMs);
      return {
        jobsFailingWithin1s: early.length,
        ours: { maxReportedMs: Math.max(...seenAt((r) => r.ours)), p95ReportedMs: quantile(seenAt((r) => r.ours), 0.95), getsPerJob: mean(early.map((r) => r.ours.gets)) },
        fixed: { maxReportedMs: Math.max(...seenAt((r) => r.fixed)), p95ReportedMs: quantile(seenAt((r) => r.fixed), 0.95), getsPerJob: mean(early.map((r) => r.fixed.gets)) },
        getRttMs: run.getRttMs,
        eventLoopDelayMs: run.eventLoopDelayMs,
      };
    };
    result = { ...base, newUser: report(runs.newUser), learned: report(runs.learned) };
  } else {
    const medianMs = { cold: 15_000, shift5: 5_000, shift40: 40_000 }[SCENARIO];
    if (!medianMs) throw new Error(`unknown scenario ${SCENARIO}`);
    const model = SCENARIO === 'cold' ? new FirstJobModel([], newUserPrior(TIME_SCALE)) : newUserModel(TIME_SCALE);
    const run = await runPair(PROGRESS, model, { durations: { medianMs, sigma: SIGMA } });
    result = { ...base, medianMs, learning: SCENARIO !== 'cold', run: slim(run), ...(PROGRESS === 'silent' ? silentOptimum(run, medianMs, model) : {}) };
  }
  await emit({ ...result, elapsedS: (Date.now() - t0) / 1000 });
}

runMain(main);
