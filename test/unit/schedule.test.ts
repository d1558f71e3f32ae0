// Polling schedule: the duration model, the silent plan and the progress-driven schedule against the
// documented fixed 2 s loop, the probe, a new user's first jobs, and learning when durations shift.
// Jobs are simulated (no clock, no network): durations come from a seeded PRNG so every run sees the
// same numbers.
import * as assert from 'assert';
import { DEFAULT_PRIOR, DEFAULT_SCHEDULE, DurationModel, Observation, PollSchedule, SilentSchedule, estimateFinish, scaleSchedule } from '../../src/jobs/schedule';
import { mulberry32, normal } from '../simulator/prng';

const MEDIAN_MS = 15_000;
const SIGMA = 0.35;
const FIXED_INTERVAL_MS = 2_000;
const JOBS = 4_000;

function logNormalDurations(count: number, seed: number, medianMs = MEDIAN_MS, sigma = SIGMA): number[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, () => medianMs * Math.exp(sigma * normal(rand)));
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

interface Outcome {
  gets: number;
  lagMs: number;
}

/** The documented loop: wait 2 s, GET, repeat. The first GET at or after the finish detects it. */
function fixedLoop(durationMs: number): Outcome {
  const gets = Math.ceil(durationMs / FIXED_INTERVAL_MS);
  return { gets, lagMs: gets * FIXED_INTERVAL_MS - durationMs };
}

function silentLoop(schedule: SilentSchedule, durationMs: number): Outcome {
  let t = 0;
  for (let gets = 1; gets < 10_000; gets++) {
    t += schedule.nextDelay(t, gets - 1);
    if (t >= durationMs) return { gets, lagMs: t - durationMs };
  }
  throw new Error('silent schedule never reached the finish');
}

/**
 * A job as the simulator reports it: QUEUED for 8 % of its duration, then progress rising linearly
 * with ±4 points of noise (informative) or staying 0 (silent), never going down, capped at 99.
 */
class SimulatedJob {
  readonly observations: Observation[] = [];
  private shown = 0;

  constructor(
    readonly durationMs: number,
    private readonly noise: () => number,
    private readonly informative = true,
  ) {}

  /** A poll at `t`: true once the job is finished. */
  poll(t: number): boolean {
    if (t >= this.durationMs) return true;
    const queueMs = 0.08 * this.durationMs;
    if (t >= queueMs) {
      const fraction = (t - queueMs) / (this.durationMs - queueMs);
      if (this.informative) this.shown = Math.max(this.shown, Math.min(99, Math.max(0, Math.round(fraction * 100 + (this.noise() - 0.5) * 8))));
      this.observations.push({ elapsedMs: t, progress: this.shown });
    }
    return false;
  }
}

function pollLoop(schedule: PollSchedule, job: SimulatedJob): Outcome {
  let t = 0;
  for (let gets = 1; gets < 10_000; gets++) {
    t += schedule.nextDelay(t, job.observations);
    if (job.poll(t)) return { gets, lagMs: t - job.durationMs };
  }
  throw new Error('poll schedule never reached the finish');
}

function summarize(outcomes: Outcome[]): Outcome {
  return { gets: mean(outcomes.map((o) => o.gets)), lagMs: mean(outcomes.map((o) => o.lagMs)) };
}

/**
 * Jobs run `concurrency` at a time through the engine's protocol: one PollSchedule per job on a shared
 * model that learns each duration the moment its job is seen finished (a fresh model per job when
 * `learn` is false: every job is a new user's first).
 */
function stream(durations: number[], options: { concurrency: number; informative: boolean; learn: boolean; seed: number }): { ours: Outcome; loop: Outcome } {
  const shared = new DurationModel();
  const noise = mulberry32(options.seed);
  const ours: Outcome[] = [];
  const pending: { at: number; run: (t: number) => void }[] = [];
  let next = 0;
  const start = (t0: number) => {
    if (next >= durations.length) return;
    const model = options.learn ? shared : new DurationModel();
    const job = new SimulatedJob(durations[next++], mulberry32(Math.floor(noise() * 2 ** 31)), options.informative);
    const schedule = new PollSchedule(model);
    let gets = 0;
    const poll = (t: number) => {
      gets++;
      if (!job.poll(t - t0)) {
        pending.push({ at: t + schedule.nextDelay(t - t0, job.observations), run: poll });
        return;
      }
      ours.push({ gets, lagMs: t - t0 - job.durationMs });
      model.add(job.durationMs);
      start(t);
    };
    pending.push({ at: t0 + schedule.nextDelay(0, job.observations), run: poll });
  };
  for (let i = 0; i < options.concurrency; i++) start(0);
  while (pending.length) {
    pending.sort((a, b) => a.at - b.at);
    const event = pending.shift()!;
    event.run(event.at);
  }
  return { ours: summarize(ours), loop: summarize(durations.map(fixedLoop)) };
}

