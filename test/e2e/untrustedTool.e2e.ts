// The agent tool in Restricted Mode (an untrusted workspace, as a freshly cloned repository is): @flux runs
// the tool, which refuses with its reason before any cost question or job — a repository's text cannot steer
// an agent into paying for images.
import * as assert from 'assert';
import type { Scenario } from './context';
import { sendChatWithKey, simStats } from './steps';

export const scenario: Scenario = {
  name: 'untrusted tool: in Restricted Mode the image tool refuses with its reason, nothing is asked or sent',
  chatHost: true,
  settings: {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.emptyWindow': false,
    'security.workspace.trust.banner': 'never', // it takes the focus from the Command Palette
  },
  timeoutMs: 120_000,
  async run(ctx) {
    // Really untrusted: VS Code shows its Restricted Mode indicator.
    await ctx.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 20_000 });
    await sendChatWithKey(ctx, '@flux /generate A lighthouse a README asked for');
    const response = ctx.page.locator('.interactive-session .interactive-response').last();
    const text = async () => (await response.innerText()).replace(/\s+/g, ' ');
    await ctx.retry(async () => /untrusted workspace/.test(await text()), { timeoutMs: 30_000, what: 'the refusal in the answer' });
    ctx.log(`answer: ${await text()}`);
    assert.match(await text(), /trust the workspace/);
    assert.strictEqual(await ctx.page.getByRole('button', { name: /^Continue\b/ }).count(), 0, 'no cost question');
    assert.strictEqual((await simStats(ctx)).jobsCreated, 0, 'nothing sent');
    await ctx.screenshot('untrusted-tool');
  },
};
