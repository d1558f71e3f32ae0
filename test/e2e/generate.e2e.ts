// The heart of the product, as a user does it in a real VS Code: select text → right-click →
// "Generate Image from Selection" → the key is asked inline → progress → the image is in the gallery.
// Then a window reload in the middle of a job: it finishes afterwards and is charged once.
import * as assert from 'assert';
import { ALL_VERSIONS, type Scenario, type ScenarioContext } from './context';
import { completedImage, configureSimulator, giveKeyAndAgreeToPrice, simStats } from './steps';

const PARAGRAPH = 'A lighthouse stands on a rocky cliff';
const MENU_LABEL = 'Generate Image from Selection';

async function generateFromSelection(ctx: ScenarioContext, screenshot?: string): Promise<void> {
  await ctx.openFile('doc.md');
  await ctx.selectLineWithText(PARAGRAPH);
  if (!screenshot) return void (await ctx.rightClickSelection(PARAGRAPH, MENU_LABEL));
  // Open the menu, require our entry in it, photograph, click.
  await ctx.rightClickSelection(PARAGRAPH);
  const entry = ctx.page.locator('.monaco-menu .action-label', { hasText: MENU_LABEL }).first();
  assert.strictEqual(await entry.count(), 1, `the editor context menu offers "${MENU_LABEL}" on a selection`);
  await ctx.screenshot(screenshot);
  if (!(await ctx.clickMenuEntry(entry))) {
    ctx.countRetry(`the click on "${MENU_LABEL}" was lost; right-clicking again`);
    await ctx.rightClickSelection(PARAGRAPH, MENU_LABEL);
  }
}

export const scenarios: Scenario[] = [
  {
    name: 'generate: right-click the selection, set the key when asked, progress, image in the gallery',
    versions: ALL_VERSIONS,
    settings: { 'fluxStudio.afterGenerate': 'gallery' },
    timeoutMs: 150_000,
    async run(ctx) {
      // Jobs take ~3 s here so the progress notification can be seen.
      await configureSimulator(ctx, { timeScale: 0.2 });
      await generateFromSelection(ctx, 'context-menu');
      await giveKeyAndAgreeToPrice(ctx);
      // The progress notification, with its Cancel button, is required (jobs take ~3 s at this time scale).
      const progress = ctx.page.locator('.notification-toast', { hasText: 'Flux: generating' }).first();
      await progress.waitFor({ state: 'visible', timeout: 10_000 });
      assert.strictEqual(await progress.getByRole('button', { name: 'Cancel' }).count(), 1, 'the progress notification can be cancelled');
      await ctx.screenshot('generate-progress');
      const image = await completedImage(ctx);
      assert.ok(image.alt.startsWith(PARAGRAPH), `alt text is the prompt: ${image.alt}`);
      ctx.log(`gallery image decoded, naturalWidth ${image.width}`);
      await ctx.screenshot('generate-gallery');
      const s = await simStats(ctx);
      assert.strictEqual(s.jobsCreated, 1, 'one job created');
      assert.strictEqual(s.jobs[0].prompt.startsWith(PARAGRAPH), true, 'the selected text is the prompt');
    },
  },
  {
    name: 'generate: reload the window mid-job; the job finishes afterwards and is charged once',
    settings: { 'fluxStudio.afterGenerate': 'gallery' },
    timeoutMs: 180_000,
    async run(ctx) {
      await configureSimulator(ctx, { timeScale: 1, durations: { fixedMs: 20_000 } });
      await generateFromSelection(ctx);
      await giveKeyAndAgreeToPrice(ctx);
      await ctx.retry(async () => (await simStats(ctx)).jobsCreated === 1, { timeoutMs: 20_000, what: 'the job to be accepted' });
      ctx.log('job accepted; reloading the window');
      await ctx.runCommand('Developer: Reload Window');
      await ctx.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const image = await completedImage(ctx, 90_000);
      ctx.log(`after reload: image decoded (naturalWidth ${image.width})`);
      const s = await simStats(ctx);
      assert.strictEqual(s.jobsCreated, 1, 'nothing was submitted twice');
      assert.strictEqual(s.creditsCharged, 6, 'charged once');
      assert.strictEqual(s.jobs[0].status, 'COMPLETED');
    },
  },
];
