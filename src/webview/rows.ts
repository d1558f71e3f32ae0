// Row geometry of the virtualized grid, free of the DOM (unit-tested in Node): which items share a row,
// where each row starts when some rows are measured and the rest are guessed, and which row a scroll
// position (or an item, with packRows' starts) falls in.

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

/**
 * Where each row of a grid of `count` items starts, and, last, `count`: up to `columns` items a row, except
 * that a wide item (a group of variants, which spans the grid) has a row of its own.
 */
export function packRows(count: number, columns: number, isWide: (index: number) => boolean): number[] {
  const starts: number[] = [];
  let inRow = columns; // as if a full row came before the first item
  for (let i = 0; i < count; i++) {
    const wide = isWide(i);
    if (wide || inRow >= columns) {
      starts.push(i);
      inRow = 0;
    }
    inRow = wide ? columns : inRow + 1;
  }
  starts.push(count);
  return starts;
}

