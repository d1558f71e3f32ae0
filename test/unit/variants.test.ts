// Variants, stars and Keep below the UI: the seeds we send, what Keep may
// delete, and that a star written by one window protects the entry from a bulk deletion in another.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import { GalleryStore } from '../../src/gallery/store';
import { JobEngine } from '../../src/jobs/engine';
import { DurationModel } from '../../src/jobs/schedule';
import { normalizeEntry, parseEntry, type GalleryEntry } from '../../src/shared/entry';
import { OPTION_LIMITS } from '../../src/shared/optionsSchema';
import { mayBulkDelete, othersToDelete, variantSeeds } from '../../src/shared/variants';
import { FakeApi } from '../support/fakeApi';
import { FakeClock } from '../support/fakeClock';
import { entry, tempGallery } from '../support/storeFixtures';

describe('variants: seeds', () => {
  it('N random seeds are distinct integers in the range every Flux endpoint takes', () => {
    let n = 0;
    const repeating = () => [0.5, 0.5, 0.25, 0.5, 0.75, 0.1][n++ % 6]; // repeats must be drawn again
    const seeds = variantSeeds(4, undefined, repeating);
    assert.deepStrictEqual(seeds, [2 ** 30, 2 ** 29, 3 * 2 ** 29, Math.floor(0.1 * 2 ** 31)]);
    for (let i = 0; i < 50; i++) {
      const drawn = variantSeeds(4, undefined);
      assert.strictEqual(new Set(drawn).size, 4);
      for (const seed of drawn) assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31, String(seed));
    }
    assert.strictEqual(variantSeeds(1, undefined).length, 1, 'one image gets a seed too: we always send one');
  });

  it('a fixed seed gives seed, seed + 1, …, staying inside the seed range', () => {
    assert.deepStrictEqual(variantSeeds(3, 4242), [4242, 4243, 4244]);
    assert.deepStrictEqual(variantSeeds(1, -7), [-7]);
    assert.deepStrictEqual(variantSeeds(3, OPTION_LIMITS.seedMax - 1), [OPTION_LIMITS.seedMax - 1, OPTION_LIMITS.seedMax - 2, OPTION_LIMITS.seedMax - 3]);
  });
});

describe('variants: Keep and stars', () => {
  const group = (id: string, index: number, overrides: Partial<GalleryEntry> = {}) => entry(id, { groupId: 'g1', variantIndex: index, ...overrides });

  it('Keep offers the other finished, unstarred variants of the same group only', () => {
    const kept = group('v0', 0);
    const entries = [kept, group('v1', 1), group('v2', 2, { starred: true }), group('v3', 3, { state: 'processing' }), group('v4', 4, { state: 'failed' }), entry('other', { groupId: 'g2' }), entry('single')];
    assert.deepStrictEqual(othersToDelete(entries, kept).map((e) => e.id), ['v1', 'v4']);
    assert.deepStrictEqual(othersToDelete(entries, entry('single')), [], 'an image without a group has no others');
    assert.strictEqual(mayBulkDelete(group('p', 1, { state: 'paused' })), false, 'a paused job is paid for and still on its way');
  });

  it('stored entries keep groupId, variantIndex and starred only with the right types', () => {
    assert.strictEqual(normalizeEntry({ ...entry('x'), originalPrompt: '여우' })?.originalPrompt, '여우', 'the original prompt is kept');
    assert.strictEqual(normalizeEntry({ ...entry('x'), originalPrompt: 42 }), undefined, 'an original prompt of the wrong type makes the entry unreadable');
    const good = normalizeEntry({ ...entry('x'), groupId: 'g1', variantIndex: 2, starred: true });
    assert.deepStrictEqual([good?.groupId, good?.variantIndex, good?.starred], ['g1', 2, true]);
    const bad = normalizeEntry({ ...entry('x'), groupId: 42, variantIndex: -1, starred: 'yes' });
    assert.deepStrictEqual([bad?.groupId, bad?.variantIndex, bad?.starred], [undefined, undefined, undefined]);
    assert.strictEqual(normalizeEntry({ ...entry('x'), variantIndex: 1.5 })?.variantIndex, undefined);
  });

  it('a star is merged into the entry as it is on disk (read-merge-write), next to another window\'s change', async () => {
    const dir = tempGallery('flux-star-');
    const [windowA, windowB] = [new GalleryStore(dir, { watch: false }), new GalleryStore(dir, { watch: false })];
    try {
      await windowA.load();
      await windowB.load();
      await windowA.create(group('v0', 0));
      await windowB.refresh();
      await windowB.update('v0', { creditCost: 6 });
      await windowA.update('v0', { starred: true });
      const raw = await fs.readFile(`${windowA.entriesDir}/v0.json`, 'utf8');
      const stored = parseEntry(raw, 'v0');
      assert.deepStrictEqual([stored?.starred, stored?.creditCost, stored?.groupId], [true, 6, 'g1']);
      await windowB.update('v0', { starred: undefined });
      assert.strictEqual(parseEntry(await fs.readFile(`${windowA.entriesDir}/v0.json`, 'utf8'), 'v0')?.starred, undefined, 'unstarred');
    } finally {
      windowA.dispose();
      windowB.dispose();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a bulk deletion spares an entry another window starred after the list was read', async () => {
    const dir = tempGallery('flux-keep-');
    const clock = new FakeClock();
    const [windowA, windowB] = [new GalleryStore(dir, { watch: false }), new GalleryStore(dir, { watch: false })];
    const engineB = new JobEngine({ api: new FakeApi(clock, Buffer.alloc(0)), store: windowB, durations: new DurationModel(), clock });
    try {
      await windowA.load();
      for (const [index, id] of ['v0', 'v1', 'v2', 'v3'].entries()) await windowA.create(group(id, index));
      await windowB.load();
      const planned = othersToDelete(windowB.list(), windowB.get('v0')!).map((e) => e.id).sort();
      assert.deepStrictEqual(planned, ['v1', 'v2', 'v3']);
      await windowA.update('v2', { starred: true }); // window B has not seen this yet
      const removed = [];
      for (const id of planned) if (await engineB.remove(id, mayBulkDelete)) removed.push(id);
      assert.deepStrictEqual(removed, ['v1', 'v3']);
      await windowA.refresh();
      assert.deepStrictEqual(windowA.list().map((e) => e.id).sort(), ['v0', 'v2']);
      assert.strictEqual(windowB.get('v2')?.starred, true, 'the deleting window now knows the star');
    } finally {
      await clock.runUntil(engineB.dispose());
      windowA.dispose();
      windowB.dispose();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
