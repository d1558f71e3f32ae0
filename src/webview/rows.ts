// Row geometry of the virtualized grid, free of the DOM (unit-tested in Node): where each row starts
// when some rows are measured and the rest are guessed, and which row a scroll position falls in.

/**
 * The top of each of `rows` rows and, last, the end of the grid plus one gap: each row adds its measured
 * height (or `guess` when it has none) and the gap below it.
 */
export function rowTops(rows: number, heightOf: (row: number) => number | undefined, guess: number, gap: number): number[] {
  const tops = [0];
  for (let r = 0; r < rows; r++) {
    const height = heightOf(r);
    tops.push(tops[r] + (height !== undefined && height > 0 ? height : guess) + gap);
  }
  return tops;
}

/** The row that `y` falls in: the last row starting at or above it (0 above the grid, the last row below it). */
export function rowAt(tops: readonly number[], y: number): number {
  let lo = 0;
  let hi = Math.max(0, tops.length - 2);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
