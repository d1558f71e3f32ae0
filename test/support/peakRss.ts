// Peak resident memory while something runs, sampled often enough to catch a body being buffered whole.
// Reported, not asserted tightly: the process also holds the test runner and the simulator.

export interface PeakRss<T> {
  outcome: { value: T } | { error: unknown };
  /** Highest RSS seen minus the RSS at the start, in bytes. */
  peakGrowthBytes: number;
  peakBytes: number;
}

export async function measurePeakRss<T>(run: () => Promise<T>, everyMs = 5): Promise<PeakRss<T>> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  let outcome: PeakRss<T>['outcome'];
  try {
    outcome = { value: await run() };
  } catch (error) {
    outcome = { error };
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  return { outcome, peakGrowthBytes: peak - start, peakBytes: peak };
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
