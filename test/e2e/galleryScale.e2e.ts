// The gallery with hundreds of entries in a real VS Code: only the cards near the view are in the DOM,
// yet the "n of m" count, search, the state filter, Tab past the cards rendered at first, and the scroll
// position across a window reload all work on every entry. The gallery is seeded on disk (one file per
// entry, the store's own format) before the extension starts.
import * as assert from 'assert';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Scenario, ScenarioContext } from './context';
import { gallery } from './steps';

const COUNT = 240;
const FAILED = 5;
/** More cards than the gallery renders at first in a 1400 × 900 window, even on a wider layout. */
const MAX_CARDS_IN_DOM = 60;

async function seedGallery(ctx: ScenarioContext): Promise<void> {
  const dir = path.join(ctx.userDataDir, 'User', 'globalStorage', 'flux-studio.flux-studio', 'gallery');
  fs.mkdirSync(path.join(dir, 'thumbs'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  const full = path.join(dir, 'full.jpg');
  await sharp({ create: { width: 64, height: 36, channels: 3, background: { r: 40, g: 30, b: 70 } } }).jpeg().toFile(full);
  const now = Date.now();
  const entries = [];
  for (let i = 1; i <= COUNT; i++) {
    const id = randomUUID();
    const failed = i % (COUNT / FAILED) === 0;
    const createdAt = now - i * 60_000;
    const common = { id, options: { prompt: `Scale entry ${i}: a lighthouse`, aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false }, createdAt, acceptedAt: createdAt, progress: 100 };
    if (failed) {
      entries.push({ ...common, state: 'failed', error: 'Content policy' });
      continue;
    }
    const background = { r: (i * 53) % 256, g: (i * 97) % 256, b: (i * 31) % 256 };
    await sharp({ create: { width: 64, height: 36, channels: 3, background } }).webp().toFile(path.join(dir, 'thumbs', `${id}.webp`));
    fs.linkSync(full, path.join(dir, 'images', `${id}.jpg`));
    entries.push({ ...common, state: 'completed', completedAt: createdAt + 15_000, creditCost: 6, imageFile: `${id}.jpg`, thumbFile: `${id}.webp`, width: 2752, height: 1536 });
  }
  fs.mkdirSync(path.join(dir, 'entries'), { recursive: true });
  for (const entry of entries) fs.writeFileSync(path.join(dir, 'entries', `${entry.id}.json`), JSON.stringify(entry));
}

/** What the gallery shows: its count, the cards in the DOM, and the card at the top of the view with its offset. */
async function galleryState(ctx: ScenarioContext) {
  return gallery(ctx).locator('body').evaluate((body: any) => {
    const cards = [...body.querySelectorAll('article.card')];
    const top = cards.find((card: any) => card.getBoundingClientRect().bottom > 0);
    return {
      count: String(body.querySelector('.count')?.textContent ?? ''),
      cards: cards.length,
      prompts: cards.map((card: any) => String(card.querySelector('.prompt')?.textContent)),
      states: cards.map((card: any) => String(card.className)),
      scrollY: Number(body.ownerDocument.defaultView.scrollY),
      top: top ? { id: String(top.dataset.id), offset: Number(top.getBoundingClientRect().top) } : undefined,
    };
  });
}

export const scenario: Scenario = {
  name: 'gallery at scale: 240 entries, few cards in the DOM; count, search, filter, Tab and scroll position across a reload',
  timeoutMs: 240_000,
  async run(ctx) {
    await seedGallery(ctx);
    await ctx.runCommand('Flux: Open Gallery');
    const view = gallery(ctx);
    const all = `${COUNT} of ${COUNT}`;
    await ctx.retry(async () => (await galleryState(ctx)).count === all, { timeoutMs: 30_000, what: `the count "${all}"` });
    const first = await galleryState(ctx);
    assert.ok(first.cards > 0 && first.cards <= MAX_CARDS_IN_DOM, `only the cards near the view are in the DOM (${first.cards})`);
    assert.strictEqual(first.prompts[0], 'Scale entry 1: a lighthouse', 'newest first');

    // Tab from the first card's first button walks on past the cards rendered at first.
    await view.locator('article.card').first().locator('button').first().focus();
    let position = 1;
    for (let i = 0; i < 600 && position <= first.cards + 10; i++) {
      await ctx.page.keyboard.press('Tab');
      const focused = await view.locator('body').evaluate((body: any) => {
        const element = body.ownerDocument.activeElement;
        return { inCard: element?.tagName === 'BUTTON' && !!element.closest('article.card'), position: Number(element?.closest('article.card')?.getAttribute('aria-posinset')) };
      });
      assert.ok(focused.inCard, `Tab ${i + 1} stays on a card's button`);
      assert.ok(focused.position >= position, `Tab ${i + 1} moves forward (card ${focused.position} after ${position})`);
      position = focused.position;
    }
    assert.ok(position > first.cards + 10, `Tab reached card ${position}, beyond the ${first.cards} rendered at first`);
    ctx.log(`Tab reached card ${position} of ${COUNT}`);

    // Search and the state filter run over every entry, not just the rendered ones.
    const search = view.locator('input.search');
    await search.fill('entry 17');
    await ctx.retry(async () => (await galleryState(ctx)).count === `11 of ${COUNT}`, { what: 'the count for "entry 17" (17, 170–179)' });
    const found = await galleryState(ctx);
    assert.strictEqual(found.cards, 11);
    assert.ok(found.prompts.every((p) => /^Scale entry 17\d?:/.test(p)), found.prompts.join(' | '));
    await search.fill('');
    await view.locator('select.filter').selectOption('failed');
    await ctx.retry(async () => (await galleryState(ctx)).count === `${FAILED} of ${COUNT}`, { what: 'the count of failed entries' });
    assert.ok((await galleryState(ctx)).states.every((c) => c.includes('state-failed')));
    await view.locator('select.filter').selectOption('all');
    await ctx.retry(async () => (await galleryState(ctx)).count === all, { what: 'every entry again' });

    // Far down the list, then a window reload: the same card is at the top of the view again.
    await view.locator('body').evaluate((body: any) => body.ownerDocument.defaultView.scrollBy(0, 12_000));
    await ctx.sleep(1500); // the position is saved once scrolling settles
    const before = await galleryState(ctx);
    assert.ok(before.top && before.scrollY > 10_000, JSON.stringify(before.top));
    assert.ok(before.cards <= MAX_CARDS_IN_DOM, `still few cards in the DOM after scrolling (${before.cards})`);
    await ctx.runCommand('Developer: Reload Window');
    await ctx.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const after = await ctx.retry(
      async () => {
        const state = await galleryState(ctx).catch(() => undefined);
        return state?.count === all && state.top?.id === before.top!.id ? state : undefined;
      },
      { timeoutMs: 60_000, what: `the card ${before.top!.id} at the top of the view after the reload` },
    );
    assert.ok(Math.abs(after.top!.offset - before.top!.offset) <= 2, `same offset: ${after.top!.offset} vs ${before.top!.offset}`);
    await ctx.screenshot('gallery-scale');
  },
};
