// Steps shared by the gallery scenarios on favourites, compare, variants and paused jobs: generating from the
// prompt bar, the workbench's modal dialogs, and reading the gallery's count and cards.
import type { Locator } from 'playwright-core';
import type { ScenarioContext } from './context';
import { answerInputBox, gallery, giveKeyAndAgreeToPrice, simStats } from './steps';

/** Writes the prompt into the gallery's prompt bar and presses Generate; the first one is asked for the key and the price. */
export async function generateFromPromptBar(ctx: ScenarioContext, prompt: string, options: { first: boolean; variants?: boolean }): Promise<void> {
  const view = gallery(ctx);
  await view.locator('#prompt').fill(prompt);
  await view.locator('button[data-action="generate"]').click();
  if (!options.first) return;
  // Variants have their own cost confirmation (the caller answers it) instead of the one-image price question.
  if (options.variants) await answerInputBox(ctx, ctx.apiKey);
  else await giveKeyAndAgreeToPrice(ctx);
}

/** Generates each prompt from the prompt bar in turn, each once the simulator has the one before. */
export async function generateEach(ctx: ScenarioContext, prompts: readonly string[]): Promise<void> {
  for (const [i, prompt] of prompts.entries()) {
    await generateFromPromptBar(ctx, prompt, { first: i === 0 });
    await ctx.retry(async () => (await simStats(ctx)).jobsCreated === i + 1, { timeoutMs: 20_000, what: `job ${i + 1} accepted` });
  }
}

/** The card whose prompt (or, in a group, whose group's prompt) contains `text`. */
export function cardWithPrompt(ctx: ScenarioContext, text: string): Locator {
  const view = gallery(ctx);
  return view.locator('article.card', { has: view.locator('.prompt', { hasText: text }) });
}

/** Switches the colour theme as a user does: Preferences: Color Theme, its name, a click on it. */
export async function setColorTheme(ctx: ScenarioContext, theme: string): Promise<void> {
  await ctx.runCommand('Preferences: Color Theme');
  const input = ctx.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(theme);
  // Not "Default High Contrast Light" for "Default High Contrast".
  await ctx.page.locator('.quick-input-widget .monaco-list-row', { hasText: theme, hasNotText: `${theme} Light` }).first().click();
}

/** The … button of a card (the actions beyond its main one are in its menu). */
export function moreActions(card: Locator): Locator {
  return card.getByRole('button', { name: 'More actions', exact: true });
}

/** Runs a card action from its … menu, by the item's name, with the mouse. */
export async function chooseFromCardMenu(card: Locator, item: string): Promise<void> {
  await moreActions(card).click();
  await card.getByRole('menuitem', { name: item, exact: true }).click();
}

/** The gallery's "n of m" count. */
export async function shownCount(ctx: ScenarioContext): Promise<string> {
  return ((await gallery(ctx).locator('.count').textContent()) ?? '').trim();
}

/** Waits until the gallery says "`shown` of `total`". */
export async function waitForCount(ctx: ScenarioContext, shown: number, total: number, timeoutMs = 30_000): Promise<void> {
  const want = `${shown} of ${total}`;
  await ctx.retry(async () => (await shownCount(ctx)) === want, { timeoutMs, what: `the count "${want}"` });
}

/** Shows only the entries of `filter` (the Show select's value). */
export async function showOnly(ctx: ScenarioContext, filter: 'all' | 'completed' | 'running' | 'paused' | 'failed' | 'starred'): Promise<void> {
  await gallery(ctx).locator('select.filter').selectOption(filter);
}
