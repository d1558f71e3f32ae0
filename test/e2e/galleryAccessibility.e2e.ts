// Accessibility of the gallery in a real VS Code, measured by axe-core (WCAG 2.0/2.1 A and AA rules) inside
// the gallery's own webview frame: the empty gallery, the gallery with images and a paused card, and Compare
// open — in the Light, Dark and High Contrast themes. No serious or critical violation may remain. Then the
// keyboard alone: generate, insert, star and delete with no mouse in the gallery, the progress announced.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario, ScenarioContext } from './context';
import { cardWithPrompt, generateEach, setColorTheme, waitForCount } from './gallerySteps';
import { answerInputBox, gallery } from './steps';

const THEMES = [
  ['Default Light Modern', 'vscode-light'],
  ['Default Dark Modern', 'vscode-dark'],
  ['Default High Contrast', 'vscode-high-contrast'],
] as const;
const FOX = 'A red fox in fresh snow';
const WHALE = 'A blue whale under the northern lights';
const PAUSED = 'A paper boat on a rainy street';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core in the gallery's frame (evaluated over the debugging protocol, so the page's CSP does not apply). */
async function axeViolations(ctx: ScenarioContext): Promise<AxeViolation[]> {
  const handle = await gallery(ctx).locator('body').elementHandle();
  const frame = await handle?.ownerFrame();
  assert.ok(frame, 'the gallery frame');
  if (!(await frame.evaluate('typeof axe !== "undefined"'))) {
    await frame.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  }
  const json = (await frame.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => JSON.stringify({ passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)).slice(0, 5) })) }))`)) as string;
  const result = JSON.parse(json) as { passes: number; violations: AxeViolation[] };
  // A run that checked nothing (wrong frame, axe not loaded) must not pass as "no violations".
  assert.ok(result.passes >= 10, `axe checked ${result.passes} rules`);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function expectNoViolations(ctx: ScenarioContext, where: string): Promise<void> {
  const violations = await axeViolations(ctx);
  ctx.log(`axe ${where}: ${violations.length} serious/critical`);
  assert.deepStrictEqual(violations, [], `axe-core, ${where}`);
}

async function useTheme(ctx: ScenarioContext, theme: string, bodyClass: string): Promise<void> {
  await setColorTheme(ctx, theme);
  await ctx.retry(async () => ((await gallery(ctx).locator('body').getAttribute('class')) ?? '').split(' ').includes(bodyClass), { what: `the ${theme} theme` });
}

/** Presses Tab (or Shift+Tab) until the focused element in the gallery matches, as a keyboard user does. */
async function tabTo(ctx: ScenarioContext, what: string, matches: string, backwards = false): Promise<void> {
  const view = gallery(ctx);
  for (let i = 0; i < 60; i++) {
    if (await view.locator('body').evaluate((body: any, selector: string) => !!body.ownerDocument.activeElement?.matches(selector), matches)) return;
    await ctx.page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`Tab never reached ${what}`);
}

export const scenarios: Scenario[] = [
  {
    name: 'gallery accessibility: axe-core finds no serious or critical violation (empty, images, paused, Compare) in Light, Dark and High Contrast',
    settings: { 'workbench.colorTheme': 'Default Light Modern' },
    timeoutMs: 240_000,
    async run(ctx) {
      await ctx.runCommand('Flux: Open Gallery');
      const view = gallery(ctx);
      await view.getByRole('heading', { name: 'Make your first image' }).waitFor({ timeout: 30_000 });
      await view.getByText('No Apiframe API key yet', { exact: false }).waitFor({ timeout: 10_000 });
      for (const [theme, bodyClass] of THEMES) {
        await useTheme(ctx, theme, bodyClass);
        await expectNoViolations(ctx, `empty gallery, ${theme}`);
        await ctx.screenshot(`a11y-empty-${bodyClass.replace('vscode-', '')}`);
      }

      await ctx.simulator.injectFault({ route: 'image', kind: 'redirectToHttp', times: 1 });
      await generateEach(ctx, [PAUSED, FOX, WHALE]);
      await ctx.retry(async () => (await view.locator('article.card.state-completed img').count()) === 2 && (await view.locator('article.card.state-paused').count()) === 1, {
        timeoutMs: 60_000,
        what: 'two images and a paused card',
      });
      await waitForCount(ctx, 3, 3);
      await ctx.runCommand('Notifications: Clear All Notifications');
      await view.locator('details.more-options > summary').click(); // the Options open too
      for (const name of [FOX, WHALE]) await cardWithPrompt(ctx, name).getByRole('button', { name: 'Select to compare' }).click();
      const dialog = view.getByRole('dialog', { name: 'Compare' });
      for (const [theme, bodyClass] of [...THEMES].reverse()) {
        await useTheme(ctx, theme, bodyClass);
        await expectNoViolations(ctx, `images and a paused card, ${theme}`);
        await ctx.screenshot(`a11y-cards-${bodyClass.replace('vscode-', '')}`);
        await view.getByRole('button', { name: 'Compare', exact: true }).click();
        await dialog.waitFor({ timeout: 10_000 });
        await expectNoViolations(ctx, `Compare open, ${theme}`);
        await dialog.getByRole('button', { name: 'Close', exact: true }).click();
        await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
      }
    },
  },
  {
    name: 'gallery keyboard only: generate, insert, star and delete without the mouse, progress announced',
    timeoutMs: 180_000,
    async run(ctx) {
      await ctx.openFile('doc.md');
      await ctx.runCommand('Flux: Open Gallery');
      const view = gallery(ctx);
      const prompt = view.locator('#prompt');
      await prompt.waitFor({ timeout: 30_000 });
      // Into the page by keyboard focus (no click), then typing and Ctrl+Enter.
      await prompt.focus();
      await ctx.page.keyboard.type('A lantern on a quiet harbour wall');
      await ctx.page.keyboard.press('Control+Enter');
      await answerInputBox(ctx, ctx.apiKey); // the key box is VS Code's own, typed into
      // The first paid image's price question: its primary button, Generate, has the focus; Enter answers it.
      await ctx.page.locator('.monaco-dialog-box', { hasText: 'Generate an image for' }).waitFor({ timeout: 20_000 });
      await ctx.page.keyboard.press('Enter');
      const card = view.locator('article.card.state-completed');
      await ctx.retry(async () => (await card.locator('img').count()) === 1, { timeoutMs: 60_000, what: 'the image' });
      const announced = (await view.locator('[aria-live="polite"].visually-hidden').textContent()) ?? '';
      assert.match(announced, /A lantern on a quiet harbour wall: (Image ready|Downloading|Generating)/, `progress announced: ${announced}`);
      await ctx.runCommand('Notifications: Clear All Notifications');

      // Insert: Tab to it, Enter.
      await view.locator('#prompt').focus();
      await tabTo(ctx, 'Insert into workspace', 'button[data-action="insert"]');
      const ring = await view.locator('button[data-action="insert"]').evaluate((b: any) => b.ownerDocument.defaultView.getComputedStyle(b).outlineStyle);
      assert.notStrictEqual(ring, 'none', 'a visible focus ring');
      await ctx.page.keyboard.press('Enter');
      const imagesDir = path.join(ctx.workspace, 'images');
      await ctx.retry(async () => fs.existsSync(imagesDir) && fs.readdirSync(imagesDir).some((f) => f.startsWith('a-lantern-on-a-quiet-harbour-wall')), {
        timeoutMs: 20_000,
        what: 'the image inserted into the workspace',
      });

      // Star: Tab to the toggle, Space (the gallery shares the editor group with doc.md: back to it first).
      await ctx.runCommand('Flux: Open Gallery');
      await view.locator('#prompt').focus();
      await tabTo(ctx, 'Star', 'button[data-action="star"]');
      await ctx.page.keyboard.press('Space');
      await ctx.retry(async () => (await card.getByRole('button', { name: 'Star', exact: true }).getAttribute('aria-pressed')) === 'true', { what: 'starred' });

      // Delete: the … menu by Shift+F10, End, Enter, then the confirmation by keyboard.
      await view.locator('#prompt').focus();
      await tabTo(ctx, 'Insert into workspace', 'button[data-action="insert"]');
      await ctx.page.keyboard.press('Shift+F10');
      await view.getByRole('menu', { name: 'More actions' }).waitFor({ timeout: 5_000 });
      await ctx.page.keyboard.press('End');
      assert.strictEqual(await view.locator('body').evaluate((body: any) => body.ownerDocument.activeElement?.textContent?.trim()), 'Delete');
      await ctx.page.keyboard.press('Enter');
      const confirm = ctx.page.locator('.monaco-dialog-box');
      await confirm.waitFor({ timeout: 15_000 });
      for (let i = 0; i < 5 && (await ctx.page.evaluate('(document.activeElement?.textContent ?? "").trim()')) !== 'Delete'; i++) {
        await ctx.page.keyboard.press('Tab');
      }
      await ctx.page.keyboard.press('Enter');
      await ctx.retry(async () => (await view.locator('article.card').count()) === 0, { timeoutMs: 15_000, what: 'the card deleted' });
    },
  },
];
