// Trust, as a user meets it in a real VS Code: a server's error text and an account name holding a Markdown
// command link are shown as plain text (no live link in the notification), and a 1 GB image body and an
// endless JSON body stop at their caps with a message while the extension host stays small.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import type { Scenario, ScenarioContext } from './context';
import { answer, answerPriceQuestion, configureSimulator, generateFromPalette as generate } from './steps';

const LINK_TEXT = 'Open the Apiframe dashboard';
const HOSTILE_LINK = `[${LINK_TEXT}](command:workbench.action.openSettings "Open dashboard")`;
const HOSTILE_KEY = 'afk_hostile_account_name';
/** The bar for the extension host (shared by every extension of the window). */
const EXTENSION_HOST_RSS_LIMIT_MB = 300;

async function injectFault(ctx: ScenarioContext, rule: unknown): Promise<void> {
  await fetch(`${ctx.simulator.url}/__sim/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(rule) });
}

/**
 * The notification whose text contains `text`, read in the notification center (opened once, kept open:
 * toasts are not always rendered headless); fails if VS Code rendered a link in it.
 */
async function assertNotificationIsPlainText(ctx: ScenarioContext, text: string): Promise<string> {
  const message = ctx.page.locator('.notifications-center .notification-list-item-message', { hasText: text }).first();
  await ctx.retry(async () => {
    if (await message.isVisible()) return true;
    await ctx.readNotifications({ keepOpen: true });
    return message.isVisible();
  }, { timeoutMs: 30_000, intervalMs: 1000, what: `a notification containing "${text}"` });
  const links = await message.locator('a').evaluateAll((anchors) => anchors.map((a) => `${a.textContent} → ${a.getAttribute('href') ?? a.getAttribute('data-href')}`));
  const shown = (await message.innerText()).replace(/\u200b/g, '');
  assert.deepStrictEqual(links, [], `the notification renders links: ${shown}`);
  return shown;
}

/** Resident memory (MB) of this code-server's extension host, found from the port it listens on. */
function extensionHostRssMb(ctx: ScenarioContext): number {
  const port = new URL(ctx.workbenchUrl).port;
  const listening = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const serverPid = Number(/pid=(\d+)/.exec(listening)?.[1]);
  assert.ok(serverPid, `no process listens on port ${port}`);
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), rssKb: Number(m[3]), args: m[4] }));
  const tree = new Set([serverPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) if (!tree.has(p.pid) && tree.has(p.ppid)) (tree.add(p.pid), (grew = true));
  }
  const hosts = table.filter((p) => tree.has(p.pid) && p.args.includes('extensionHost'));
  assert.ok(hosts.length > 0, 'no extension host process found under the server');
  return Math.max(...hosts.map((p) => p.rssKb)) / 1024;
}

/** Runs `until` while sampling the extension host's memory; returns the peak. */
async function peakRssDuring(ctx: ScenarioContext, until: () => Promise<unknown>): Promise<number> {
  let peak = extensionHostRssMb(ctx);
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, extensionHostRssMb(ctx));
      await ctx.sleep(100);
    }
  })();
  try {
    await until();
  } finally {
    done = true;
    await sampler;
  }
  return peak;
}

export const scenario: Scenario = {
  name: 'trust: server texts with command links are plain text; oversized bodies stop at their caps, the extension host stays small',
  timeoutMs: 240_000,
  async run(ctx) {
    await configureSimulator(ctx, {
      timeScale: 0.05,
      apiKeys: { [ctx.apiKey]: { credits: 10_000 }, [HOSTILE_KEY]: { credits: 10_000, user: HOSTILE_LINK, team: HOSTILE_LINK } },
    });
    await ctx.openFile('doc.md');

    await ctx.runCommand('Flux: Set API Key');
    await answer(ctx, 'Set API Key', HOSTILE_KEY);
    const saved = await assertNotificationIsPlainText(ctx, 'API key saved for');
    // The simulator turns the user name into an e-mail address (lower case, dots); the markup stays visible.
    assert.match(saved, /\]\(command:workbench\.action\.opensettings/i, `the account name is shown as text: ${saved}`);
    await ctx.screenshot('trust-account-name');

    await injectFault(ctx, { route: 'generate', kind: 'failJob', errorText: `Content policy: this prompt was refused. ${HOSTILE_LINK}` });
    await generate(ctx, 'a prompt the server refuses');
    await answerPriceQuestion(ctx);
    const refused = await assertNotificationIsPlainText(ctx, 'Content policy');
    assert.ok(refused.includes(LINK_TEXT), refused);
    await ctx.screenshot('trust-job-error');

    const before = extensionHostRssMb(ctx);
    await injectFault(ctx, { route: 'image', kind: 'hugeBody', bytes: 2 ** 30 });
    const imagePeak = await peakRssDuring(ctx, async () => {
      await generate(ctx, 'a picture served as one gigabyte');
      await assertNotificationIsPlainText(ctx, 'more than 64 MB');
    });
    await injectFault(ctx, { route: 'job', kind: 'hugeBody', times: 100 });
    const jsonPeak = await peakRssDuring(ctx, async () => {
      await generate(ctx, 'a job whose status never ends');
      await assertNotificationIsPlainText(ctx, 'more than 1 MB');
    });
    ctx.log(`extension host resident memory: ${before.toFixed(0)} MB before; peak ${imagePeak.toFixed(0)} MB (1 GB image), ${jsonPeak.toFixed(0)} MB (endless JSON)`);
    assert.ok(imagePeak < EXTENSION_HOST_RSS_LIMIT_MB, `1 GB image: extension host peaked at ${imagePeak.toFixed(0)} MB`);
    assert.ok(jsonPeak < EXTENSION_HOST_RSS_LIMIT_MB, `endless JSON: extension host peaked at ${jsonPeak.toFixed(0)} MB`);
  },
};
