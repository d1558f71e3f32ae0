// What one Flux 1.1 Pro Ultra image costs: read from Apiframe's public price list (GET /v2/models), kept
// for a day, with the documented 6 credits when the list is unreachable or says nothing usable. Pure rules
// (parse, cache age, wording); the adapter in src/vscode/prices.ts fetches and stores.
import { MODEL_ID } from '../shared/options';
import { DEFAULT_CREDIT_COST } from '../shared/variants';

/** Apiframe's documented price per Ultra image, used until (and whenever) the price list says otherwise. */
export const DOCUMENTED_CREDITS = DEFAULT_CREDIT_COST;
/** How long a fetched price is trusted before it is asked for again. */
export const PRICE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** A top more than this far above the bottom makes the price "about" the bottom. */
const WIDE_RANGE = 0.2;
/** Above this a "credit" figure is not believable (a broken or hostile list). */
const MAX_CREDITS = 100_000;

export interface ImagePrice {
  /** Credits per image (the bottom of Apiframe's range). */
  credits: number;
  /** The range is wide, or the figure is the documented fallback: say "about". */
  approximate: boolean;
  /** Where the figure comes from. */
  source: 'priceList' | 'documented';
  /** When the price list was read (ms since epoch); absent for the documented value. */
  fetchedAt?: number;
}

export const DOCUMENTED_PRICE: ImagePrice = { credits: DOCUMENTED_CREDITS, approximate: true, source: 'documented' };

function isCredits(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_CREDITS;
}

/** The Ultra model's price from a `GET /v2/models` answer; undefined when it is missing or unreadable. */
export function parseImagePrice(json: unknown, now: number): ImagePrice | undefined {
  const models = (json as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return undefined;
  const ultra = models.find((model) => (model as { id?: unknown } | null)?.id === MODEL_ID) as Record<string, unknown> | undefined;
  if (!ultra) return undefined;
  const { costMin, costMax, pricingMode } = ultra;
  // Per second is a video price: nothing we could state per image.
  if (pricingMode !== undefined && pricingMode !== 'flat' && pricingMode !== 'per-output') return undefined;
  const bottom = isCredits(costMin) ? costMin : isCredits(costMax) ? costMax : undefined;
  if (bottom === undefined) return undefined;
  const top = isCredits(costMax) && costMax >= bottom ? costMax : bottom;
  // The epsilon keeps 6 → 7.2 (exactly 20 %) exact despite floating point.
  return { credits: bottom, approximate: top > bottom * (1 + WIDE_RANGE) + 1e-9, source: 'priceList', fetchedAt: now };
}

/** A price read back from the cache file; undefined when unreadable or older than a day (or from the future). */
export function cachedPrice(json: unknown, now: number): ImagePrice | undefined {
  const raw = json as Partial<ImagePrice> | null;
  if (!raw || raw.source !== 'priceList' || !isCredits(raw.credits) || typeof raw.approximate !== 'boolean') return undefined;
  if (typeof raw.fetchedAt !== 'number' || raw.fetchedAt > now || now - raw.fetchedAt > PRICE_MAX_AGE_MS) return undefined;
  return { credits: raw.credits, approximate: raw.approximate, source: 'priceList', fetchedAt: raw.fetchedAt };
}
