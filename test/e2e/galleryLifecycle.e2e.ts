// The gallery across a whole session in a real VS Code: generate from a selection in an HTML page,
// Insert into workspace writes <img …> into page.html, the entry survives a window reload, Delete
// asks and removes it. Run in the dark, light and high-contrast themes, with screenshots of each.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { sniffImage } from '../../src/shared/imageInfo';
import { ALL_VERSIONS, type Scenario, type VsCodeRole } from './context';
import { chooseFromCardMenu } from './gallerySteps';
import { completedImage, gallery, generateFromPageHtml } from './steps';

function lifecycle(theme: string, shot: string, versions?: VsCodeRole[]): Scenario {
  return {
    name: `gallery lifecycle (${theme}): HTML insert, reload keeps the entry, Delete removes it`,
    settings: { 'workbench.colorTheme': theme, 'fluxStudio.afterGenerate': 'gallery' },
    versions,
    timeoutMs: 200_000,
    async run(ctx) {
      await generateFromPageHtml(ctx);
      const insert = gallery(ctx).locator('article.card.state-completed').first().getByRole('button', { name: 'Insert into workspace' });
      assert.strictEqual((await insert.innerText()).trim(), 'Insert into workspace', `the labelled Insert button in ${theme}`);
      await ctx.runCommand('Notifications: Clear All Notifications'); // the toasts would hide the card
      await ctx.screenshot(shot);

      await gallery(ctx).locator('article.card.state-completed').first().getByRole('button', { name: 'Insert into workspace' }).click();
      const html = path.join(ctx.workspace, 'page.html');
      const inserted = await ctx.retry(
        async () => {
          const dir = path.join(ctx.workspace, 'images');
          const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => /^a-red-lighthouse.*\.(jpg|png|webp)$/.test(f)) : undefined;
          return file;
        },
        // Only the final name: the copy is written under a temporary name first, then renamed.
        { timeoutMs: 20_000, what: 'the image file under images/' },
      );
      // The edit is in the editor; save it so the file on disk shows it too.
      await ctx.runCommand('File: Save');
      await ctx.retry(async () => fs.readFileSync(html, 'utf8').includes(`<img src="images/${inserted}"`), {
        timeoutMs: 15_000,
        what: 'the <img> tag in page.html',
      });
      const tag = /<img [^>]*>/.exec(fs.readFileSync(html, 'utf8'))![0];
      // The selected line carries its <p> tags; the prompt (and so the alt text) is the words alone.
      assert.match(tag, /alt="A red lighthouse on a green hill/);
      assert.match(tag, /width="\d+" height="\d+"/);
      // The document copy (fluxStudio.insert.maxWidth, 1600 by default), not the 2752 px original.
      const width = Number(/width="(\d+)"/.exec(tag)![1]);
      assert.ok(width <= 1600, tag);
      assert.strictEqual(sniffImage(fs.readFileSync(path.join(ctx.workspace, 'images', inserted)))?.width, width);
      ctx.log(`page.html: ${tag.slice(0, 120)}`);
      // The inserted file carries its prompt and model (issue: the prompt lives in the file), as exiftool reads it.
      const [meta] = JSON.parse(execFileSync('exiftool', ['-json', '-XMP-dc:Description', '-XMP-fluxstudio:Model', path.join(ctx.workspace, 'images', inserted)], { encoding: 'utf8' }));
      assert.match(String(meta.Description), /^A red lighthouse on a green hill/, JSON.stringify(meta));
      assert.strictEqual(meta.Model, 'flux-1.1-pro-ultra', JSON.stringify(meta));

      await ctx.runCommand('Developer: Reload Window');
      await ctx.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await completedImage(ctx, 60_000);
      ctx.log('after the reload the gallery still shows the entry');

      await chooseFromCardMenu(gallery(ctx).locator('article.card.state-completed').first(), 'Delete');
      const confirm = ctx.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Delete' });
      await confirm.first().waitFor({ timeout: 15_000 });
      await confirm.first().click();
      await ctx.retry(async () => (await gallery(ctx).locator('article.card').count()) === 0, {
        timeoutMs: 15_000,
        what: 'the card to disappear after Delete',
      });
      assert.ok(fs.existsSync(path.join(ctx.workspace, 'images', inserted)), 'the copy in the workspace is kept');
    },
  };
}

export const scenarios: Scenario[] = [
  lifecycle('Default Dark Modern', 'gallery-dark', ALL_VERSIONS),
  lifecycle('Default Light Modern', 'gallery-light'),
  lifecycle('Default High Contrast', 'gallery-high-contrast'),
];
