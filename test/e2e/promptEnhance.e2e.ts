// Better prompts, never behind the user's back (fluxStudio.prompt.enhance). The test-only chat host stub
// provides the language model: it answers the rewrite instruction predictably and records every request in
// lm-calls.jsonl, so the scenarios can prove what reached a model — the Korean selection with `ask`, nothing
// with `off`.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario, ScenarioContext } from './context';
import { answerInputBox, answerPriceQuestion, gallery, simStats, type SimStats } from './steps';

const MENU_LABEL = 'Generate Image from Selection';
const KOREAN_LINE = '바닷가 절벽 위의 빨간 등대 두 개와 갈매기 세 마리';
const ENGLISH_LINE = 'A lighthouse stands on a rocky cliff at dusk';
const REWRITE = `Detailed: ${KOREAN_LINE}, warm evening light, wide shot`;

/** The requests the stub model received: which extension asked, and the text. */
function lmCalls(ctx: ScenarioContext): Array<{ extensionId: string; text: string }> {
  const file = path.join(ctx.userDataDir, 'User', 'globalStorage', 'flux-studio-test.chat-host-stub', 'lm-calls.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** The stored gallery entries (global storage), to read what an entry records. */
function galleryEntries(ctx: ScenarioContext): Array<{ options: { prompt: string }; originalPrompt?: string }> {
  const dir = path.join(ctx.userDataDir, 'User', 'globalStorage', 'flux-studio.flux-studio', 'gallery', 'entries');
  return fs.readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
}

/** The Markdown image link the one-step flow put into doc.md (saved first, so the file shows it). */
async function insertedLink(ctx: ScenarioContext): Promise<{ alt: string; path: string }> {
  return ctx.retry(
    async () => {
      await ctx.runCommand('File: Save');
      const link = /!\[([^\]]*)\]\((images\/[^)]+)\)/.exec(fs.readFileSync(path.join(ctx.workspace, 'doc.md'), 'utf8'));
      return link ? { alt: link[1], path: link[2] } : undefined;
    },
    { timeoutMs: 60_000, what: 'the image link in doc.md' },
  );
}

/** The simulator's stats once it has received a job. */
function jobAtSimulator(ctx: ScenarioContext): Promise<SimStats> {
  return ctx.retry(async () => {
    const current = await simStats(ctx);
    return current.jobsCreated > 0 ? current : undefined;
  }, { timeoutMs: 30_000, what: 'the job at the simulator' });
}

