// The harness can open a second VS Code window: one code-server, one profile (user-data-dir, so one global
// storage), a second browser page on another copy of the workspace. Both windows must be up on their own
// folder, each with its own extension host running Flux Studio.
import * as assert from 'assert';
import * as path from 'path';
import type { Scenario, ScenarioContext } from './context';

/** Runs "Flux: Open Gallery" in the window and waits for the gallery's Generate button: the extension runs there. */
async function galleryIsUp(ctx: ScenarioContext): Promise<void> {
  await ctx.runCommand('Flux: Open Gallery');
  await ctx.retry(async () => (await ctx.webview().getByRole('button', { name: 'Generate', exact: true }).count()) === 1, {
    timeoutMs: 30_000,
    what: `the gallery in the window on ${path.basename(ctx.workspace)}`,
  });
}

export const scenario: Scenario = {
  name: 'windows: a second window of the same code-server and profile opens on its own folder',
  async run(first) {
    const second = await first.openSecondWindow();
    assert.notStrictEqual(second.page, first.page, 'a second page');
    assert.strictEqual(path.basename(second.workspace), 'workspace-2');
    assert.notStrictEqual(second.workspace, first.workspace);
    for (const ctx of [first, second]) {
      const folder = path.basename(ctx.workspace);
      await ctx.retry(async () => (await ctx.explorerItems()).some((l) => l.includes('doc.md')), { what: `doc.md in ${folder}` });
      const title = await ctx.page.title();
      ctx.log(`window on ${folder}: "${title}"`);
      assert.ok(title.split(/\s+/).includes(folder), `window title "${title}" names ${folder}`);
      await galleryIsUp(ctx);
    }
    assert.strictEqual(first.page.context(), second.page.context(), 'one browser profile for both windows');
    await second.screenshot('two-windows-second');
    await first.screenshot('two-windows-first');
  },
};
