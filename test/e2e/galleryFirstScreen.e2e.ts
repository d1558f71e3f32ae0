// A gallery opened before its store has read every entry file (no key set: nothing was loaded at start-up)
// shows the newest entries from the first-screen file at once, then the full list replaces them. The file
// here is stale on purpose — it names an entry that no longer exists — so the test also proves that what
// the file says never outlives the full list. That entry's thumbnail travels in the page shell and shows at once.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Scenario } from './context';
import { gallery } from './steps';

/** Enough entry files that reading them all takes a visible moment after the page has started. */
const ENTRIES = 5000;

export const scenario: Scenario = {
  name: 'gallery first screen: before the store has loaded, the newest cards come from the first-screen file; the full list then replaces them',
  timeoutMs: 90_000,
  async run(ctx) {
    const dir = path.join(ctx.userDataDir, 'User', 'globalStorage', 'flux-studio.flux-studio', 'gallery');
    fs.mkdirSync(path.join(dir, 'entries'), { recursive: true });
    const now = Date.now();
    const record = (id: string, prompt: string, createdAt: number) => ({
      id,
      options: { prompt, aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false },
      createdAt,
      state: 'failed',
      progress: 0,
      error: 'Content policy',
    });
    for (let i = 0; i < ENTRIES; i++) {
      fs.writeFileSync(path.join(dir, 'entries', `entry-${i}.json`), JSON.stringify(record(`entry-${i}`, `Stored entry ${i}`, now - i * 1000)));
    }
    const stale = {
      ...record('deleted-since', 'Deleted since', now + 1000),
      jobId: 'job-deleted-since',
      state: 'completed',
      progress: 100,
      error: undefined,
      completedAt: now + 16_000,
      creditCost: 6,
      imageFile: 'deleted-since.jpg',
      thumbFile: 'deleted-since.webp',
      width: 2752,
      height: 1536,
    };
    fs.mkdirSync(path.join(dir, 'thumbs'), { recursive: true });
    await sharp({ create: { width: 320, height: 180, channels: 3, background: { r: 200, g: 90, b: 40 } } }).webp().toFile(path.join(dir, 'thumbs', 'deleted-since.webp'));
    fs.writeFileSync(path.join(dir, 'first-screen.json'), JSON.stringify({ version: 1, entries: [stale] }));

    await ctx.runCommand('Flux: Open Gallery');
    const prompts = () => gallery(ctx).locator('article.card .prompt').allInnerTexts().catch(() => [] as string[]);
    const firstImage = () =>
      gallery(ctx)
        .locator('article.card img')
        .first()
        .evaluate((img: any) => ({ scheme: img.src.slice(0, img.src.indexOf(':') + 1), shown: img.complete && img.naturalWidth > 0 }), undefined, { timeout: 100 })
        .catch(() => undefined);
    const seen: string[] = [];
    let staleImage: { scheme: string; shown: boolean } | undefined;
    const full = await ctx.retry(async () => {
      const now = await prompts();
      if (now.length && now[0] !== seen[seen.length - 1]) seen.push(now[0]);
      if (now[0] === 'Deleted since' && !staleImage?.shown) staleImage = await firstImage();
      return now[0] === 'Stored entry 0' ? now : undefined;
    }, { timeoutMs: 30_000, intervalMs: 25, what: 'the full list' });
    ctx.log(`first card over time: ${JSON.stringify(seen)}; its image then: ${JSON.stringify(staleImage)}`);
    assert.strictEqual(seen[0], 'Deleted since', 'the first screen came from the first-screen file');
    assert.deepStrictEqual(staleImage, { scheme: 'data:', shown: true }, 'its thumbnail came with the page shell');
    assert.ok(!full.includes('Deleted since'), 'the full list replaced it');
    const rewritten = JSON.parse(fs.readFileSync(path.join(dir, 'first-screen.json'), 'utf8'));
    assert.strictEqual(rewritten.entries[0].id, 'entry-0', 'the loaded store rewrote the file');
  },
};
