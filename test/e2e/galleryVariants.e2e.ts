// Variants from the gallery's prompt bar in a real VS Code: with fluxStudio.variants set to 2 the Variants
// control starts at 2 and Generate states the cost ("Generate 2 · 12 credits"); the extension confirms that
// cost before sending; the two images form one group (the prompt once, Delete on each running card, Keep
// on each finished one); Keep on one, confirmed, removes the other.
import * as assert from 'assert';
import type { Scenario } from './context';
import { generateFromPromptBar, waitForCount } from './gallerySteps';
import { answerDialog, configureSimulator, gallery, simStats } from './steps';

const PROMPT = 'A lighthouse keeper feeding seagulls at dawn';

export const scenario: Scenario = {
  name: 'gallery variants: 2 from the prompt bar at the stated cost, one group, Keep one',
  settings: { 'fluxStudio.variants': 2 },
  timeoutMs: 120_000,
  async run(ctx) {
    await ctx.runCommand('Flux: Open Gallery');
    const view = gallery(ctx);
    const generate = view.locator('button[data-action="generate"]');
    assert.strictEqual(await view.locator('#opt-variants').inputValue(), '2', 'Variants starts at fluxStudio.variants');
    // Nothing has completed yet: Apiframe's usual 6 credits an image.
    await ctx.retry(async () => (await generate.innerText()).trim() === 'Generate 2 · 12 credits', { what: 'the cost in the Generate label' });
    await view.locator('#opt-variants').selectOption('3');
    assert.strictEqual((await generate.innerText()).trim(), 'Generate 3 · 18 credits');
    await view.locator('#opt-variants').selectOption('2');

    // Slow enough to see the cards while they run, even on a loaded machine (8 s jobs).
    await configureSimulator(ctx, { timeScale: 1, durations: { fixedMs: 8000 } });
    await generateFromPromptBar(ctx, PROMPT, { first: true, variants: true });
    const question = await answerDialog(ctx, 'Generate 2 variants for 12 credits?', 'Generate 2 Images');
    ctx.log(`confirmation: ${question}`);
    const group = view.locator('section.group');
    await group.waitFor({ timeout: 20_000 });
    // Delete on every state: a running variant has it too, in its … menu (the extension asks first).
    await ctx.retry(
      async () => (await group.locator('article.card:not(.state-completed)').getByRole('button', { name: 'More actions', exact: true }).count()) > 0,
      { timeoutMs: 10_000, what: 'the … menu on a running variant' },
    );
    // The card itself (by id), not "the first one not completed", which would move to the other when it completes.
    const runningId = await group.locator('article.card:not(.state-completed)').first().getAttribute('data-id');
    const running = group.locator(`article.card[data-id="${runningId}"]`);
    await running.getByRole('button', { name: 'More actions', exact: true }).click();
    const items = running.getByRole('menuitem');
    await ctx.retry(async () => (await items.count()) > 0, { timeoutMs: 10_000, what: 'the … menu to open' });
    assert.doesNotMatch((await running.getAttribute('class')) ?? '', /state-completed/, 'the variant was still running when its menu opened');
    assert.deepStrictEqual((await items.allInnerTexts()).map((s) => s.trim()), ['Delete'], 'Delete on a running variant');
    await ctx.page.keyboard.press('Escape');
    await ctx.retry(async () => (await group.locator('article.card.state-completed img').count()) === 2, { timeoutMs: 60_000, what: 'both variants completed' });
    assert.strictEqual((await simStats(ctx)).jobsCreated, 2, 'two jobs, one per variant');
    await waitForCount(ctx, 2, 2);
    assert.strictEqual(await view.locator('section.group').count(), 1, 'one group');
    assert.deepStrictEqual(await group.locator('.prompt').allTextContents(), [PROMPT], 'the shared prompt once');
    assert.deepStrictEqual(await group.locator('.variant').allTextContents(), ['Variant 1 of 2', 'Variant 2 of 2']);
    const seeds = await group.locator('article.card .pair', { hasText: 'Seed' }).locator('dd').allTextContents();
    assert.ok(seeds.length === 2 && seeds[0] !== seeds[1], `each variant its own seed: ${seeds}`);
    for (const name of ['Insert into workspace', 'Keep', 'More actions', 'Star', 'Select to compare']) {
      assert.strictEqual(await group.getByRole('button', { name, exact: true }).count(), 2, `"${name}" on each variant`);
    }
    const keep = group.locator('article.card').first().getByRole('button', { name: 'Keep', exact: true });
    assert.match((await keep.getAttribute('title')) ?? '', /starred ones are never deleted/);
    // Now that images completed, the label uses the price Apiframe charged (the simulator's 6 credits).
    assert.strictEqual((await generate.innerText()).trim(), 'Generate 2 · 12 credits');
    await ctx.runCommand('Notifications: Clear All Notifications');
    await group.scrollIntoViewIfNeeded();
    await ctx.screenshot('gallery-variants');

    // Keep the first: the extension asks, then the other one goes and the kept one is a plain card again.
    const keptId = await group.locator('article.card').first().getAttribute('data-id');
    await keep.click();
    await answerDialog(ctx, 'Keep this variant and delete the other one of its group?', 'Delete the Other');
    await waitForCount(ctx, 1, 1);
    await ctx.retry(async () => (await view.locator('section.group').count()) === 0, { what: 'the group gone' });
    assert.strictEqual(await view.locator('article.card').getAttribute('data-id'), keptId, 'the kept variant stays');
  },
};
