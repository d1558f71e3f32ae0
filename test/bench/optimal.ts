// The best possible polling schedule for a job that reports no progress, given its true duration
// distribution: the deterministic poll times t1 < t2 < … that minimise the expected lag
// E[t_first poll ≥ T − T] for a given expected number of GETs. Solved exactly on a time grid by
// dynamic programming over "last poll at t_i, job still running" states, with a Lagrange multiplier
// on the GET count found by bisection. The job duration itself stays continuous (closed-form integrals).
import { logNormalSurvival, type LogNormal } from '../../src/jobs/pollPlan';

export interface Schedule {
  /** Poll times (ms since submission). */
  times: number[];
  expectedPolls: number;
  expectedLagMs: number;
}

export interface OptimalOptions {
  stepMs?: number;
  maxGapMs?: number;
  /** A first poll fixed at this time (our probe), counted in the budget. */
  probeMs?: number;
}

/** Optimal silent schedule for `dist` whose expected GET count is as close as possible to (≤) `budget`. */
export function optimalSchedule(dist: LogNormal, budget: number, options: OptimalOptions = {}): Schedule {
  const step = options.stepMs ?? 25;
  const horizon = Math.exp(dist.mu + 6 * dist.sigma);
  const n = Math.ceil(horizon / step);
  const maxGap = Math.ceil((options.maxGapMs ?? horizon / 3) / step);
  const meanT = Math.exp(dist.mu + (dist.sigma * dist.sigma) / 2);
  const shifted = { mu: dist.mu + dist.sigma * dist.sigma, sigma: dist.sigma };
  const S = new Float64Array(n + 1);
  const F = new Float64Array(n + 1);
  const G = new Float64Array(n + 1); // ∫0^t u f(u) du
  for (let i = 0; i <= n; i++) {
    const t = i * step;
    S[i] = logNormalSurvival(t, dist);
    F[i] = 1 - S[i];
    G[i] = meanT * (1 - logNormalSurvival(t, shifted));
  }
  const W = new Float64Array(n + 1);
  const next = new Int32Array(n + 1);
  const solve = (lambda: number) => {
    W[n] = 0;
    for (let i = n - 1; i >= 0; i--) {
      let best = Infinity;
      let arg = n;
      const last = Math.min(n, i + maxGap);
      const ti = F[i];
      const gi = G[i];
      for (let j = i + 1; j <= last; j++) {
        const value = j * step * (F[j] - ti) - (G[j] - gi) + W[j];
        if (value < best) {
          best = value;
          arg = j;
        }
      }
      W[i] = lambda * S[i] + best;
      next[i] = arg;
    }
    const times: number[] = [];
    let polls = 0;
    let lag = 0;
    const probe = options.probeMs === undefined ? 0 : Math.min(n, Math.round(options.probeMs / step));
    if (probe > 0) {
      polls += S[0];
      lag += probe * step * F[probe] - G[probe];
      times.push(probe * step);
    }
    for (let i = probe; i < n; ) {
      const j = next[i];
      polls += S[i];
      lag += j * step * (F[j] - F[i]) - (G[j] - G[i]);
      times.push(j * step);
      i = j;
    }
    return { times, expectedPolls: polls, expectedLagMs: lag };
  };
  // Expected polls fall as the price λ of a poll rises: bisect log λ.
  let lo = Math.log(1e-3);
  let hi = Math.log(1e7);
  let best = solve(Math.exp(hi));
  for (let k = 0; k < 40; k++) {
    const mid = (lo + hi) / 2;
    const s = solve(Math.exp(mid));
    if (s.expectedPolls > budget) lo = mid;
    else {
      hi = mid;
      best = s;
    }
  }
  return best;
}

/** Lag and GET count of a deterministic schedule for one job of the given duration. */
export function evaluate(times: readonly number[], durationMs: number): { lagMs: number; gets: number } {
  for (let k = 0; k < times.length; k++) if (times[k] >= durationMs) return { lagMs: times[k] - durationMs, gets: k + 1 };
  // Past the grid's horizon (probability ~1e-9): keep polling every 2 s.
  const last = times[times.length - 1] ?? 0;
  const extra = Math.ceil((durationMs - last) / 2000);
  return { lagMs: last + extra * 2000 - durationMs, gets: times.length + extra };
}
