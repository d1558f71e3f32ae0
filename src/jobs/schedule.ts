// When to ask the server about a job next. Apiframe's documented loop asks every 2 s, so on average
// it notices completion ~1 s late and pays ~T/2 requests. We do better with no more requests:
//  - the probe: the first poll comes after 1 s whatever we believe, so a job that fails (or finishes)
//    at once is reported within 2 s, and a job that reports progress is read early;
//  - informative progress: a line through the readings predicts the finish within a spread; we plan
//    the polls around it (again at every poll, as each reading sharpens the line);
//  - no usable progress: we plan the polls on the distribution of durations learned from finished
//    jobs (a new user's first jobs on a wide prior around Ultra's documented 15 s).
// Both plans are the exact optimum of expected lag for the request budget (pollPlan.ts).
import { type LogNormal, PollPlan, logNormal, logNormalSurvival, loopRequests, normalAfter } from './pollPlan';

export interface ScheduleConfig {
  /** Never poll faster than this. */
  minIntervalMs: number;
  /** Never wait longer than this between polls. */
  maxIntervalMs: number;
  /** The documented loop's interval: our request budget matches its expected request count. */
  referenceIntervalMs: number;
  /** The first poll, whatever the model says. */
  probeMs: number;
}

export const DEFAULT_SCHEDULE: ScheduleConfig = { minIntervalMs: 150, maxIntervalMs: 8_000, referenceIntervalMs: 2_000, probeMs: 1_000 };

/** Scales every interval, so tests and benchmarks can run generation time-lapsed. */
export function scaleSchedule(config: ScheduleConfig, factor: number): ScheduleConfig {
  return {
    minIntervalMs: config.minIntervalMs * factor,
    maxIntervalMs: config.maxIntervalMs * factor,
    referenceIntervalMs: config.referenceIntervalMs * factor,
    probeMs: config.probeMs * factor,
  };
}

export interface Observation {
  /** Milliseconds since the job was accepted. */
  elapsedMs: number;
  progress: number;
}

export interface DurationFit extends LogNormal {
  /** The spread of one job's duration around a known median (`sigma` also covers not knowing the median). */
  within: number;
}

const MAX_SAMPLES = 200;

/**
 * What we believe before the first job: Ultra's documented median, known only loosely (worth 0.3 of a
 * sample, so a user whose jobs take 5 s or 40 s moves it within a job or two), and a spread around a
 * user's own median like the service's (worth 3 samples).
 */
export const DEFAULT_PRIOR = { medianMs: 15_000, sigma: 0.35, medianWeight: 0.3, spreadWeight: 3 };

export type DurationPrior = typeof DEFAULT_PRIOR;

/**
 * Log-normal model of how long jobs take, learned from completed jobs (normal–inverse-gamma posterior).
 * The fit is the predictive distribution of the next job: wide while few samples pin the median down or
 * while they disagree with the prior, narrowing to the samples' own spread.
 */
export class DurationModel {
  private readonly samples: number[];
  /** Bumped by every add(), so jobs still running can pick up what was just learned. */
  revision = 0;
  private fitted: { revision: number; fit: DurationFit } | undefined;

  constructor(samples: readonly number[] = [], private readonly prior: DurationPrior = DEFAULT_PRIOR) {
    this.samples = samples.filter((value) => Number.isFinite(value) && value > 0).slice(-MAX_SAMPLES);
  }

  add(durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs <= 0) return;
    this.samples.push(durationMs);
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
    this.revision++;
  }

  toJSON(): number[] {
    return [...this.samples];
  }

  /** Parameters of the log-normal in log-milliseconds. */
  fit(): DurationFit {
    if (this.fitted?.revision !== this.revision) this.fitted = { revision: this.revision, fit: this.computeFit() };
    return this.fitted.fit;
  }

  private computeFit(): DurationFit {
    const { medianWeight, spreadWeight } = this.prior;
    const priorMu = Math.log(this.prior.medianMs);
    const n = this.samples.length;
    const logs = this.samples.map(Math.log);
    const mean = n ? logs.reduce((sum, value) => sum + value, 0) / n : priorMu;
    const squares = logs.reduce((sum, value) => sum + (value - mean) ** 2, 0);
    const weight = medianWeight + n;
    const mu = (medianWeight * priorMu + n * mean) / weight;
    const disagreement = ((medianWeight * n) / weight) * (mean - priorMu) ** 2;
    const within = Math.max(0.05, Math.sqrt((spreadWeight * this.prior.sigma ** 2 + squares + disagreement) / (spreadWeight + n)));
    return { mu, sigma: within * Math.sqrt(1 + 1 / weight), within };
  }
}

