// Favourites and Compare in a real VS Code gallery, by button name, in the light theme: star a card (by
// keyboard too), show only Starred, select two images to compare, Compare shows both full images in frames
// of the same size with their prompts and settings, Swipe and its slider by keyboard, Escape returns; then
// the comparison again in the high-contrast and dark themes, switched while the gallery is open; a third
// image selected: three frames side by side, no Swipe.
import * as assert from 'assert';
import type { Scenario } from './context';
import { cardWithPrompt, generateEach, setColorTheme, showOnly, waitForCount } from './gallerySteps';
import { gallery } from './steps';

const FOX = 'A red fox in fresh snow';
const WHALE = 'A blue whale under the northern lights';
const OWL = 'A snowy owl on a fence post at dusk';

export const scenario: Scenario = {
  name: 'gallery favourites and compare: Star, Starred filter, Select to compare, Compare, Swipe, Escape',
  settings: { 'workbench.colorTheme': 'Default Light Modern' },
  timeoutMs: 120_000,
  async run(ctx) {
    await ctx.runCommand('Flux: Open Gallery');
    await generateEach(ctx, [FOX, WHALE, OWL]);
    const view = gallery(ctx);
    await ctx.retry(async () => (await view.locator('article.card.state-completed img').count()) === 3, { timeoutMs: 60_000, what: 'three completed images' });
    await waitForCount(ctx, 3, 3);
    await ctx.runCommand('Notifications: Clear All Notifications');

    // Star: a real toggle button named "Star" on every card, pressed once starred (the extension stores it).
    const fox = cardWithPrompt(ctx, FOX);
    const star = fox.getByRole('button', { name: 'Star', exact: true });
    assert.strictEqual(await star.getAttribute('aria-pressed'), 'false');
    await star.click();
    await ctx.retry(async () => (await fox.getByRole('button', { name: 'Star', exact: true }).getAttribute('aria-pressed')) === 'true', { what: 'the fox starred' });
    assert.match((await fox.getByRole('button', { name: 'Star', exact: true }).getAttribute('title')) ?? '', /never deleted by Keep/);
    // By keyboard: Space on the whale's star, and again to take it back.
    const whaleStar = cardWithPrompt(ctx, WHALE).getByRole('button', { name: 'Star', exact: true });
    for (const pressed of ['true', 'false']) {
      await whaleStar.focus();
      await ctx.page.keyboard.press('Space');
      await ctx.retry(async () => (await whaleStar.getAttribute('aria-pressed')) === pressed, { what: `the whale's star ${pressed}` });
    }

    // Show: Starred — only the fox, and the count says so.
    await showOnly(ctx, 'starred');
    await waitForCount(ctx, 1, 3);
    assert.deepStrictEqual(await view.locator('article.card .prompt').allTextContents(), [FOX]);
    await showOnly(ctx, 'all');
    await waitForCount(ctx, 3, 3);

    // Select both to compare; Compare opens the comparison.
    const compare = view.getByRole('button', { name: 'Compare', exact: true });
    await cardWithPrompt(ctx, FOX).getByRole('button', { name: 'Select to compare' }).click();
    await ctx.retry(async () => (await view.locator('.compare-status').textContent()) === '1 of 4 selected to compare', { what: 'one selected' });
    assert.ok(await compare.isDisabled(), 'Compare waits for a second image');
    await cardWithPrompt(ctx, WHALE).getByRole('button', { name: 'Select to compare' }).click();
    await ctx.retry(async () => !(await compare.isDisabled()), { what: 'Compare enabled with two selected' });
    await compare.click();
    const dialog = view.getByRole('dialog', { name: 'Compare' });
    await dialog.waitFor({ timeout: 10_000 });
    // Both full images (not the 320 px thumbnails), decoded, in frames of the same size.
    const images = await ctx.retry(
      async () => {
        const facts = await dialog.locator('.compare-frame img').evaluateAll((imgs: any[]) =>
          imgs.map((img) => ({ alt: img.alt, width: img.naturalWidth, src: String(img.getAttribute('src')), box: img.parentElement.getBoundingClientRect().toJSON() })),
        );
        return facts.length === 2 && facts.every((f) => f.width > 1000 && !f.src.startsWith('blob:')) ? facts : undefined;
      },
      { timeoutMs: 20_000, what: 'both full images in the comparison' },
    );
    assert.deepStrictEqual(images.map((i) => i.alt), [FOX, WHALE]);
    assert.ok(Math.abs(images[0].box.width - images[1].box.width) < 1 && Math.abs(images[0].box.height - images[1].box.height) < 1, JSON.stringify(images.map((i) => i.box)));
    assert.ok(images[0].box.width > 300, `large frames: ${images[0].box.width}px`);
    const captions = await dialog.locator('.compare-caption').allInnerTexts();
    assert.ok(captions[0].includes(FOX) && captions[1].includes(WHALE) && captions.every((c) => /Seed/.test(c)), captions.join(' | '));
    await ctx.screenshot('gallery-compare');

    // Swipe: one image over the other, the slider moved by keyboard.
    await dialog.getByRole('button', { name: 'Swipe' }).click();
    const slider = dialog.getByRole('slider', { name: 'Swipe position' });
    await slider.focus();
    for (let i = 0; i < 5; i++) await ctx.page.keyboard.press('ArrowLeft');
    const swipe = await dialog.locator('.compare-stage').evaluate((stage: any) => stage.style.getPropertyValue('--swipe'));
    assert.strictEqual(swipe, '45%');
    const frames = await dialog.locator('.compare-frame').evaluateAll((els: any[]) => els.map((el) => el.getBoundingClientRect().toJSON()));
    assert.ok(Math.abs(frames[0].x - frames[1].x) < 1 && Math.abs(frames[0].y - frames[1].y) < 1, 'the two images lie on top of each other');
    await ctx.screenshot('gallery-compare-swipe');

    // Escape closes it; focus is back on Compare.
    await ctx.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
    assert.strictEqual(await view.locator('body').evaluate((body: any) => body.ownerDocument.activeElement?.dataset.action), 'compare');

    // The other themes: the dialog keeps its own colours and a visible edge; Close returns.
    for (const [theme, bodyClass] of [['Default High Contrast', 'vscode-high-contrast'], ['Default Dark Modern', 'vscode-dark']]) {
      await setColorTheme(ctx, theme);
      await ctx.retry(async () => ((await view.locator('body').getAttribute('class')) ?? '').split(' ').includes(bodyClass), { what: `the ${theme} theme` });
      await compare.click();
      await dialog.waitFor({ timeout: 10_000 });
      const colors = await dialog.evaluate((d: any) => {
        const style = d.ownerDocument.defaultView.getComputedStyle(d);
        return { text: style.color, background: style.backgroundColor, border: style.borderTopColor };
      });
      assert.ok(colors.text !== colors.background && colors.border !== 'rgba(0, 0, 0, 0)', `${theme}: ${JSON.stringify(colors)}`);
      await ctx.screenshot(`gallery-compare-${bodyClass.replace('vscode-', '')}`);
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
    }

    // A third image: three frames of the same size side by side, and no Swipe (it lays one image over one other).
    await cardWithPrompt(ctx, OWL).getByRole('button', { name: 'Select to compare' }).click();
    await ctx.retry(async () => (await view.locator('.compare-status').textContent()) === '3 of 4 selected to compare', { what: 'three selected' });
    await compare.click();
    await dialog.waitFor({ timeout: 10_000 });
    const three = await dialog.locator('.compare-frame').evaluateAll((els: any[]) => els.map((el) => el.getBoundingClientRect().toJSON()));
    assert.strictEqual(three.length, 3);
    assert.ok(three.every((box) => Math.abs(box.width - three[0].width) < 1 && Math.abs(box.y - three[0].y) < 1 && box.width > 100), JSON.stringify(three));
    assert.ok(three[0].x < three[1].x && three[1].x < three[2].x, 'side by side');
    assert.deepStrictEqual(await dialog.locator('.compare-caption .prompt').allTextContents(), [FOX, WHALE, OWL]);
    assert.strictEqual(await dialog.getByRole('button', { name: 'Swipe' }).count(), 0, 'no Swipe for three images');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
  },
};
