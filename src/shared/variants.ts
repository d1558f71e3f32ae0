// Variants: one request, N images with N different seeds, grouped in the gallery. The rules here are pure
// (no `vscode`, no I/O): which seeds to send, and which entries Keep may delete.
import { isTerminal, type GalleryEntry } from './entry';
import { OPTION_LIMITS } from './optionsSchema';

export const VARIANTS_MIN = 1;
export const VARIANTS_MAX = 4;
/** Apiframe's documented price per Ultra image: the webview's figure until the extension sends the real one. */
export const DEFAULT_CREDIT_COST = 6;
/** Seeds we draw ourselves: the range every Flux endpoint accepts. */
const RANDOM_SEED_LIMIT = 2 ** 31;

export function isVariantCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= VARIANTS_MIN && (value as number) <= VARIANTS_MAX;
}

export function randomSeed(random: () => number = Math.random): number {
  return Math.floor(random() * RANDOM_SEED_LIMIT);
}

/**
 * The seed of each variant. We always send one (Apiframe does not report a seed it chose), so the seed in
 * the gallery and in the image file reproduces the image. A fixed seed gives seed, seed + 1, …, so re-running
 * the same request gives the same group; otherwise the seeds are random and distinct.
 */
export function variantSeeds(count: number, fixedSeed: number | undefined, random: () => number = Math.random): number[] {
  if (fixedSeed !== undefined) {
    // Stay inside the seed range: count down from the top instead of past it.
    const step = fixedSeed > OPTION_LIMITS.seedMax - (count - 1) ? -1 : 1;
    return Array.from({ length: count }, (_, i) => fixedSeed + i * step);
  }
  const seeds = new Set<number>();
  while (seeds.size < count) seeds.add(randomSeed(random));
  return [...seeds];
}

/** What Keep on `kept` may delete: the other finished, unstarred variants of its group. */
export function othersToDelete(entries: Iterable<GalleryEntry>, kept: GalleryEntry): GalleryEntry[] {
  if (!kept.groupId) return [];
  return [...entries].filter((entry) => entry.groupId === kept.groupId && entry.id !== kept.id && mayBulkDelete(entry));
}

/**
 * A bulk action may delete only what the user has not starred and what is finished: an unfinished job is
 * paid for and still on its way. Checked again, under the entry's lock, at the moment of deletion.
 */
export function mayBulkDelete(entry: GalleryEntry): boolean {
  return entry.starred !== true && isTerminal(entry.state);
}
