// Steps shared by the end-to-end scenarios: the gallery's frame, the quick input, the simulator.
import type { FrameLocator } from 'playwright-core';
import type { ScenarioContext } from './context';

/** The gallery's content frame (other webviews, e.g. the image preview, may be open too). */
export function gallery(ctx: ScenarioContext): FrameLocator {
  return ctx.page.locator('iframe.webview.ready[src*="extensionId=flux-studio"]').contentFrame().frameLocator('iframe#active-frame');
}

/** Types into the quick input (e.g. the password box that asks for the key) and presses Enter. */
export async function answerInputBox(ctx: ScenarioContext, text: string): Promise<void> {
  const input = ctx.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await input.press('Enter');
}

/** Waits for the workbench's modal dialog whose message contains `message`, and presses its button `button`. */
export async function answerDialog(ctx: ScenarioContext, message: string | RegExp, button: string): Promise<string> {
  const dialog = ctx.page.locator('.monaco-dialog-box', { hasText: message });
  await dialog.waitFor({ timeout: 20_000 });
  const text = (await dialog.innerText()).replace(/\s+/g, ' ');
  await dialog.locator('.monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  return text;
}

/** The question before the first paid image on this machine: states the price; answered "Don't ask again". */
export async function answerPriceQuestion(ctx: ScenarioContext, question: { message: string | RegExp; button: string } = PRICE_QUESTION_EN): Promise<string> {
  const text = await answerDialog(ctx, question.message, question.button);
  ctx.log(`price question: ${text}`);
  return text;
}

/** The first generation's two questions: the API key (asked inline), then the price of one image. */
export async function giveKeyAndAgreeToPrice(ctx: ScenarioContext): Promise<void> {
  await answerInputBox(ctx, ctx.apiKey);
  await answerPriceQuestion(ctx);
}

const PRICE_QUESTION_EN = { message: 'Generate an image for 6 credits?', button: "Don't ask again" };

export interface SimStats {
  jobsCreated: number;
  creditsCharged: number;
  jobs: Array<{ id: string; status: string; prompt: string }>;
}

export async function simStats(ctx: ScenarioContext): Promise<SimStats> {
  return (await fetch(`${ctx.simulator.url}/__sim/stats`)).json() as Promise<SimStats>;
}

export async function configureSimulator(ctx: ScenarioContext, options: unknown): Promise<void> {
  await fetch(`${ctx.simulator.url}/__sim/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(options) });
}

/** Waits until the gallery shows a completed card whose <img> really decoded; returns its size and alt. */
export async function completedImage(ctx: ScenarioContext, timeoutMs = 60_000): Promise<{ width: number; alt: string }> {
  return ctx.retry(
    async () => {
      const image = gallery(ctx).locator('article.card.state-completed img').first();
      if ((await image.count()) === 0) return undefined;
      const info = await image.evaluate((img: any) => ({ width: img.naturalWidth, alt: img.alt, complete: img.complete }));
      return info.complete && info.width > 0 ? info : undefined;
    },
    { timeoutMs, what: 'a completed image in the gallery' },
  );
}

/** Answers the quick input titled `title` (waiting for it to replace the palette that opened it). */
export async function answer(ctx: ScenarioContext, title: string, text?: string): Promise<void> {
  const widget = ctx.page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 15_000 });
  if (text !== undefined) {
    const input = widget.locator('input.input');
    await ctx.retry(async () => (await input.fill(text), (await input.inputValue()) === text), { timeoutMs: 5000, what: `"${title}" to take the text` });
  }
  await ctx.page.keyboard.press('Enter');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'hidden', timeout: 15_000 });
}

/** "Flux: Generate Image…" with `prompt`, the default aspect ratio and the default count (one image). */
export async function generateFromPalette(ctx: ScenarioContext, prompt: string): Promise<void> {
  await ctx.runCommand('Flux: Generate Image…');
  await answer(ctx, 'describe the image', prompt);
  await answer(ctx, 'aspect ratio');
  await answer(ctx, 'how many images'); // the default: one
  ctx.log(`generating "${prompt}"`);
}

/**
 * Generates from the paragraph of page.html (giving the key and agreeing to the price when asked) and waits for
 * the decoded image in the gallery (the scenario sets fluxStudio.afterGenerate to `gallery`).
 */
export async function generateFromPageHtml(ctx: ScenarioContext): Promise<void> {
  const paragraph = 'A red lighthouse on a green hill';
  await ctx.openFile('page.html');
  await ctx.selectLineWithText(paragraph);
  await ctx.rightClickSelection(paragraph, 'Generate Image from Selection');
  await giveKeyAndAgreeToPrice(ctx);
  await completedImage(ctx);
}

/** Sets the key, then sends `message` from the Chat view's input (the scenario needs `chatHost`). */
export async function sendChatWithKey(ctx: ScenarioContext, message: string): Promise<void> {
  await ctx.runCommand('Flux: Set API Key');
  await answer(ctx, 'Set API Key', ctx.apiKey);
  await ctx.page.locator('.statusbar-item', { hasText: /Flux · \d+ credits/ }).waitFor({ timeout: 20_000 }); // the key is saved
  await ctx.runCommand('Notifications: Clear All Notifications');
  await ctx.runCommand('Chat: Focus on Chat View');
  const input = ctx.page.locator('.interactive-session').getByRole('textbox', { name: /chat input/i });
  await input.focus(); // Monaco's text area sits under its rendered lines: a click lands on those
  await ctx.page.keyboard.type(message);
  await ctx.page.keyboard.press('Enter');
}
