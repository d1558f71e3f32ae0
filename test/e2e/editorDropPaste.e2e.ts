// Gallery images into an HTML file the two ways a writer expects, in a real VS Code: drag the picture
// out of the gallery webview onto a line of page.html (a real browser drag: the webview's dragstart
// sets the data, Chromium carries it into the workbench), and "Copy Image" from the picture's context
// menu, then Ctrl+V in the editor. Each writes images/<file> and an <img> snippet; Ctrl+Z takes the
// paste back, file and all.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GALLERY_IMAGE_MIME } from '../../src/protocol/galleryTransfer';
import type { Scenario, ScenarioContext } from './context';
import { gallery, generateFromPageHtml } from './steps';

/** page.html as the editor holds it: saved (Ctrl+S), then read (wrapped lines make the DOM unreliable). */
async function savedPage(ctx: ScenarioContext): Promise<string> {
  await ctx.page.keyboard.press('Control+S');
  await ctx.sleep(300);
  return fs.readFileSync(path.join(ctx.workspace, 'page.html'), 'utf8');
}

function savedImages(ctx: ScenarioContext): string[] {
  const dir = path.join(ctx.workspace, 'images');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.(jpg|png|webp)$/.test(f)) : [];
}

export const scenarios: Scenario[] = [
  {
    name: 'editor: drag a picture from the gallery into an HTML file',
    timeoutMs: 150_000,
    settings: { 'editor.wordWrap': 'on', 'fluxStudio.afterGenerate': 'gallery' },
    async run(ctx) {
      await generateFromPageHtml(ctx);
      const picture = await gallery(ctx).locator('article.card.state-completed .thumb img').first().boundingBox();
      // Just after the heading's text.
      const word = await ctx.page
        .locator('.editor-instance .monaco-editor .view-line', { hasText: '<h1>Lighthouse</h1>' })
        .first()
        .locator('span span', { hasText: /^Lighthouse$/ })
        .first()
        .boundingBox();
      assert.ok(picture && word, 'the picture and the heading are on screen');
      const from = { x: picture.x + picture.width / 2, y: picture.y + picture.height / 2 };
      const to = { x: word.x + word.width + 1, y: word.y + word.height / 2 };
      // What the drag carries, read in the webview when it ends.
      await gallery(ctx).locator('body').evaluate((body: any) => body.ownerDocument.defaultView.addEventListener('dragend', (e: any) => (body.dataset.dragTypes = [...e.dataTransfer.types].join(','))));
      await ctx.page.mouse.move(from.x, from.y);
      await ctx.page.mouse.down();
      for (let step = 1; step <= 10; step++) await ctx.page.mouse.move(from.x + ((to.x - from.x) * step) / 10, from.y + ((to.y - from.y) * step) / 10);
      await ctx.page.mouse.up();
      const saved = await ctx.retry(async () => savedImages(ctx)[0], { timeoutMs: 20_000, what: 'the image saved into images/' });
      await ctx.retry(async () => (await savedPage(ctx)).includes(`<h1>Lighthouse<img src="images/${saved}"`), { timeoutMs: 15_000, what: 'the <img> snippet in the heading' });
      // Only the entry id: no file (VS Code would open a dragged image file instead of dropping it in).
      assert.strictEqual(await gallery(ctx).locator('body').getAttribute('data-drag-types'), GALLERY_IMAGE_MIME);
      await ctx.screenshot('dropped-html');
    },
  },
  {
    name: 'editor: Copy Image in the gallery, paste into an HTML file, undo',
    timeoutMs: 150_000,
    settings: { 'editor.wordWrap': 'on', 'fluxStudio.afterGenerate': 'gallery' },
    async run(ctx) {
      await ctx.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ctx.workbenchUrl).origin });
      await generateFromPageHtml(ctx);
      await ctx.retry(
        async () => {
          await gallery(ctx).locator('article.card.state-completed .thumb img').first().click({ button: 'right' });
          const copy = ctx.page.locator('.monaco-menu .action-label', { hasText: 'Copy Image' }).first();
          if (await copy.waitFor({ timeout: 3000 }).then(() => true, () => false)) {
            await ctx.screenshot('copy-image-menu');
            await copy.click();
            return true;
          }
          await ctx.page.keyboard.press('Escape');
          ctx.countRetry('the gallery image\'s context menu had no "Copy Image"; right-clicking again');
          return false;
        },
        { timeoutMs: 30_000, what: 'the "Copy Image" context-menu entry' },
      );
      // Paste at the end of the <h1> line.
      await ctx.page.locator('.editor-instance .monaco-editor .view-line', { hasText: '<h1>Lighthouse</h1>' }).first().click();
      await ctx.page.keyboard.press('End');
      await ctx.page.keyboard.press('Control+V');
      const saved = await ctx.retry(async () => savedImages(ctx)[0], { timeoutMs: 20_000, what: 'the image saved into images/' });
      await ctx.retry(async () => (await savedPage(ctx)).includes(`<img src="images/${saved}"`), { timeoutMs: 15_000, what: 'the <img> snippet in page.html' });
      await ctx.screenshot('pasted-html');

      await ctx.page.keyboard.press('Control+Z');
      await ctx.retry(async () => !(await savedPage(ctx)).includes('<img') && savedImages(ctx).length === 0, {
        timeoutMs: 15_000,
        what: 'one Undo taking back both the snippet and the file',
      });
    },
  },
];
