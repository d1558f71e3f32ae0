// Many windows, one gallery, as a user has them: two code-server windows on two folders, one profile (one
// global storage). The key set in window A is used by window B without asking; an image finished in B
// appears in A's open gallery without a reload; a job that outlives its window is still collected; after a
// reload (and in a window opened later) every gallery shows every completed image.
import * as assert from 'assert';
import * as path from 'path';
import type { Scenario, ScenarioContext } from './context';
import { answer, answerPriceQuestion, configureSimulator, gallery, generateFromPalette, simStats } from './steps';

const PROMPTS = { whale: 'a whale made in window B', fox: 'a fox made in window A', long: 'a long job that outlives window B' };

/** Waits until this window's open gallery shows a completed card with `prompt`. */
async function showsCompleted(ctx: ScenarioContext, prompt: string, timeoutMs = 30_000): Promise<void> {
  const card = gallery(ctx).locator('article.card.state-completed', { hasText: prompt });
  await ctx.retry(async () => (await card.count()) > 0, { timeoutMs, what: `"${prompt}" completed in the gallery of ${path.basename(ctx.workspace)}` });
}

async function openGallery(ctx: ScenarioContext): Promise<void> {
  await ctx.runCommand('Flux: Open Gallery');
  await ctx.retry(async () => (await gallery(ctx).getByRole('button', { name: 'Generate', exact: true }).count()) === 1, {
    timeoutMs: 30_000,
    what: `the gallery in ${path.basename(ctx.workspace)}`,
  });
}

export const scenario: Scenario = {
  name: 'windows: two windows, one profile — the key is shared, each gallery shows every image, a job outlives its window',
  timeoutMs: 300_000,
  async run(a) {
    await configureSimulator(a, { timeScale: 0.05 });
    const b = await a.openSecondWindow();
    for (const ctx of [a, b]) {
      const title = await ctx.page.title();
      assert.ok(title.split(/\s+/).includes(path.basename(ctx.workspace)), `window title "${title}" names its folder`);
    }

    await a.runCommand('Flux: Set API Key');
    await answer(a, 'Set API Key', a.apiKey);
    await openGallery(a);

    // Window B was open before the key was set: code-server shows it the key only after a reload, so B hands
    // its job to A, which has the key. B is not asked for the key: the first thing it asks is the prompt.
    await generateFromPalette(b, PROMPTS.whale);
    await answerPriceQuestion(b);
    await showsCompleted(a, PROMPTS.whale);
    a.log("B's image appeared in A's open gallery without a reload");
    await a.screenshot('two-windows-a-sees-b');

    await generateFromPalette(a, PROMPTS.fox);
    await showsCompleted(a, PROMPTS.fox);

    // A job that takes longer than window B stays open.
    await configureSimulator(a, { timeScale: 0.05, durations: { fixedMs: 240_000 } });
    await generateFromPalette(b, PROMPTS.long);
    await a.retry(async () => (await simStats(a)).jobsCreated === 3, { timeoutMs: 20_000, what: 'the long job to be accepted' });
    await b.page.close();
    a.log('window B closed while its job runs');
    await showsCompleted(a, PROMPTS.long, 90_000);

    await a.runCommand('Developer: Reload Window');
    await a.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await openGallery(a);
    const later = await a.openSecondWindow();
    await openGallery(later);
    for (const ctx of [a, later]) {
      for (const prompt of Object.values(PROMPTS)) await showsCompleted(ctx, prompt);
    }
    const stats = await simStats(a);
    assert.strictEqual(stats.jobsCreated, 3, 'three jobs, none submitted twice');
    assert.strictEqual(stats.creditsCharged, 18, 'charged once each');
    await later.screenshot('two-windows-every-image');
  },
};
