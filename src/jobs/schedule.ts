// When to ask the server about a job next. Apiframe's documented loop asks every 2 s, so on average
// it notices completion ~1 s late and pays ~T/2 requests. We do better with the same budget:
//  - informative progress: extrapolate the finish time from the progress rate and poll around it;
//  - no usable progress: spend the request budget where jobs actually finish, using the learned
//    duration distribution. Minimising expected lag for a given expected request count gives a poll
//    rate proportional to the square root of the hazard rate h(t) = f(t) / S(t).

export interface ScheduleConfig {
  /** Never poll faster than this. */
  minIntervalMs: number;
  /** Never wait longer than this between polls. */
  maxIntervalMs: number;
  /** The documented loop's interval: our request budget matches its expected request count. */
  referenceIntervalMs: number;
}

export const DEFAULT_SCHEDULE: ScheduleConfig = { minIntervalMs: 150, maxIntervalMs: 8_000, referenceIntervalMs: 2_000 };

/** Scales every interval, so tests and benchmarks can run generation time-lapsed. */
export function scaleSchedule(config: ScheduleConfig, factor: number): ScheduleConfig {
  return {
    minIntervalMs: config.minIntervalMs * factor,
    maxIntervalMs: config.maxIntervalMs * factor,
    referenceIntervalMs: config.referenceIntervalMs * factor,
  };
}

export interface Observation {
  /** Milliseconds since the job was accepted. */
  elapsedMs: number;
  progress: number;
}

const MAX_SAMPLES = 200;
/** Ultra's documented average; used until we have seen real jobs. */
const PRIOR = { medianMs: 15_000, sigma: 0.5, weight: 5 };

/** Log-normal model of how long jobs take, learned from completed jobs and blended with a prior. */
export class DurationModel {
  private readonly samples: number[];

  constructor(samples: readonly number[] = [], private readonly prior = PRIOR) {
    this.samples = samples.filter((value) => Number.isFinite(value) && value > 0).slice(-MAX_SAMPLES);
  }

  add(durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs <= 0) return;
    this.samples.push(durationMs);
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
  }

  toJSON(): number[] {
    return [...this.samples];
  }

  /** Parameters of the log-normal in log-milliseconds. */
  fit(): { mu: number; sigma: number } {
    const priorMu = Math.log(this.prior.medianMs);
    const n = this.samples.length;
    if (n === 0) return { mu: priorMu, sigma: this.prior.sigma };
    const logs = this.samples.map(Math.log);
    const mean = logs.reduce((sum, value) => sum + value, 0) / n;
    const variance = logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / n;
    const w = this.prior.weight;
    const mu = (n * mean + w * priorMu) / (n + w);
    const blendedVariance = (n * variance + w * this.prior.sigma ** 2) / (n + w);
    return { mu, sigma: Math.max(0.05, Math.sqrt(blendedVariance)) };
  }
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export interface LogNormal {
  mu: number;
  sigma: number;
}

export function logNormalPdf(t: number, { mu, sigma }: LogNormal): number {
  if (t <= 0) return 0;
  const z = (Math.log(t) - mu) / sigma;
  return Math.exp(-0.5 * z * z) / (t * sigma * Math.sqrt(2 * Math.PI));
}

export function logNormalSurvival(t: number, { mu, sigma }: LogNormal): number {
  if (t <= 0) return 1;
  return 1 - normalCdf((Math.log(t) - mu) / sigma);
}

/**
 * Poll-rate density for a job with no progress information: c·sqrt(h(t)), with c chosen so the
 * expected number of requests equals the documented loop's (E[T] / interval + 1).
 */
export class HazardSchedule {
  private readonly step: number;
  private readonly rate: Float64Array;