describe('DurationModel', () => {
  it('with no samples fits the prior: median 15 s, spread widened for not knowing the median', () => {
    const { mu, sigma, within } = new DurationModel().fit();
    assert.ok(Math.abs(Math.exp(mu) - 15_000) < 15, `median ${Math.exp(mu)}`);
    assert.ok(Math.abs(within - DEFAULT_PRIOR.sigma) < 1e-9, `within ${within}`);
    assert.ok(sigma > 1.5 * within, `predictive sigma ${sigma}`);
  });

  it('converges to the samples as they accumulate (median 40 s, sigma 0.2), narrowing as it learns', () => {
    const samples = logNormalDurations(200, 3, 40_000, 0.2);
    const spreads = [1, 5, 50, 200].map((n) => new DurationModel(samples.slice(0, n)).fit().sigma);
    for (let i = 1; i < spreads.length; i++) assert.ok(spreads[i] < spreads[i - 1], `predictive sigma should shrink: ${spreads.map((v) => v.toFixed(3)).join(', ')}`);
    const { mu, sigma } = new DurationModel(samples).fit();
    assert.ok(Math.abs(Math.exp(mu) - 40_000) / 40_000 < 0.05, `median ${Math.exp(mu)}`);
    assert.ok(Math.abs(sigma - 0.2) < 0.04, `sigma ${sigma}`);
  });

  // A user whose jobs take 5 s must not wait for dozens of jobs before the model believes it.
  it('learns fast: one 5 s job moves the median most of the way from the 15 s prior', () => {
    const { mu } = new DurationModel([5_000]).fit();
    assert.ok(Math.exp(mu) < 6_500, `median after one 5 s job: ${Math.exp(mu).toFixed(0)} ms`);
  });

  it('learns through add() exactly as through the constructor', () => {
    const samples = logNormalDurations(30, 4, 25_000, 0.3);
    const model = new DurationModel();
    for (const s of samples) model.add(s);
    assert.deepStrictEqual(model.fit(), new DurationModel(samples).fit());
    assert.deepStrictEqual(model.toJSON(), samples);
  });

  it('ignores non-finite, zero and negative durations', () => {
    const model = new DurationModel([NaN, 0, -5, Infinity]);
    model.add(NaN);
    model.add(-1);
    model.add(0);
    model.add(Infinity);
    assert.deepStrictEqual(model.toJSON(), []);
    assert.deepStrictEqual(model.fit(), new DurationModel().fit());
  });

  it('keeps only the most recent 200 samples', () => {
    const model = new DurationModel(Array.from({ length: 100 }, () => 1_000));
    for (const s of logNormalDurations(200, 5, 40_000, 0.2)) model.add(s);
    assert.strictEqual(model.toJSON().length, 200);
    assert.ok(!model.toJSON().includes(1_000), 'old samples dropped');
    assert.ok(Math.exp(model.fit().mu) > 35_000, `median ${Math.exp(model.fit().mu)}`);
  });
});

