// Dropping an image onto the gallery in a real VS Code: an image Flux Studio made, in the workspace, dragged
// from the Explorer onto the gallery with Shift held (VS Code lets a drag into a webview only then) offers
// Re-run with the prompt and seed recorded in the file; Re-run starts that generation again.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario } from './context';
import { generateFromPromptBar } from './gallerySteps';
import { completedImage, gallery, simStats } from './steps';

const PROMPT = 'An orange cat asleep on a windowsill';

export const scenario: Scenario = {
  name: 'gallery drop: an image dragged from the Explorer with Shift offers Re-run with its recorded settings',
  timeoutMs: 120_000,
  async run(ctx) {
    await ctx.runCommand('Flux: Open Gallery');
    await generateFromPromptBar(ctx, PROMPT, { first: true });
    await completedImage(ctx);
    // The stored image carries its generation record; a copy of it in the workspace is what a user drags.
    const stored = path.join(ctx.userDataDir, 'User', 'globalStorage', 'flux-studio.flux-studio', 'gallery', 'images');
    const file = fs.readdirSync(stored).find((f) => /\.(jpg|png|webp)$/.test(f))!;
    fs.copyFileSync(path.join(stored, file), path.join(ctx.workspace, `cat${path.extname(file)}`));
    const row = ctx.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'cat' }).first();
    await row.waitFor({ timeout: 15_000 });
    await ctx.runCommand('Notifications: Clear All Notifications');

    const target = ctx.page.locator('iframe.webview.ready[src*="extensionId=flux-studio"]');
    const box = (await target.boundingBox())!;
    const from = (await row.boundingBox())!;
    await ctx.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await ctx.page.mouse.down();
    await ctx.page.keyboard.down('Shift');
    await ctx.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 12 });
    const overlay = await gallery(ctx).locator('.drop-overlay').isVisible();
    ctx.log(`drop overlay visible during the drag: ${overlay}`);
    await ctx.page.mouse.up();
    await ctx.page.keyboard.up('Shift');

    const notifications = await ctx.retry(
      async () => {
        const texts = await ctx.readNotifications({ keepOpen: true });
        return texts.some((t) => t.includes('was made by Flux Studio')) ? texts : undefined;
      },
      { timeoutMs: 15_000, what: 'the Re-run offer' },
    );
    const offer = notifications.find((t) => t.includes('was made by Flux Studio'))!;
    ctx.log(`offer: ${offer}`);
    assert.ok(offer.includes(`cat${path.extname(file)}`) && offer.includes(PROMPT), offer);
    await ctx.page.locator('.notifications-center .monaco-button', { hasText: 'Re-run' }).first().click();
    await ctx.retry(async () => (await simStats(ctx)).jobsCreated === 2, { timeoutMs: 20_000, what: 'the re-run job' });
    const jobs = (await simStats(ctx)).jobs;
    assert.strictEqual(jobs[1].prompt, PROMPT);
  },
};
