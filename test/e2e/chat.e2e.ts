// @flux in VS Code's own Chat view, as a user types it: `@flux /generate <prompt>` → the tool's cost
// confirmation inline in the chat → Continue → one job on the simulator → the answer shows the picture and
// names the saved file → the follow-up button Another asks again and sends the same prompt.
// No Copilot here: the test-only chat host stub (Scenario.chatHost) gives VS Code the default participant
// and language model it needs before it sends any request; @flux itself asks no model.
import * as assert from 'assert';
import { existsSync } from 'fs';
import * as path from 'path';
import type { Scenario } from './context';
import { sendChatWithKey, simStats } from './steps';

const PROMPT = 'A lighthouse on a cliff at dusk';

export const scenario: Scenario = {
  name: 'chat: @flux /generate in the Chat view, cost confirmed inline, the answer names the saved file',
  chatHost: true,
  timeoutMs: 120_000,
  async run(ctx) {
    const { page } = ctx;
    await sendChatWithKey(ctx, `@flux /generate ${PROMPT}`);
    const chat = page.locator('.interactive-session');

    // prepareInvocation's confirmation, inline: the cost and the prompt, before anything is sent.
    const continueButton = chat.getByRole('button', { name: /^Continue\b/ }); // "Continue (Ctrl+Enter)"
    await continueButton.waitFor({ timeout: 20_000 });
    const response = chat.locator('.interactive-response').last();
    const text = async () => (await response.innerText()).replace(/\s+/g, ' '); // the chat renders some spaces as &nbsp;
    const question = await text();
    assert.match(question, /Generate an image for 6 credits\?/);
    assert.ok(question.includes(`Prompt (${PROMPT.length} characters): ${PROMPT}`), `the whole prompt in the confirmation: ${question}`);
    assert.strictEqual((await simStats(ctx)).jobsCreated, 0, 'nothing sent before Continue');
    await ctx.screenshot('chat-flux-confirm');
    await continueButton.click();

    const saved = await ctx.retry(async () => /Saved (\S+)\. /.exec(`${await text()} `)?.[1], { timeoutMs: 60_000, what: '"Saved <file>." in the answer' });
    ctx.log(`answer: ${await text()}`);
    assert.ok(existsSync(path.join(ctx.workspace, saved)), `${saved} is in the workspace`);
    const stats = await simStats(ctx);
    assert.strictEqual(stats.jobsCreated, 1, 'one job');
    assert.strictEqual(stats.jobs[0].prompt, PROMPT);
    await ctx.runCommand('Notifications: Clear All Notifications'); // the "Image ready" toast covers the chat input
    // The picture inline, the saved file as an anchor, and the follow-up buttons.
    await response.locator('img[src^="data:image/jpeg;base64,"]').waitFor({ timeout: 20_000 });
    await response.locator('a', { hasText: saved.split('/').pop()! }).first().waitFor({ timeout: 10_000 });
    const another = chat.getByText('Another', { exact: true }).last();
    await another.waitFor({ timeout: 10_000 });
    await ctx.screenshot('chat-flux');

    // A follow-up: Another runs the same prompt again with a new seed, through the same confirmation.
    await another.click();
    await continueButton.waitFor({ timeout: 20_000 });
    assert.strictEqual((await simStats(ctx)).jobsCreated, 1, 'nothing sent before Continue');
    await continueButton.click();
    const again = await ctx.retry(async () => {
      const current = await simStats(ctx);
      return current.jobsCreated === 2 ? current : undefined;
    }, { timeoutMs: 30_000, what: 'the second job' });
    assert.strictEqual(again.jobs[1].prompt, PROMPT, 'Another: the same prompt');
  },
};
