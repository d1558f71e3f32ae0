// What a user sees before anything else: the installed extension's details page (Extensions view → Flux
// Studio) renders the packaged README with every screenshot loaded. The details page allows only https: and
// data: images, so the package embeds them (scripts/package-vsix.mjs). VS Code 1.139 also drops data: images
// from extension READMEs, which leaves only https — there is no public home to serve them from yet — so this
// runs on the oldest VS Code only.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario, ScenarioContext } from './context';

/** The installed extension's display name (package.json → package.nls.json). */
function displayName(ctx: ScenarioContext): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ctx.extensionPath, 'package.json'), 'utf8'));
  const nls = JSON.parse(fs.readFileSync(path.join(ctx.extensionPath, 'package.nls.json'), 'utf8'));
  return String(pkg.displayName).replace(/^%(.+)%$/, (_, key: string) => nls[key]);
}

/** How many screenshots the installed README shows. */
function readmeImages(ctx: ScenarioContext): number {
  const readme = fs.readFileSync(path.join(ctx.extensionPath, 'readme.md'), 'utf8');
  return new Set(readme.match(/!\[[^\]]*\]\(data:image\/[^)]+\)/g) ?? []).size;
}

export const scenario: Scenario = {
  name: 'extension details: the installed .vsix shows its README with every screenshot loaded',
  async run(ctx) {
    const name = displayName(ctx);
    const expected = readmeImages(ctx);
    assert.ok(expected > 0, 'the packaged README embeds screenshots');
    await ctx.runCommand('View: Show Extensions');
    const row = ctx.page.locator('.extensions-viewlet .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await ctx.page.locator('.extension-editor').waitFor({ timeout: 30_000 });
    const images = await ctx.retry(
      async () => {
        const all = await ctx.webview().locator('img').evaluateAll((els) =>
          els.map((img) => ({ alt: img.getAttribute('alt') ?? '', width: (img as unknown as { naturalWidth: number }).naturalWidth })),
        );
        return all.length === expected && all.every((img) => img.width > 0) ? all : undefined;
      },
      { timeoutMs: 30_000, what: `${expected} README screenshots loaded in the details page` },
    );
    ctx.log(`details page images: ${images.map((img) => `${img.width}px "${img.alt.slice(0, 40)}"`).join('; ')}`);
    await ctx.screenshot('extension-details');
  },
};
