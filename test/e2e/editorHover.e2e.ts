// The record one hover away, in a real VS Code: an image generated from a paragraph is linked after it;
// hovering that link shows the thumbnail (a data: URI) and the record's links; Re-run asks once and starts a
// job with the same prompt and settings (seed included), as the simulator received it.
import * as assert from 'assert';
import type { Scenario, ScenarioContext } from './context';
import { giveKeyAndAgreeToPrice, simStats } from './steps';

const PARAGRAPH = 'A lighthouse stands on a rocky cliff at dusk';

/** What the simulator received for a job: the prompt and the parameters sent with it. */
async function jobInput(ctx: ScenarioContext, id: string): Promise<{ prompt: string; fluxParams: Record<string, unknown> }> {
  const response = await fetch(`${ctx.simulator.url}/v2/jobs/${id}`, { headers: { 'X-API-Key': ctx.apiKey } });
  return ((await response.json()) as { input: { prompt: string; fluxParams: Record<string, unknown> } }).input;
}

export const scenario: Scenario = {
  name: 'editor: hovering an inserted image link shows its record; Re-run starts a job with the same settings',
  timeoutMs: 150_000,
  // A fixed seed, so the record carries one (a single image is otherwise left to the server's random seed).
  settings: { 'fluxStudio.seed': 4242 },
  async run(ctx) {
    await ctx.openFile('doc.md');
    await ctx.selectLineWithText(PARAGRAPH);
    await ctx.rightClickSelection(PARAGRAPH, 'Generate Image from Selection');
    await giveKeyAndAgreeToPrice(ctx);
    const link = ctx.page.locator('.editor-instance .monaco-editor .view-line', { hasText: '](images/' }).first();
    await link.waitFor({ timeout: 60_000 });
    // The long selected paragraph scrolled the editor sideways (word wrap is off): back to the start of the lines.
    await ctx.page.keyboard.press('Control+Home');
    const path = link.locator('span > span', { hasText: 'images/' }).first();

    const hover = ctx.page.locator('.monaco-hover:visible', { hasText: 'Flux Studio' });
    await ctx.retry(
      async () => {
        const box = await path.boundingBox();
        if (!box) return false;
        await ctx.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        if (await hover.locator('img[src^="data:image/"]').first().waitFor({ timeout: 5000 }).then(() => true, () => false)) return true;
        await ctx.page.mouse.move(700, 700);
        ctx.countRetry('no Flux Studio hover with a thumbnail over the inserted link; hovering again');
        return false;
      },
      { timeoutMs: 30_000, what: 'the record hover over the inserted link' },
    );
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /A lighthouse stands on a rocky cliff at dusk/);
    assert.match(text, /Seed 4242 · Ratio 16:9/);
    assert.match(text, /Cost (about )?6 credits/);
    assert.match(text, /Re-run · Vary · Open in Gallery/);
    await ctx.screenshot('hover-record');

    await hover.locator('a', { hasText: 'Re-run' }).first().click();
    const question = ctx.page.locator('.notification-list-item', { hasText: 'was made by Flux Studio' });
    if (!(await question.first().waitFor({ timeout: 10_000 }).then(() => true, () => false))) {
      await ctx.runCommand('Notifications: Show Notifications'); // toasts are not always shown headless
    }
    await question.locator('.monaco-button', { hasText: 'Re-run' }).first().click();

    const stats = await ctx.retry(async () => ((await simStats(ctx)).jobsCreated === 2 ? simStats(ctx) : undefined), { timeoutMs: 30_000, what: 'the Re-run job' });
    const [first, again] = await Promise.all(stats.jobs.map((job) => jobInput(ctx, job.id)));
    assert.strictEqual(again.prompt, first.prompt);
    assert.deepStrictEqual(again.fluxParams, first.fluxParams, 'the same settings, seed included');
  },
};
