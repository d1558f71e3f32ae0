import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GALLERY_STRINGS_EN } from '../../src/protocol/strings';
import type { Scenario } from './context';
import { gallery } from './steps';

/**
 * "Category: Title" of a contributed command as the palette shows it, read from the installed extension's
 * package.json, resolving %keys% via its package.nls.json.
 */
export function paletteTitle(extensionPath: string, command: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  const nlsFile = path.join(extensionPath, 'package.nls.json');
  const nls: Record<string, string> = fs.existsSync(nlsFile) ? JSON.parse(fs.readFileSync(nlsFile, 'utf8')) : {};
  const resolve = (s: string | undefined): string | undefined => {
    const m = /^%(.+)%$/.exec(s ?? '');
    if (!m) return s;
    const v = nls[m[1]];
    if (typeof v !== 'string') throw new Error(`package.nls.json has no string for "${m[1]}"`);
    return v;
  };
  const c = (pkg.contributes?.commands ?? []).find((x: { command: string }) => x.command === command);
  if (!c) throw new Error(`package.json does not contribute ${command}`);
  const title = resolve(c.title);
  const category = resolve(c.category);
  return category ? `${category}: ${title}` : String(title);
}

export const scenario: Scenario = {
  name: 'smoke: workbench loads, doc.md opens, "Flux: Open Gallery" runs',
  async run(ctx) {
    const items = await ctx.retry(async () => {
      const labels = await ctx.explorerItems();
      return labels.some((l) => l.includes('doc.md')) ? labels : undefined;
    }, { what: 'doc.md in the explorer' });
    ctx.log(`explorer: ${items.join(', ')}`);
    assert.ok(items.some((l) => l.includes('page.html')), 'page.html missing from the explorer');

    await ctx.openFile('doc.md');
    await ctx.page.locator('.monaco-editor .view-line', { hasText: 'A lighthouse stands on a rocky cliff' }).first().waitFor();

    const title = paletteTitle(ctx.extensionPath, 'fluxStudio.openGallery'); // "Flux: Open Gallery"
    const ran = await ctx.runCommand(title);
    ctx.log(`ran palette entry: ${ran}`);
    // The gallery panel opens as an editor tab and its webview renders: title, prompt bar, empty state.
    await ctx.page.locator('.tabs-container .tab', { hasText: GALLERY_STRINGS_EN.title }).first().waitFor({ timeout: 30_000 });
    const view = gallery(ctx);
    await ctx.retry(async () => (await view.getByRole('heading', { name: GALLERY_STRINGS_EN.title }).count()) === 1, { timeoutMs: 30_000, what: 'the gallery heading' });
    assert.strictEqual(await view.getByRole('button', { name: GALLERY_STRINGS_EN.generate, exact: true }).count(), 1, 'the Generate button');
    assert.ok(await view.getByRole('heading', { name: GALLERY_STRINGS_EN.emptyTitle }).isVisible(), 'the empty gallery says how to start');
    // No key yet: the empty gallery says so and offers Set API Key.
    await ctx.retry(async () => (await view.getByText(GALLERY_STRINGS_EN.keyMissing, { exact: true }).count()) === 1, { what: 'the missing key said' });
    assert.strictEqual(await view.getByRole('button', { name: GALLERY_STRINGS_EN.setApiKey, exact: true }).count(), 1, 'Set API Key in the empty gallery');
    // An example prompt fills the prompt bar.
    await view.getByRole('button', { name: GALLERY_STRINGS_EN.example1, exact: true }).click();
    assert.strictEqual(await view.locator('#prompt').inputValue(), GALLERY_STRINGS_EN.example1, 'the example fills the prompt bar');
    const notifications = await ctx.readNotifications();
    ctx.log(`notifications: ${JSON.stringify(notifications)}`);
    const bad = notifications.filter((n) => /not found|failed|error/i.test(n) && /flux|command/i.test(n));
    assert.deepStrictEqual(bad, [], `errors after running ${title}: ${bad.join(' | ')}`);

    const shot = await ctx.screenshot('smoke-workbench');
    ctx.log(`screenshot: ${shot}`);
  },
};