/** The rows of the open quick pick, as text. */
async function quickPickRows(ctx: ScenarioContext): Promise<string[]> {
  return (await ctx.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

export const scenarios: Scenario[] = [
  {
    name: 'prompt enhancement (ask): a Korean selection is rewritten, both prompts are shown, the chosen one is sent',
    chatHost: true,
    settings: { 'fluxStudio.prompt.enhance': 'ask' },
    timeoutMs: 150_000,
    async run(ctx) {
      fs.appendFileSync(path.join(ctx.workspace, 'doc.md'), `\n${KOREAN_LINE}\n`); // this window's copy, not yet opened
      await ctx.openFile('doc.md');
      await ctx.selectLineWithText(KOREAN_LINE);
      await ctx.rightClickSelection(KOREAN_LINE, MENU_LABEL);

      const title = ctx.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Flux: which prompt?' });
      await title.waitFor({ timeout: 30_000 });
      const rows = await ctx.retry(async () => {
        const current = await quickPickRows(ctx);
        return current.length === 3 ? current : undefined;
      }, { what: 'the three choices' });
      ctx.log(`choices: ${JSON.stringify(rows)}`);
      assert.ok(rows[0].startsWith('Improved prompt') && rows[0].includes(REWRITE), `the rewrite first: ${rows[0]}`);
      assert.ok(rows[1].startsWith('Your prompt') && rows[1].includes(KOREAN_LINE), `the original beside it: ${rows[1]}`);
      assert.ok(rows[2].startsWith('Edit…'), `Edit… last: ${rows[2]}`);
      assert.strictEqual((await simStats(ctx)).jobsCreated, 0, 'nothing sent while choosing');
      const calls = lmCalls(ctx);
      assert.strictEqual(calls.length, 1, `one request to the model: ${JSON.stringify(calls)}`);
      assert.strictEqual(calls[0].extensionId, 'flux-studio.flux-studio');
      assert.ok(calls[0].text.includes(KOREAN_LINE), 'the model got the selection');
      await ctx.screenshot('prompt-enhance-ask');

      await ctx.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().click();
      await answerInputBox(ctx, ctx.apiKey);
      await answerPriceQuestion(ctx);
      const stats = await jobAtSimulator(ctx);
      assert.strictEqual(stats.jobsCreated, 1, 'one job');
      assert.strictEqual(stats.jobs[0].prompt, REWRITE, 'the simulator received the chosen prompt');
      // The image lands after the line; with a model allowed, the model writes its alt text (the stub's answer).
      const link = await insertedLink(ctx);
      assert.strictEqual(link.alt, 'Two red lighthouses on a sea cliff', `the model's alt text: ${JSON.stringify(link)}`);
      const altCalls = lmCalls(ctx).filter((call) => call.text.includes('<prompt>'));
      assert.ok(altCalls.length === 1 && altCalls[0].text.includes(REWRITE), `one alt text request, about the prompt sent: ${JSON.stringify(altCalls)}`);
    },
  },
  {
    name: 'prompt enhancement (off, the default): no prompt text reaches the language model',
    chatHost: true,
    timeoutMs: 120_000,
    async run(ctx) {
      await ctx.openFile('doc.md');
      await ctx.selectLineWithText(ENGLISH_LINE);
      await ctx.rightClickSelection(ENGLISH_LINE, MENU_LABEL);
      await answerInputBox(ctx, ctx.apiKey);
      await answerPriceQuestion(ctx);
      const stats = await jobAtSimulator(ctx);
      assert.ok(stats.jobs[0].prompt.startsWith(ENGLISH_LINE), `sent as written: ${stats.jobs[0].prompt}`);
      // Also not for the alt text of the image that lands: the rule writes it.
      const link = await insertedLink(ctx);
      assert.ok(ENGLISH_LINE.startsWith(link.alt), `the rule's alt text: ${JSON.stringify(link)}`);
      assert.deepStrictEqual(lmCalls(ctx), [], 'the model was never called');
    },
  },
  {
    name: 'prompt enhancement (gallery): Enhance prompt replaces the prompt bar text with the rewrite; Generate sends it and keeps the original',
    chatHost: true,
    settings: { 'fluxStudio.prompt.enhance': 'ask' },
    timeoutMs: 150_000,
    async run(ctx) {
      await ctx.runCommand('Flux: Open Gallery');
      const bar = gallery(ctx);
      const prompt = bar.locator('#prompt');
      await prompt.fill(KOREAN_LINE);
      const enhance = bar.getByRole('button', { name: 'Enhance prompt' });
      await enhance.click();
      await ctx.retry(async () => (await prompt.inputValue()) === REWRITE, { timeoutMs: 30_000, what: 'the rewrite in the prompt bar' });
      assert.strictEqual((await simStats(ctx)).jobsCreated, 0, 'nothing sent by enhancing');
      await ctx.screenshot('prompt-enhance-gallery');
      // One edit of the text area: Undo brings the user's text back, Redo the rewrite (VS Code passes both
      // keys through the workbench to the page, so they land a moment later).
      await prompt.press('Control+z');
      await ctx.retry(async () => (await prompt.inputValue()) === KOREAN_LINE, { timeoutMs: 5_000, what: 'Undo to restore the text' });
      await prompt.press('Control+Shift+z');
      await ctx.retry(async () => (await prompt.inputValue()) === REWRITE, { timeoutMs: 5_000, what: 'Redo to bring the rewrite back' });
      await bar.getByRole('button', { name: 'Generate' }).click();
      await answerInputBox(ctx, ctx.apiKey);
      await answerPriceQuestion(ctx);
      const stats = await jobAtSimulator(ctx);
      assert.strictEqual(stats.jobs[0].prompt, REWRITE, 'the rewrite was sent');
      const [entry] = galleryEntries(ctx);
      assert.deepStrictEqual([entry.options.prompt, entry.originalPrompt], [REWRITE, KOREAN_LINE], 'the entry keeps both prompts');
      const card = bar.locator('article.card').first();
      await ctx.retry(async () => ((await card.textContent()) ?? '').includes(`Your text${KOREAN_LINE}`), { timeoutMs: 30_000, what: 'the card details with the original text' });
    },
  },
];
