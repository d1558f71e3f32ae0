// Paused jobs in a real VS Code gallery: the image links of two finished jobs redirect to plain http (the
// simulator's redirectToHttp fault), so Flux Studio refuses to download them and pauses both, paid for and
// kept. Each card shows the reason, what its buttons will do in plain words, Retry, and Forget and Delete in
// its … menu; Show: Paused lists them; Retry collects one image; Forget, confirmed, removes the other.
import * as assert from 'assert';
import type { Scenario } from './context';
import { cardWithPrompt, chooseFromCardMenu, generateEach, moreActions, showOnly, waitForCount } from './gallerySteps';
import { answerDialog, gallery, simStats } from './steps';

const RETRIED = 'A paper boat on a rainy street';
const FORGOTTEN = 'A snail climbing a mossy wall';

export const scenario: Scenario = {
  name: 'gallery paused jobs: the reason on the card, Retry completes one, Forget removes another',
  timeoutMs: 120_000,
  async run(ctx) {
    await ctx.simulator.injectFault({ route: 'image', kind: 'redirectToHttp', times: 2 });
    await ctx.runCommand('Flux: Open Gallery');
    await generateEach(ctx, [RETRIED, FORGOTTEN]);
    const view = gallery(ctx);
    await ctx.retry(async () => (await view.locator('article.card.state-paused').count()) === 2, { timeoutMs: 60_000, what: 'both jobs paused' });

    for (const prompt of [RETRIED, FORGOTTEN]) {
      const card = cardWithPrompt(ctx, prompt);
      const status = ((await card.locator('.status').innerText()) ?? '').trim();
      assert.match(status, /^Paused: Apiframe sent an image link Flux Studio does not open/, `the reason on the card: ${status}`);
      assert.match((await card.locator('.help').innerText()).trim(), /Retry continues the same job .*Forget removes it/, 'what the buttons will do');
      for (const name of ['Retry', 'More actions', 'Star']) {
        assert.strictEqual(await card.getByRole('button', { name, exact: true }).count(), 1, `"${name}" on a paused card`);
      }
      assert.strictEqual((await card.getByRole('button', { name: 'Retry', exact: true }).innerText()).trim(), 'Retry', 'Retry is labelled on screen');
      await moreActions(card).click();
      assert.deepStrictEqual((await card.getByRole('menuitem').allInnerTexts()).map((s) => s.trim()), ['Forget', 'Delete'], 'the … menu of a paused card');
      await ctx.page.keyboard.press('Escape');
    }
    await showOnly(ctx, 'paused');
    await waitForCount(ctx, 2, 2);
    await showOnly(ctx, 'running');
    await waitForCount(ctx, 0, 2);
    await showOnly(ctx, 'all');
    await ctx.runCommand('Notifications: Clear All Notifications');
    await ctx.screenshot('gallery-paused');

    // Retry: the same job again (nothing charged twice), and this time its image is collected.
    await cardWithPrompt(ctx, RETRIED).getByRole('button', { name: 'Retry', exact: true }).click();
    await ctx.retry(async () => (await cardWithPrompt(ctx, RETRIED).locator('img').count()) === 1, { timeoutMs: 30_000, what: 'the retried image' });
    assert.strictEqual(await cardWithPrompt(ctx, RETRIED).getAttribute('class'), 'card state-completed');
    assert.strictEqual((await simStats(ctx)).jobsCreated, 2, 'Retry sent no new job');

    // Forget: asked first (the job goes on at Apiframe), then gone.
    await chooseFromCardMenu(cardWithPrompt(ctx, FORGOTTEN), 'Forget');
    const question = await answerDialog(ctx, 'Forget this unfinished image?', 'Forget');
    assert.match(question, /goes on at Apiframe/);
    await waitForCount(ctx, 1, 1);
    assert.strictEqual(await cardWithPrompt(ctx, FORGOTTEN).count(), 0);
  },
};
