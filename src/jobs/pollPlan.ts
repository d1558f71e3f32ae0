// The best poll times for a job whose finish time follows a known distribution: the deterministic
// polls t1 < t2 < … that minimise the expected detection lag E[first poll ≥ T − T] plus a price per
// request, found by dynamic programming over "polled at t_i, job still running" states on a time
// grid (exact on the grid; test/bench/optimal.ts does the same on a fine grid to measure how close
// we get). The price is set by bisection so the expected request count fits a budget.

/** A finish-time distribution as the plan needs it. */
export interface FinishDistribution {
  /** P(T > t). */
  survival(t: number): number;
  /** ∫ u f(u) du from the start of the grid to t. */
  partialMean(t: number): number;
}

export interface LogNormal {
  mu: number;
  sigma: number;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

const normalPdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

export function logNormalSurvival(t: number, { mu, sigma }: LogNormal): number {
  if (t <= 0) return 1;
  return 1 - normalCdf((Math.log(t) - mu) / sigma);
}

export function logNormal(distribution: LogNormal): FinishDistribution {
  const { mu, sigma } = distribution;
  const meanMs = Math.exp(mu + (sigma * sigma) / 2);
  const shifted = { mu: mu + sigma * sigma, sigma };
  return {
    survival: (t) => logNormalSurvival(t, distribution),
    partialMean: (t) => meanMs * (1 - logNormalSurvival(t, shifted)),
  };
}

/** A normal finish time N(mean, sd²) given that the job is still running at `fromMs`. */
export function normalAfter(meanMs: number, sdMs: number, fromMs: number): FinishDistribution {
  const z = (t: number) => (t - meanMs) / sdMs;
  const alive = Math.max(1e-12, 1 - normalCdf(z(fromMs)));
  return {
    survival: (t) => (t <= fromMs ? 1 : (1 - normalCdf(z(t))) / alive),
    partialMean: (t) =>
      t <= fromMs ? 0 : (meanMs * (normalCdf(z(t)) - normalCdf(z(fromMs))) - sdMs * (normalPdf(z(t)) - normalPdf(z(fromMs)))) / alive,
  };
}

/** Requests the documented loop makes for one job, E[ceil(T / interval)] = Σ_{k ≥ 0} S(k · interval). */
export function loopRequests(distribution: LogNormal, intervalMs: number): number {
  let sum = 0;
  for (let k = 0; k < 100_000; k++) {
    const survival = logNormalSurvival(k * intervalMs, distribution);
    sum += survival;
    if (survival < 1e-7) break;
  }
  return sum;
}

export interface PlanGrid {
  startMs: number;
  endMs: number;
  cells: number;
  /** Shortest and longest gap between polls. */
  minGapMs: number;
  maxGapMs: number;
}

/** Longest gap the programme considers, in cells: bounds its cost (maxGapMs bounds it too). */
const MAX_GAP_CELLS = 250;
/** Halvings of the price range: plenty for a request count within a hundredth. */
const BISECTIONS = 16;

export class PollPlan {
  private readonly step: number;
  private readonly survival: Float64Array;
  private readonly cumulative: Float64Array;
  private readonly partialMean: Float64Array;
  /** next[i]: the cell of the best next poll after a poll at cell i that found the job running. */
  private readonly next: Int32Array;
  private readonly minGap: number;
  private readonly maxGap: number;

  /**
   * @param requestOdds probability that the poll after one at time t is made, for counting requests
   *   against the budget (usually the same distribution's survival; a narrower one makes the budget stricter).
   */
  constructor(
    private readonly grid: PlanGrid,
    distribution: FinishDistribution,
    budget: number,
    private readonly fromCell: number,
    private readonly requestOdds: (t: number) => number = distribution.survival,
  ) {
    const n = grid.cells;
    this.step = (grid.endMs - grid.startMs) / n;
    this.survival = new Float64Array(n + 1);
    this.cumulative = new Float64Array(n + 1);
    this.partialMean = new Float64Array(n + 1);
    this.next = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) {
      const t = this.timeOf(i);
      this.survival[i] = distribution.survival(t);
      this.cumulative[i] = 1 - this.survival[i];
      this.partialMean[i] = distribution.partialMean(t);
    }
    this.minGap = Math.max(1, Math.ceil(grid.minGapMs / this.step));
    this.maxGap = Math.max(this.minGap, Math.min(n, MAX_GAP_CELLS, Math.floor(grid.maxGapMs / this.step)));
    // A higher price per request, fewer requests: bisect the price (log scale) for the cheapest plan within budget.
    const scale = grid.endMs - grid.startMs;
    let low = Math.log(1e-7 * scale);
    let high = Math.log(scale);
    for (let iteration = 0; iteration < BISECTIONS; iteration++) {
      const mid = (low + high) / 2;
      if (this.solve(Math.exp(mid)) > budget) low = mid;
      else high = mid;
    }
    this.solve(Math.exp(high)); // the plan kept: the cheapest price found within budget
  }

  private timeOf(cell: number): number {
    return this.grid.startMs + cell * this.step;
  }

  /** The planned next poll after a poll at `elapsedMs`, or undefined past the end of the grid. */
  nextPollAfter(elapsedMs: number): number | undefined {
    // The nearest cell: a poll a hair before a cell (rounding, timers) is that cell's poll, not the one before.
    const cell = Math.round((elapsedMs - this.grid.startMs) / this.step);
    if (cell >= this.grid.cells) return undefined;
    return this.timeOf(this.next[Math.max(0, cell)]);
  }

  private solve(price: number): number {
    const n = this.grid.cells;
    const cost = new Float64Array(n + 1);
    const { survival, cumulative, partialMean, next, step } = this;
    for (let i = n - 1; i >= 0; i--) {
      let best = Infinity;
      let bestJ = n;
      const last = Math.min(n, i + this.maxGap);
      for (let j = Math.min(n, i + this.minGap); j <= last; j++) {
        // Lag of the jobs that finish in (t_i, t_j], plus what comes after t_j.
        const value = (this.grid.startMs + j * step) * (cumulative[j] - cumulative[i]) - (partialMean[j] - partialMean[i]) + cost[j];
        if (value < best) {
          best = value;
          bestJ = j;
        }
      }
      cost[i] = price * survival[i] + best;
      next[i] = bestJ;
    }
    let requests = 0;
    for (let cell = this.fromCell; cell < n; cell = next[cell]) requests += this.requestOdds(this.timeOf(cell));
    return requests;
  }
}