describe('SilentSchedule', () => {
  const durations = logNormalDurations(JOBS, 1);
  const fixed = summarize(durations.map(fixedLoop));

  it('the fixed 2 s baseline is what theory says (≈ 1 s lag, ≈ T/2 + 0.5 GETs)', () => {
    // Guards the simulation itself: a broken baseline would make the comparisons below meaningless.
    assert.ok(Math.abs(fixed.lagMs - 1_000) < 60, `fixed lag ${fixed.lagMs}`);
    assert.ok(Math.abs(fixed.gets - (mean(durations) / FIXED_INTERVAL_MS + 0.5)) < 0.1, `fixed GETs ${fixed.gets}`);
  });

  it('always returns a delay within [min, max]', () => {
    const schedule = new SilentSchedule(new DurationModel().fit(), DEFAULT_SCHEDULE);
    for (let t = 0; t <= 300_000; t += 137) {
      const delay = schedule.nextDelay(t, Math.floor(t / 1_000));
      assert.ok(delay >= DEFAULT_SCHEDULE.minIntervalMs && delay <= DEFAULT_SCHEDULE.maxIntervalMs, `delay ${delay} at ${t}`);
    }
  });

  for (const [name, model] of [
    ['the prior (a new user)', new DurationModel()],
    ['a learned model', new DurationModel(logNormalDurations(200, 2))],
  ] as const) {
    it(`with ${name}: no more GETs than the fixed 2 s loop and lower mean lag`, () => {
      const schedule = new SilentSchedule(model.fit(), DEFAULT_SCHEDULE);
      const silent = summarize(durations.map((d) => silentLoop(schedule, d)));
      // Seen: prior 8.30 GETs / 897 ms, learned 8.20 GETs / 697 ms vs fixed 8.46 GETs / 1000 ms.
      assert.ok(silent.gets <= fixed.gets, `GETs: ${silent.gets.toFixed(2)} vs fixed ${fixed.gets.toFixed(2)}`);
      assert.ok(silent.lagMs < fixed.lagMs, `lag: ${silent.lagMs.toFixed(0)} ms vs fixed ${fixed.lagMs.toFixed(0)} ms`);
    });
  }

  // Regression: a 40 s job under the 15 s prior used to pay ~10 requests more than the loop (polls
  // dense where the prior expected the finish, then the loop's pace on top).
  it('a job that outlives the model pays back its extra requests', () => {
    const schedule = new SilentSchedule(new DurationModel().fit(), DEFAULT_SCHEDULE);
    const slow = logNormalDurations(500, 6, 60_000, 0.2).map((d) => silentLoop(schedule, d));
    const loop = logNormalDurations(500, 6, 60_000, 0.2).map(fixedLoop);
    assert.ok(mean(slow.map((o) => o.gets)) <= mean(loop.map((o) => o.gets)) + 1, `GETs: ${mean(slow.map((o) => o.gets)).toFixed(1)} vs loop ${mean(loop.map((o) => o.gets)).toFixed(1)}`);
  });

  it('scaleSchedule scales every delay by the same factor', () => {
    const fit = new DurationModel().fit();
    const scaledFit = { ...fit, mu: fit.mu + Math.log(0.01) };
    const full = new SilentSchedule(fit, DEFAULT_SCHEDULE);
    const scaled = new SilentSchedule(scaledFit, scaleSchedule(DEFAULT_SCHEDULE, 0.01));
    for (const t of [0, 3_000, 12_000, 20_000, 40_000]) {
      const a = full.nextDelay(t, 3);
      const b = scaled.nextDelay(t * 0.01, 3);
      assert.ok(Math.abs(b - a * 0.01) < a * 0.01 * 0.01, `at ${t}: ${a} vs ${b}`);
    }
  });
});

describe('estimateFinish', () => {
  const linear = (durationMs: number, queueMs: number, times: number[]): Observation[] =>
    times.map((t) => ({ elapsedMs: t, progress: t < queueMs ? 0 : (100 * (t - queueMs)) / (durationMs - queueMs) }));
  const within5 = (actual: number | undefined, expected: number) =>
    assert.ok(actual !== undefined && Math.abs(actual - expected) / expected <= 0.05, `predicted ${actual}, expected ${expected}`);

  it('linear progress from acceptance', () => {
    within5(estimateFinish(linear(20_000, 0, [2_000, 4_000, 6_000, 8_000]))?.atMs, 20_000);
  });

  it('linear progress after a queue that was observed idle', () => {
    within5(estimateFinish(linear(20_000, 1_600, [1_000, 3_000, 5_000, 7_000, 9_000]))?.atMs, 20_000);
    within5(estimateFinish(linear(60_000, 1_000, [10_000, 20_000, 30_000, 40_000, 50_000]))?.atMs, 60_000);
    // The queue seen through a QUEUED poll (no observation) rather than a 0 % one.
    within5(estimateFinish(linear(20_000, 1_600, [3_000, 5_000]), 1_500)?.atMs, 20_000);
  });

  it('uses recent points: a long series of a 90 s job', () => {
    const times = Array.from({ length: 20 }, (_, i) => 2_000 + i * 4_000);
    within5(estimateFinish(linear(90_000, 3_000, times))?.atMs, 90_000);
  });

  it('the spread shrinks as readings accumulate and the finish nears', () => {
    const spreads = [[2_000], [2_000, 6_000], [2_000, 6_000, 12_000], [2_000, 6_000, 12_000, 18_000]].map(
      (times) => estimateFinish(linear(20_000, 0, times))!.spreadMs,
    );
    for (let i = 1; i < spreads.length; i++) assert.ok(spreads[i] < spreads[i - 1], `spreads ${spreads.map((s) => s.toFixed(0)).join(', ')}`);
  });

  it('is undefined when progress says nothing', () => {
    assert.strictEqual(estimateFinish([]), undefined);
    assert.strictEqual(estimateFinish([{ elapsedMs: 1_000, progress: 0 }, { elapsedMs: 3_000, progress: 0 }]), undefined);
    assert.strictEqual(estimateFinish([{ elapsedMs: 1_000, progress: 100 }]), undefined);
  });
});

