// A new user's first look at our settings: the Settings editor filtered to "fluxStudio" lists every
// contributed setting and shows no validation message under any of them (VS Code validates each default as
// the text box shows it; a floating-point `multipleOf` once flagged the default 0.5). In English and Korean.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_VERSIONS, type Scenario, type ScenarioContext, type VsCodeRole } from './context';
import { configurationProperties } from '../support/manifest';

/** How many settings the installed extension contributes. */
function contributedSettings(ctx: ScenarioContext): number {
  const pkg = JSON.parse(fs.readFileSync(path.join(ctx.extensionPath, 'package.json'), 'utf8'));
  return Object.keys(configurationProperties(pkg)).length;
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
      // The list is virtualized (and on VS Code 1.139 the Settings editor is a dialog of fixed height):
      // read the rows shown, scroll, until every setting was seen.
      const tree = editor.locator('.settings-tree-container');
      const expected = contributedSettings(ctx);
      const seen = new Map<string, string>(); // setting label → its validation message ('' when none)
      await ctx.retry(
        async () => {
          const shown = await tree.locator('.setting-item-contents').evaluateAll((els) =>
            els.map((e) => ({
              category: (e.querySelector('.setting-item-category')?.textContent ?? '').trim(),
              label: (e.querySelector('.setting-item-label')?.textContent ?? '').trim(),
              message:
                (e.querySelector('.setting-item-validation-message')?.textContent ?? '').trim() ||
                (e.matches('.invalid-input') || e.querySelector('.invalid-input') ? 'marked invalid' : ''),
            })),
          );
          for (const row of shown) if (row.category.startsWith('Flux Studio') && row.label) seen.set(row.label, row.message);
          if (seen.size >= expected) return true;
          await tree.hover();
          await ctx.page.mouse.wheel(0, 250);
          return false;
        },
        { timeoutMs: 30_000, intervalMs: 300, what: `${expected} Flux Studio settings in the Settings editor` },
      );
      ctx.log(`settings shown: ${[...seen.keys()].join(', ')}`);
      const messages = [...seen].filter(([, message]) => message).map(([setting, text]) => ({ setting, text }));
      await ctx.screenshot(shot);
      assert.deepStrictEqual(messages, [], 'validation messages in the Settings editor');
    },
  };
}

export const scenarios: Scenario[] = [settingsEditor(undefined, 'settings-editor', ALL_VERSIONS), settingsEditor('ko', 'settings-editor-ko')];
