// One count of hostile inputs across the test layers: each layer (unit, in-host, e2e) writes its own counts
// into test-output/hostile-inputs.json under its name, and the file's `total` is the sum over the layers.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';

/** <repo>/test-output/hostile-inputs.json, from out/test/support/. */
export const HOSTILE_COUNTS_FILE = path.resolve(__dirname, '..', '..', '..', 'test-output', 'hostile-inputs.json');

/** Records `byCategory` as `layer`'s counts and returns the total over every layer recorded so far. */
export function recordHostileCounts(layer: string, byCategory: Record<string, number>, file = HOSTILE_COUNTS_FILE): number {
  let layers: Record<string, Record<string, number>> = {};
  try {
    if (existsSync(file)) layers = JSON.parse(readFileSync(file, 'utf8')).layers ?? {};
  } catch {
    layers = {};
  }
  layers[layer] = byCategory;
  const total = Object.values(layers).reduce((sum, counts) => sum + Object.values(counts).reduce((a, b) => a + b, 0), 0);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ total, layers }, null, 2));
  return total;
}
