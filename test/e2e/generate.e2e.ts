// The heart of the product, as a user does it in a real VS Code: select text → right-click →
// "Generate Image from Selection" → the key is asked inline → progress → the image is in the gallery.
// Then a window reload in the middle of a job: it finishes afterwards and is charged once.
import * as assert from 'assert';
import type { Scenario, ScenarioContext } from './context';

const PARAGRAPH = 'A lighthouse stands on a rocky cliff';
const MENU_LABEL = 'Generate Image from Selection';

interface SimStats {
  jobsCreated: number;
  creditsCharged: number;
  imagesServed?: number;
  jobs: Array<{ id: string; status: string; prompt: string }>;
}

async function stats(ctx: ScenarioContext): Promise<SimStats> {
  return (await fetch(`${ctx.simulator.url}/__sim/stats`)).json() as Promise<SimStats>;
}

async function configure(ctx: ScenarioContext, options: unknown): Promise<void> {
  await fetch(`${ctx.simulator.url}/__sim/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(options) });
}

/** Types into the quick input (the password box for the key). */
async function answerInputBox(ctx: ScenarioContext, text: string): Promise<void> {
  const input = ctx.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await input.press('Enter');
}

/** Waits until the gallery webview shows a completed card whose <img> really decoded. */
async function completedImage(ctx: ScenarioContext, timeoutMs = 60_000): Promise<{ width: number; alt: string }> {
  return ctx.retry(
    async () => {
      const image = ctx.webview().locator('article.card.state-completed img').first();
      if ((await image.count()) === 0) return undefined;
      const info = await image.evaluate((img: any) => ({ width: img.naturalWidth, alt: img.alt, complete: img.complete }));
      return info.complete && info.width > 0 ? info : undefined;
    },
    { timeoutMs, what: 'a completed image in the gallery' },
  );
}

async function generateFromSelection(ctx: ScenarioContext): Promise<void> {
  await ctx.openFile('doc.md');
  await ctx.selectLineWithText(PARAGRAPH);
  await ctx.rightClickSelection(PARAGRAPH, MENU_LABEL);
}

export const scenarios: Scenario[] = [
  {
    name: 'generate: right-click the selection, set the key when asked, progress, image in the gallery',
    timeoutMs: 150_000,
    async run(ctx) {
      // Jobs take ~3 s here so the progress notification can be seen.
      await configure(ctx, { timeScale: 0.2 });
      await generateFromSelection(ctx);
      await answerInputBox(ctx, ctx.apiKey);
      const progress = ctx.page.locator('.notification-toast', { hasText: 'Flux: generating' });
      const sawProgress = await progress
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      if (sawProgress) await ctx.screenshot('generate-progress');
      ctx.log(`progress notification ${sawProgress ? 'seen' : 'not rendered as a toast (headless)'}`);
      const image = await completedImage(ctx);
      assert.ok(image.alt.startsWith(PARAGRAPH), `alt text is the prompt: ${image.alt}`);
      ctx.log(`gallery image decoded, naturalWidth ${image.width}`);
      await ctx.screenshot('generate-gallery');
      const s = await stats(ctx);
      assert.strictEqual(s.jobsCreated, 1, 'one job created');
      assert.strictEqual(s.jobs[0].prompt.startsWith(PARAGRAPH), true, 'the selected text is the prompt');
    },
  },
  {
    name: 'generate: reload the window mid-job; the job finishes afterwards and is charged once',
    timeoutMs: 180_000,
    async run(ctx) {
      await configure(ctx, { timeScale: 1, durations: { fixedMs: 20_000 } });
      await generateFromSelection(ctx);
      await answerInputBox(ctx, ctx.apiKey);
      await ctx.retry(async () => (await stats(ctx)).jobsCreated === 1, { timeoutMs: 20_000, what: 'the job to be accepted' });
      ctx.log('job accepted; reloading the window');
      await ctx.runCommand('Developer: Reload Window');
      await ctx.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const image = await completedImage(ctx, 90_000);
      ctx.log(`after reload: image decoded (naturalWidth ${image.width})`);
      const s = await stats(ctx);
      assert.strictEqual(s.jobsCreated, 1, 'nothing was submitted twice');
      assert.strictEqual(s.creditsCharged, 6, 'charged once');
      assert.strictEqual(s.jobs[0].status, 'COMPLETED');
    },
  },
];
