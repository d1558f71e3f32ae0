// Gallery images into an HTML file the two ways a writer expects, in a real VS Code: drag the picture
// out of the gallery webview onto a line of page.html, and "Copy Image" from the picture's context
// menu, then Ctrl+V in the editor. Each writes images/<file> and an <img> snippet.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Scenario, ScenarioContext } from './context';
import { answerInputBox, gallery } from './steps';

const PARAGRAPH = 'A red lighthouse on a green hill';

/** Generates from page.html's paragraph and waits for the picture in the gallery. */
async function generateInHtml(ctx: ScenarioContext): Promise<void> {
  await ctx.openFile('page.html');
  await ctx.selectLineWithText(PARAGRAPH);
  await ctx.rightClickSelection(PARAGRAPH, 'Generate Image from Selection');
  await answerInputBox(ctx, ctx.apiKey);
  await ctx.retry(async () => (await gallery(ctx).locator('article.card.state-completed .thumb img').count()) > 0, {
    timeoutMs: 60_000,
    what: 'a completed card with its picture',
  });
}

/** The text of the page.html editor (the model, through the editor's DOM lines in order). */
async function editorText(ctx: ScenarioContext): Promise<string> {
  return ctx.page.locator('.editor-instance .monaco-editor .view-lines').first().evaluate((root) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- DOM types are not in the Node tsconfig
    [...(root as any).querySelectorAll('.view-line')]
      .sort((a: any, b: any) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line: any) => String(line.textContent ?? ''))
      .join('\n')
      .replace(/\u00a0/g, ' '),
  );
}

function savedImages(ctx: ScenarioContext): string[] {
  const dir = path.join(ctx.workspace, 'images');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.(jpg|png|webp)$/.test(f)) : [];
}

export const scenarios: Scenario[] = [
  {
    name: 'editor: drag a picture from the gallery into an HTML file',
    timeoutMs: 150_000,
    async run(ctx) {
      await generateInHtml(ctx);
      // A real browser drag: the webview's dragstart sets the data, Chromium carries it to the editor.
      const picture = await gallery(ctx).locator('article.card.state-completed .thumb img').first().boundingBox();
      const line = await ctx.page.locator('.editor-instance .monaco-editor .view-line', { hasText: '<h1>Lighthouse</h1>' }).first().boundingBox();
      assert.ok(picture && line, 'the picture and the target line are on screen');
      const from = { x: picture.x + picture.width / 2, y: picture.y + picture.height / 2 };
      // Just after "Lighthouse" (the line box is as wide as the longest line, partly under the gallery).
      const to = { x: line.x + 135, y: line.y + line.height / 2 };
      await ctx.page.mouse.move(from.x, from.y);
      await ctx.page.mouse.down();
      for (let step = 1; step <= 10; step++) await ctx.page.mouse.move(from.x + ((to.x - from.x) * step) / 10, from.y + ((to.y - from.y) * step) / 10);
      await ctx.page.mouse.up();
      const saved = await ctx.retry(async () => savedImages(ctx)[0], { timeoutMs: 20_000, what: 'the image saved into images/' });
      await ctx.retry(async () => (await editorText(ctx)).includes(`<img src="images/${saved}"`), { timeoutMs: 15_000, what: 'the <img> snippet in page.html' });
      await ctx.screenshot('dropped-html');
    },
  },
];
