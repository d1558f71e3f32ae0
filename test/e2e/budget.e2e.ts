// The daily spending limit in a real VS Code, with a limit of one image: the first image is made; the next
// request stops before any job with the limit's own modal (Cancel sends nothing); asked again, "Raise
// Today's Limit" lets it through; the status bar item's tooltip shows today's spending against the limit.
import * as assert from 'assert';
import type { Scenario } from './context';
import { answerDialog, completedImage, generateFromPalette, giveKeyAndAgreeToPrice, simStats } from './steps';

const OVER_LIMIT = 'this would pass today’s spending limit';

export const scenario: Scenario = {
  name: 'budget: past a small daily limit the request stops with its modal before any job; raising today’s limit lets it through',
  settings: { 'fluxStudio.spendingLimit': 6, 'fluxStudio.afterGenerate': 'gallery' },
  timeoutMs: 150_000,
  async run(ctx) {
    await generateFromPalette(ctx, 'A lighthouse within the limit');
    await giveKeyAndAgreeToPrice(ctx);
    await completedImage(ctx);
    assert.strictEqual((await simStats(ctx)).jobsCreated, 1);

    await generateFromPalette(ctx, 'A lighthouse past the limit');
    await ctx.page.locator('.monaco-dialog-box', { hasText: OVER_LIMIT }).waitFor({ timeout: 20_000 });
    await ctx.screenshot('budget-over-limit');
    const question = await answerDialog(ctx, OVER_LIMIT, 'Cancel');
    ctx.log(`over the limit: ${question}`);
    assert.match(question, /costs 6 credits, and 6 of today’s 6 credits are already spent/);
    assert.match(question, /Raise Today's Limit to 12/);
    assert.strictEqual((await simStats(ctx)).jobsCreated, 1, 'nothing sent past the limit');

    await generateFromPalette(ctx, 'A lighthouse after raising the limit');
    await answerDialog(ctx, OVER_LIMIT, "Raise Today's Limit to 12");
    await ctx.retry(async () => (await simStats(ctx)).jobsCreated === 2, { timeoutMs: 20_000, what: 'the job after raising the limit' });

    const item = ctx.page.locator('.statusbar-item', { hasText: /Flux · \d+ credits/ }).first();
    await ctx.retry(
      async () => {
        await item.hover({ timeout: 5_000 });
        const hover = ctx.page.locator('.monaco-hover, .workbench-hover', { hasText: 'Today:' }).first();
        return (await hover.isVisible()) && /Today: 12 of 12 credits spent/.test(await hover.innerText());
      },
      { timeoutMs: 20_000, what: 'the status bar tooltip with today’s spending' },
    );
    await ctx.screenshot('budget-status-tooltip');
  },
};
