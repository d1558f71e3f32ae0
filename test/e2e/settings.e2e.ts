// A new user's first look at our settings: the Settings editor filtered to "fluxStudio" lists every
// contributed setting and shows no validation message under any of them (VS Code validates each default as
// the text box shows it; a floating-point `multipleOf` once flagged the default 0.5). In English and Korean.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_VERSIONS, type Scenario, type ScenarioContext, type VsCodeRole } from './context';

/** How many settings the installed extension contributes. */
function contributedSettings(ctx: ScenarioContext): number {
  const pkg = JSON.parse(fs.readFileSync(path.join(ctx.extensionPath, 'package.json'), 'utf8'));
  return Object.keys(pkg.contributes.configuration.properties).length;
}

function settingsEditor(locale: string | undefined, shot: string, versions?: VsCodeRole[]): Scenario {
  return {
    name: `settings editor${locale ? ` (${locale})` : ''}: "fluxStudio" lists every setting with no validation message`,
    locale,
    versions,
    async run(ctx) {
      // Tall enough that the Settings editor renders every row (its list is virtualized).
      await ctx.page.setViewportSize({ width: 1400, height: 2200 });
      await ctx.runCommand('Preferences: Open Settings (UI)');
      const editor = ctx.page.locator('.settings-editor');
      await editor.waitFor({ timeout: 30_000 });
      await ctx.page.locator('.settings-editor .settings-header .suggest-input-container').click();
      await ctx.page.keyboard.type('fluxStudio');
      const rows = editor.locator('.settings-tree-container .setting-item-contents');
      const expected = contributedSettings(ctx);
      const labels = await ctx.retry(
        async () => {
          const seen = await rows.evaluateAll((els) => els.map((e) => (e.querySelector('.setting-item-label')?.textContent ?? '').trim()));
          return seen.length === expected && !seen.includes('') ? seen : undefined;
        },
        { timeoutMs: 30_000, what: `${expected} Flux Studio settings in the Settings editor` },
      );
      ctx.log(`settings shown: ${labels.join(', ')}`);
      const messages = await editor.locator('.setting-item.invalid-input, .setting-item-validation-message').evaluateAll((els) =>
        els
          .map((e) => ({ setting: e.closest('.setting-item')?.querySelector('.setting-item-label')?.textContent ?? '?', text: (e.textContent ?? '').trim() }))
          .filter((m) => m.text),
      );
      await ctx.screenshot(shot);
      assert.deepStrictEqual(messages, [], 'validation messages in the Settings editor');
    },
  };
}

export const scenarios: Scenario[] = [settingsEditor(undefined, 'settings-editor', ALL_VERSIONS), settingsEditor('ko', 'settings-editor-ko')];