export interface Finish {
  /** Predicted finish, ms since acceptance. */
  atMs: number;
  /** Its standard error, from how well the progress readings fit a line. */
  spreadMs: number;
}

/** Progress readings are noisy by a few points (and rounded): never trust a line more than this. */
const PROGRESS_NOISE = 3;

/** Progress flat for longer than this fraction of the elapsed time counts as stalled. */
const STALL_FRACTION = 0.15;

/**
 * Predicted finish from the progress seen so far, or undefined when progress tells us nothing (none
 * yet, or not rising). `idleAtMs`: the latest poll that saw the job not moving yet.
 */
export function estimateFinish(observations: readonly Observation[], idleAtMs = 0): Finish | undefined {
  const moving = observations.filter((o) => o.progress > 0 && o.progress < 100);
  if (moving.length === 0) return undefined;
  // Progress that has not risen for a good while says nothing about the finish (a stall): fall back
  // to the learned durations. Short flat runs are normal when polls are dense near the end.
  const latest = moving[moving.length - 1];
  const flatSince = moving.find((o) => o.progress >= latest.progress)!;
  if (latest.elapsedMs - flatSince.elapsedMs > STALL_FRACTION * latest.elapsedMs) return undefined;
  // Anchor at the last observation with no progress (or acceptance), then fit a line through the rest.
  const lastIdle = [...observations].reverse().find((o) => o.progress <= 0 && o.elapsedMs < moving[0].elapsedMs);
  const points = [{ elapsedMs: Math.max(idleAtMs, lastIdle?.elapsedMs ?? 0), progress: 0 }, ...moving.slice(-4)];
  const n = points.length;
  const meanT = points.reduce((s, p) => s + p.elapsedMs, 0) / n;
  const meanP = points.reduce((s, p) => s + p.progress, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.elapsedMs - meanT) * (p.progress - meanP);
    variance += (p.elapsedMs - meanT) ** 2;
  }
  const slope = variance > 0 ? covariance / variance : 0;
  if (!(slope > 0)) return undefined;
  const residuals = points.reduce((sum, p) => sum + (p.progress - meanP - slope * (p.elapsedMs - meanT)) ** 2, 0);
  const noise = Math.max(PROGRESS_NOISE, n > 2 ? Math.sqrt(residuals / (n - 2)) : 0);
  // Where the line reaches 100 %, and how far that moves with the noise (inverse prediction).
  const spreadMs = (noise / slope) * Math.sqrt(1 / n + (100 - meanP) ** 2 / (slope * slope * variance));
  return { atMs: latest.elapsedMs + (100 - latest.progress) / slope, spreadMs };
}

/**
 * Requests per job the silent plan stays below the documented loop's, for model error; scaled by how
 * much the predictive spread exceeds the learned one (about 2 for a new user, 1 once the median is known).
 */
const GET_MARGIN = 0.1;
/** Grid cells of the silent plan: fine enough for sub-second polls, planned in a few ms. */
const SILENT_CELLS = 500;
/** The silent plan ends where the fitted survival is 1e-4; the tail rule covers the rest. */
const HORIZON_Z = 3.72;
/** z of the fitted log-normal past which its tail is a guess (survival 10 %). */
const TAIL_Z = 1.2816;
/** In that tail, requests made beyond the documented loop's count are paid back over this many polls. */
const PAYBACK = 8;

/**
 * The schedule of a job with no progress information: the probe, then the plan that minimises the
 * expected lag on the fitted (predictive) distribution while its expected request count, counted on
 * the typical distribution (the learned spread, not the uncertainty about the median), stays
 * GET_MARGIN below the documented loop's.
 */
export class SilentSchedule {
  private readonly plan: PollPlan;
  private readonly tailFromMs: number;

  constructor(readonly distribution: DurationFit, private readonly config: ScheduleConfig) {
    const { mu, sigma } = distribution;
    const typical = { mu, sigma: distribution.within };
    const endMs = Math.max(2 * config.probeMs, Math.exp(mu + HORIZON_Z * sigma));
    const grid = { startMs: 0, endMs, cells: SILENT_CELLS, minGapMs: config.minIntervalMs, maxGapMs: config.maxIntervalMs };
    const probeCell = Math.round((config.probeMs / endMs) * SILENT_CELLS);
    // The probe is one request of the budget; the plan spends the rest from there.
    const budget = loopRequests(typical, config.referenceIntervalMs) - GET_MARGIN * (sigma / typical.sigma) - 1;
    this.plan = new PollPlan(grid, logNormal(distribution), budget, probeCell, (t) => logNormalSurvival(t, typical));
    this.tailFromMs = Math.exp(mu + TAIL_Z * sigma);
  }

