// Hostile prompts in a real VS Code gallery webview: a prompt made of HTML and Markdown metacharacters is
// generated through the simulator and must render as exactly that text — no element parsed out of it, no
// script run (no dialog), the same text in the image's alt — and likewise for RTL overrides and emoji.
import * as assert from 'assert';
import * as path from 'path';
import type { Scenario, ScenarioContext } from './context';
import { completedImage, gallery, giveKeyAndAgreeToPrice, simStats } from './steps';
import { recordHostileCounts } from '../support/hostileCounts';

const PROMPTS = [
  '<img src=x onerror=alert(1)><b>bold</b>',
  '[x](javascript:alert(1)) <script>alert(2)</script> &amp; &lt;i&gt; "quotes" \'single\'',
  '\u202Egnp.exe\u202C שועל אדום 🦊👩‍👩‍👧 <svg onload=alert(3)>',
];

async function generateFromPromptBar(ctx: ScenarioContext, prompt: string, first: boolean): Promise<void> {
  const bar = gallery(ctx);
  await bar.locator('#prompt').fill(prompt);
  await bar.getByRole('button', { name: 'Generate' }).click();
  if (first) await giveKeyAndAgreeToPrice(ctx);
}

export const scenario: Scenario = {
  name: 'hostile: prompts with HTML/Markdown metacharacters render as text in the gallery webview',
  timeoutMs: 180_000,
  async run(ctx) {
    const dialogs: string[] = [];
    ctx.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await ctx.runCommand('Flux: Open Gallery');
    for (const [i, prompt] of PROMPTS.entries()) {
      await generateFromPromptBar(ctx, prompt, i === 0);
      await ctx.retry(async () => (await simStats(ctx)).jobsCreated === i + 1, { timeoutMs: 20_000, what: `job ${i + 1} accepted` });
    }
    await ctx.retry(async () => (await simStats(ctx)).jobs.every((j) => j.status === 'COMPLETED'), { timeoutMs: 60_000, what: 'all jobs done' });
    await completedImage(ctx);
    const view = gallery(ctx);
    await view.locator('input.search').fill('');
    await ctx.retry(async () => (await view.locator('article.card.state-completed').count()) === PROMPTS.length, {
      timeoutMs: 30_000,
      what: 'every card completed',
    });
    const sent = (await simStats(ctx)).jobs.map((j) => j.prompt).sort();
    assert.deepStrictEqual(sent, [...PROMPTS].sort(), 'the request bodies carried the prompts intact');

    for (const prompt of PROMPTS) {
      const card = view.locator('article.card', { has: view.locator('.prompt', { hasText: prompt.slice(0, 12) }) }).first();
      // Thumbnails load lazily: bring the card into view and wait for its image before inspecting it.
      await card.scrollIntoViewIfNeeded();
      await ctx.retry(async () => (await card.locator('img').count()) > 0, { timeoutMs: 20_000, what: 'the card image' });
      const facts = await card.evaluate((node: any, expected: string) => {
        const promptNode = node.querySelector('.prompt');
        const images = [...node.querySelectorAll('img')];
        return {
          text: promptNode?.textContent,
          promptChildren: promptNode?.children.length,
          bold: node.querySelectorAll('b, script, svg, a[href^="javascript:"], i').length,
          images: images.map((img: any) => ({ src: String(img.getAttribute('src')), alt: img.alt })),
          altMatches: images.every((img: any) => img.alt === expected),
        };
      }, prompt);
      assert.strictEqual(facts.text, prompt, 'the .prompt shows the exact text');
      assert.strictEqual(facts.promptChildren, 0, 'no element was parsed out of the prompt');
      assert.strictEqual(facts.bold, 0, `no <b>/<script>/<svg>/<i>/javascript: link in the card: ${JSON.stringify(facts)}`);
      assert.strictEqual(facts.images.length, 1, `only the card's own image: ${JSON.stringify(facts.images)}`);
      assert.ok(!facts.images.some((img) => img.src === 'x'), 'no <img src=x> from the prompt');
      assert.ok(facts.altMatches, 'the image alt is the prompt text');
    }
    const injected = await view.locator('body').evaluate((body: any) => body.querySelectorAll('img[src="x"], svg[onload], b').length);
    assert.strictEqual(injected, 0, 'nothing injected anywhere in the webview');
    assert.deepStrictEqual(dialogs, [], 'no script from a prompt ran (no alert dialog)');
    await ctx.screenshot('hostile-prompts');
    const total = recordHostileCounts('e2e', { 'prompt in webview': PROMPTS.length }, path.join(ctx.outputDir, '..', 'hostile-inputs.json'));
    ctx.log(`hostile inputs tried: ${PROMPTS.length} (e2e; all layers so far: ${total})`);
  },
};
