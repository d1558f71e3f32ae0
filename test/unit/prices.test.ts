// The one price source below the UI: reading Apiframe's public price list, the day-long cache, the
// documented fallback, and "about" for a wide range. The simulator serves the list the same way.
import * as assert from 'assert';
import { ApiframeClient } from '../../src/api/client';
import { cachedPrice, DOCUMENTED_CREDITS, parseImagePrice, PRICE_MAX_AGE_MS } from '../../src/api/prices';
import { startSimulator, type Simulator } from '../simulator/server';

const NOW = 1_800_000_000_000;
const list = (ultra: Record<string, unknown>) => ({
  models: [{ id: 'flux-pro', label: 'Flux Pro', modality: 'image', costMin: 4 }, { id: 'flux-1.1-pro-ultra', label: 'Ultra', modality: 'image', ...ultra }],
});

describe('prices: Flux 1.1 Pro Ultra from GET /v2/models', () => {
  it('a flat price is stated exactly, from the Ultra entry only', () => {
    assert.deepStrictEqual(parseImagePrice(list({ costMin: 8, costMax: 8, pricingMode: 'flat' }), NOW), {
      credits: 8,
      approximate: false,
      source: 'priceList',
      fetchedAt: NOW,
    });
  });

  it('a top more than 20 % above the bottom makes it "about" the bottom; within 20 % it is exact', () => {
    assert.strictEqual(parseImagePrice(list({ costMin: 6, costMax: 7.3 }), NOW)?.approximate, true);
    assert.strictEqual(parseImagePrice(list({ costMin: 6, costMax: 7.2 }), NOW)?.approximate, false);
    assert.strictEqual(parseImagePrice(list({ costMax: 9 }), NOW)?.credits, 9, 'only a top: that is the price');
  });

  it('nothing usable gives undefined (the caller keeps the documented value)', () => {
    for (const bad of [
      undefined,
      null,
      'text',
      { models: 'no' },
      { models: [] },
      list({}),
      list({ costMin: -1 }),
      list({ costMin: 'six' }),
      list({ costMin: Infinity }),
      list({ costMin: 1e9 }),
      list({ costMin: 2, pricingMode: 'per-second' }),
    ]) {
      assert.strictEqual(parseImagePrice(bad, NOW), undefined, JSON.stringify(bad));
    }
    assert.strictEqual(DOCUMENTED_CREDITS, 6);
  });

  it('the cache is trusted for a day, not after, and not from the future or when malformed', () => {
    const price = parseImagePrice(list({ costMin: 8 }), NOW)!;
    const roundTrip = JSON.parse(JSON.stringify(price));
    assert.deepStrictEqual(cachedPrice(roundTrip, NOW + PRICE_MAX_AGE_MS), price);
    assert.strictEqual(cachedPrice(roundTrip, NOW + PRICE_MAX_AGE_MS + 1), undefined);
    assert.strictEqual(cachedPrice(roundTrip, NOW - 1), undefined);
    assert.strictEqual(cachedPrice({ ...roundTrip, credits: '8' }, NOW), undefined);
    assert.strictEqual(cachedPrice({ ...roundTrip, source: 'documented' }, NOW), undefined);
    assert.strictEqual(cachedPrice(null, NOW), undefined);
  });
});

describe('prices: the client asks the simulator without the key', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ creditCost: 8 });
  });
  after(() => sim.close());

  it('reads the configured price with no key at all, and a wide configured range as "about"', async () => {
    const client = new ApiframeClient({ baseUrl: sim.url, getApiKey: async () => undefined });
    assert.deepStrictEqual(parseImagePrice(await client.imageModels(), NOW), { credits: 8, approximate: false, source: 'priceList', fetchedAt: NOW });
    sim.configure({ priceList: { costMin: 6, costMax: 12, pricingMode: 'per-output' } });
    assert.strictEqual(parseImagePrice(await client.imageModels(), NOW)?.approximate, true);
    sim.configure({ priceList: null });
    assert.strictEqual(parseImagePrice(await client.imageModels(), NOW), undefined);
  });
});