  constructor(readonly distribution: LogNormal, private readonly config: ScheduleConfig) {
    const { mu, sigma } = distribution;
    const horizon = Math.exp(mu + 4 * sigma);
    this.step = horizon / 2000;
    const sqrtHazard = new Float64Array(2001);
    let weightedSum = 0;
    for (let i = 0; i <= 2000; i++) {
      const t = (i + 0.5) * this.step;
      const survival = logNormalSurvival(t, distribution);
      const hazard = survival > 1e-12 ? logNormalPdf(t, distribution) / survival : 0;
      sqrtHazard[i] = Math.sqrt(hazard);
      weightedSum += sqrtHazard[i] * survival * this.step;
    }
    const meanDuration = Math.exp(mu + (sigma * sigma) / 2);
    // The documented loop (wait 2 s, GET) costs E[ceil(T / 2 s)] ≈ E[T] / 2 s + 0.5 requests. We
    // spend a little less: the detecting request plus the spread polls, whose expected count is
    // ∫ rate(t)·S(t) dt. Clamping the rate changes that integral, so c is found by bisection.
    const budget = Math.max(0.5, meanDuration / config.referenceIntervalMs - 0.6);
    const survival = new Float64Array(2001);
    for (let i = 0; i <= 2000; i++) survival[i] = logNormalSurvival((i + 0.5) * this.step, distribution);
    // Past the 90th percentile the fitted tail is a guess; there, never poll faster than the
    // documented loop, so an unusually slow job cannot cost more requests than it would have.
    const rateFor = (c: number, i: number) =>
      Math.min(survival[i] < TAIL_SURVIVAL ? 1 / config.referenceIntervalMs : 1 / config.minIntervalMs, Math.max(1 / config.maxIntervalMs, c * sqrtHazard[i]));
    const expectedPolls = (c: number) => {
      let sum = 0;
      for (let i = 0; i <= 2000; i++) sum += rateFor(c, i) * survival[i] * this.step;
      return sum;
    };
    let low = 0;
    let high = (budget / weightedSum) * 64;
    for (let iteration = 0; iteration < 60; iteration++) {
      const mid = (low + high) / 2;
      if (expectedPolls(mid) > budget) high = mid;
      else low = mid;
    }
    this.rate = sqrtHazard.map((_, i) => rateFor(low, i));
  }

  /** Delay from `elapsedMs` until the next poll: where the integrated rate reaches one request. */
  nextDelay(elapsedMs: number): number {
    // Walk the cells by index (not by time) so floating-point edges cannot stall the walk.
    const last = this.rate.length - 1;
    let index = Math.min(last, Math.floor(elapsedMs / this.step));
    let t = elapsedMs;
    let accumulated = 0;
    for (;;) {
      const rate = this.rate[index];
      const needed = (1 - accumulated) / rate;
      const cellEnd = (index + 1) * this.step;
      if (index === last || t + needed <= cellEnd) {
        return clamp(t + needed - elapsedMs, this.config.minIntervalMs, this.config.maxIntervalMs);
      }
      accumulated += rate * Math.max(0, cellEnd - t);
      t = cellEnd;
      index++;
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * Predicted finish (ms since acceptance) from the progress seen so far, or undefined when progress
 * tells us nothing (none yet, or not rising).
 */
export function predictFinish(observations: readonly Observation[]): number | undefined {
  const moving = observations.filter((o) => o.progress > 0 && o.progress < 100);
  if (moving.length === 0) return undefined;
  // Progress that has not risen for a good while says nothing about the finish (a stall): fall back
  // to the learned durations. Short flat runs are normal when polls are dense near the end.
  const latest = moving[moving.length - 1];
  const flatSince = moving.find((o) => o.progress >= latest.progress)!;
  if (latest.elapsedMs - flatSince.elapsedMs > STALL_FRACTION * latest.elapsedMs) return undefined;
  // Anchor at the last observation with no progress (or acceptance), then fit a line through the rest.
  const lastIdle = [...observations].reverse().find((o) => o.progress <= 0 && o.elapsedMs < moving[0].elapsedMs);
  const points = [{ elapsedMs: lastIdle?.elapsedMs ?? 0, progress: 0 }, ...moving.slice(-4)];
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
  const last = moving[moving.length - 1];
  return last.elapsedMs + (100 - last.progress) / slope;
}

/** Survival below which the schedule stops trusting the fitted tail. */
const TAIL_SURVIVAL = 0.1;

/** Progress flat for longer than this fraction of the elapsed time counts as stalled. */
const STALL_FRACTION = 0.15;

/** Fraction of the remaining predicted time to wait while still far from the finish. */
const APPROACH = 0.6;

export class PollSchedule {
  private readonly hazard: HazardSchedule;

  constructor(model: DurationModel, private readonly config: ScheduleConfig = DEFAULT_SCHEDULE) {
    this.hazard = new HazardSchedule(model.fit(), config);
  }

  /** Delay before the next poll, given what the job has reported so far. */
  nextDelay(elapsedMs: number, observations: readonly Observation[]): number {
    const finish = predictFinish(observations);
    if (finish === undefined) return this.hazard.nextDelay(elapsedMs);
    const dense = clamp(finish * 0.015, this.config.minIntervalMs, this.config.maxIntervalMs);
    const remaining = finish - elapsedMs;
    if (remaining > 3 * dense) return clamp(remaining * APPROACH, this.config.minIntervalMs, this.config.maxIntervalMs);
    if (remaining > 0) return clamp(remaining + dense / 4, this.config.minIntervalMs, this.config.maxIntervalMs);
    // Past the prediction: keep close, backing off in proportion to how wrong we were.
    return clamp(Math.max(dense, -remaining / 4), this.config.minIntervalMs, this.config.maxIntervalMs);
  }
}