  /** Delay from `elapsedMs` until the next poll, `polls` requests having been made so far. */
  nextDelay(elapsedMs: number, polls = 0): number {
    const { probeMs, referenceIntervalMs, minIntervalMs, maxIntervalMs } = this.config;
    if (elapsedMs < probeMs) return clamp(probeMs - elapsedMs, minIntervalMs, maxIntervalMs);
    let delay = (this.plan.nextPollAfter(elapsedMs) ?? elapsedMs + referenceIntervalMs) - elapsedMs;
    if (elapsedMs >= this.tailFromMs) {
      // A job that outlives the model: pay back the requests made beyond the documented loop's count.
      const ahead = Math.max(0, polls - elapsedMs / referenceIntervalMs);
      delay = Math.max(delay, referenceIntervalMs * (1 + ahead / PAYBACK));
    }
    return clamp(delay, minIntervalMs, maxIntervalMs);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Silent schedules by model: jobs polling under the same model revision share one (planning takes a few ms). */
const silentSchedules = new WeakMap<DurationModel, { revision: number; config: ScheduleConfig; schedule: SilentSchedule }>();

function silentScheduleFor(model: DurationModel, config: ScheduleConfig): SilentSchedule {
  const cached = silentSchedules.get(model);
  if (cached && cached.revision === model.revision && cached.config === config) return cached.schedule;
  const schedule = new SilentSchedule(model.fit(), config);
  silentSchedules.set(model, { revision: model.revision, config, schedule });
  return schedule;
}

/** A running job takes a new plan when the model's median or spread moved by more than this fraction of the spread. */
const REPLAN = 0.1;

function planMoved(current: LogNormal, latest: LogNormal): boolean {
  return Math.abs(latest.mu - current.mu) > REPLAN * current.sigma || Math.abs(latest.sigma - current.sigma) > REPLAN * current.sigma;
}

/** Grid cells of a plan around a predicted finish (made at every poll, so small). */
const INFORMATIVE_CELLS = 100;
/** A predicted finish is never taken as more precise than this fraction of it. */
const MIN_SPREAD = 0.01;

/** One job's schedule (the engine makes one per job and asks it after every poll). */
export class PollSchedule {
  /** Calls so far: the first comes before any poll, each later one right after a poll. */
  private calls = 0;
  /** The latest poll that saw no progress yet: the line through the progress starts there. */
  private idleAtMs = 0;
  private silent: SilentSchedule | undefined;

  constructor(private readonly model: DurationModel, private readonly config: ScheduleConfig = DEFAULT_SCHEDULE) {}

  /** Delay before the next poll, given what the job has reported so far. */
  nextDelay(elapsedMs: number, observations: readonly Observation[]): number {
    const polls = this.calls++;
    if (!observations.some((o) => o.progress > 0)) this.idleAtMs = elapsedMs;
    const finish = estimateFinish(observations, this.idleAtMs);
    const delay = finish === undefined ? this.silentDelay(elapsedMs, polls) : this.approach(finish, elapsedMs, polls);
    return clamp(delay, this.config.minIntervalMs, this.config.maxIntervalMs);
  }

  private silentDelay(elapsedMs: number, polls: number): number {
    // Follow what other jobs just taught the model, but not every small change (switching between
    // nearly equal plans mid-job adds requests neither would make), and not once this job has
    // outlived the new median: the jobs that finished meanwhile are the short ones, the long ones
    // are still running, like this one.
    const fit = this.model.fit();
    if (!this.silent || (planMoved(this.silent.distribution, fit) && elapsedMs < Math.exp(fit.mu))) {
      this.silent = silentScheduleFor(this.model, this.config);
    }
    return this.silent.nextDelay(elapsedMs, polls);
  }

  /**
   * Progress predicts the finish within a spread: plan the polls that minimise the expected lag for
   * that finish, with the requests the documented loop would still spend on a job this long. Each
   * poll brings a new reading, so the plan is made again at every poll.
   */
  private approach({ atMs, spreadMs }: Finish, elapsedMs: number, polls: number): number {
    const spread = Math.max(spreadMs, MIN_SPREAD * atMs);
    const endMs = atMs + 4 * spread;
    // Past any plausible finish (a stall the line has not caught yet): back off in proportion to how late it is.
    if (elapsedMs >= endMs) return (elapsedMs - atMs) / 4;
    const spare = Math.max(1, atMs / this.config.referenceIntervalMs + 0.5 - polls);
    const grid = { startMs: elapsedMs, endMs, cells: INFORMATIVE_CELLS, minGapMs: this.config.minIntervalMs, maxGapMs: this.config.maxIntervalMs };
    const plan = new PollPlan(grid, normalAfter(atMs, spread, elapsedMs), spare, 0);
    return (plan.nextPollAfter(elapsedMs) ?? endMs) - elapsedMs;
  }
}