describe('PollSchedule', function () {
  // Thousands of simulated jobs, each planning afresh at every poll (~1 ms): seconds, not milliseconds.
  this.timeout(30_000);
  const durations = logNormalDurations(JOBS, 1);

  it('with informative noisy progress (a new user): mean lag ≤ 1/4 of the fixed loop at no more GETs', () => {
    // Every poll plans afresh around the predicted finish (~1 ms each): 500 jobs keep this test quick.
    const jobs = durations.slice(0, 500);
    const noise = mulberry32(9);
    const polled = summarize(jobs.map((d) => pollLoop(new PollSchedule(new DurationModel()), new SimulatedJob(d, mulberry32(Math.floor(noise() * 2 ** 31))))));
    const loop = summarize(jobs.map(fixedLoop));
    // Seen: 6.8 GETs / 170 ms lag vs fixed 8.46 GETs / 1000 ms lag.
    assert.ok(polled.gets <= loop.gets, `GETs: ${polled.gets.toFixed(2)} vs fixed ${loop.gets.toFixed(2)}`);
    assert.ok(polled.lagMs <= loop.lagMs / 4, `lag: ${polled.lagMs.toFixed(0)} ms vs fixed ${loop.lagMs.toFixed(0)} ms`);
  });

  it('with silent progress follows the silent schedule', () => {
    const model = new DurationModel();
    const schedule = new PollSchedule(model);
    const silent = new SilentSchedule(model.fit(), DEFAULT_SCHEDULE);
    const observations = [{ elapsedMs: 1_000, progress: 0 }];
    [0, 1_000, 9_000, 15_000, 30_000].forEach((t, polls) => assert.strictEqual(schedule.nextDelay(t, observations), silent.nextDelay(t, polls)));
  });

  // The probe: whatever the model believes (here: jobs take 40 s), the first poll comes after 1 s, so
  // a job that fails at once (a content-policy refusal) is reported within 2 s, like the documented loop.
  for (const [name, model] of [
    ['a new user', new DurationModel()],
    ['a model that learned 40 s jobs', new DurationModel(logNormalDurations(200, 7, 40_000))],
  ] as const) {
    it(`a job that fails within 1 s is reported within 2 s (${name})`, () => {
      for (const failsAt of [50, 400, 999]) {
        const schedule = new PollSchedule(model);
        let t = 0;
        while (t < failsAt) t += schedule.nextDelay(t, []);
        assert.ok(t <= 2_000 - 100, `failed at ${failsAt} ms, seen at ${t} ms (100 ms left for the request)`);
      }
    });
  }

  // Issue 14: a new user's job that finished in 4 s (with progress) was first polled at 5.9 s, noticed
  // later than the documented loop would have.
  it('a new user’s ~4 s jobs with progress are noticed sooner than by the loop, at no more GETs', () => {
    const jobs = logNormalDurations(300, 11, 4_000, 0.2);
    const noise = mulberry32(11);
    const polled = summarize(jobs.map((d) => pollLoop(new PollSchedule(new DurationModel()), new SimulatedJob(d, mulberry32(Math.floor(noise() * 2 ** 31))))));
    const loop = summarize(jobs.map(fixedLoop));
    assert.ok(polled.gets <= loop.gets, `GETs: ${polled.gets.toFixed(2)} vs fixed ${loop.gets.toFixed(2)}`);
    // Seen: 908 ms at 2.04 GETs vs 952 ms at 2.49: the probe's reading is all such a short job can afford.
    assert.ok(polled.lagMs < loop.lagMs, `lag: ${polled.lagMs.toFixed(0)} ms vs fixed ${loop.lagMs.toFixed(0)} ms`);
  });

  // Distribution shift: jobs of 5 s and 40 s while the prior says 15 s, 10 at a time, the model
  // learning as they finish (as the engine does). Silent is the hard case: no progress to read. Silent
  // 5 s jobs come out at ~0.92× the loop's lag (the 1 s probe is one of their ~3 requests), with ±5 %
  // from the sample alone at 300 jobs: 600 keep the comparison about the schedule, not the sample.
  for (const [medianMs, count] of [
    [5_000, 600],
    [40_000, 120],
  ]) {
    for (const informative of [true, false]) {
      it(`jobs of ${medianMs / 1000} s from a new user, ${informative ? 'informative' : 'silent'}: lower lag than the loop at no more GETs`, () => {
        const jobs = logNormalDurations(count, 12, medianMs);
        const { ours, loop } = stream(jobs, { concurrency: 10, informative, learn: true, seed: 13 });
        assert.ok(ours.gets <= loop.gets, `GETs: ${ours.gets.toFixed(2)} vs loop ${loop.gets.toFixed(2)}`);
        assert.ok(ours.lagMs < (informative ? 0.8 : 1) * loop.lagMs, `lag: ${ours.lagMs.toFixed(0)} ms vs loop ${loop.lagMs.toFixed(0)} ms`);
      });
    }
  }

  // Jobs run side by side: those that finish first are the short ones. A job still running past the
  // median they suggest learns nothing about itself from them (it is one of the long ones), so it keeps
  // its plan; a younger job takes the new one. (Without this, the first 40 s jobs of a new user polled
  // ~35 times each, the loop 22.)
  it('a running job learns from jobs that finish meanwhile, unless it has outlived them', () => {
    const model = new DurationModel();
    const before = new SilentSchedule(model.fit(), DEFAULT_SCHEDULE);
    const young = new PollSchedule(model);
    const old = new PollSchedule(model);
    young.nextDelay(0, []);
    old.nextDelay(0, []);
    for (const d of [9_000, 9_500, 10_000]) model.add(d);
    const after = new SilentSchedule(model.fit(), DEFAULT_SCHEDULE);
    assert.ok(Math.exp(model.fit().mu) < 11_000, `median ${Math.exp(model.fit().mu)}`);
    assert.notStrictEqual(after.nextDelay(3_000, 1), before.nextDelay(3_000, 1));
    assert.notStrictEqual(after.nextDelay(12_000, 1), before.nextDelay(12_000, 1));
    assert.strictEqual(young.nextDelay(3_000, []), after.nextDelay(3_000, 1));
    assert.strictEqual(old.nextDelay(12_000, []), before.nextDelay(12_000, 1));
  });

  // A job whose progress stalls near the end (95 % from 2 s until it completes at 60 s) must not be
  // polled densely forever: it falls back to the silent schedule.
  it('a stalled progress report polls like a silent job, not densely', () => {
    const schedule = new PollSchedule(new DurationModel());
    const durationMs = 60_000;
    const observations: Observation[] = [];
    let t = 0;
    let gets = 0;
    while (t < durationMs) {
      t += schedule.nextDelay(t, observations);
      gets++;
      observations.push({ elapsedMs: t, progress: t >= 2_000 ? 95 : 0 });
    }
    const silent = new PollSchedule(new DurationModel());
    let silentGets = 0;
    for (let elapsed = 0; elapsed < durationMs; silentGets++) elapsed += silent.nextDelay(elapsed, []);
    assert.ok(gets <= silentGets + 4, `GETs: ${gets} vs ${silentGets} for the same job with no progress`);
    assert.ok(gets <= 1.25 * fixedLoop(durationMs).gets, `GETs: ${gets} vs fixed ${fixedLoop(durationMs).gets}`);
  });
});
