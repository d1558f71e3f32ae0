// Docs-ready insert by keyboard alone in a real VS Code: with fluxStudio.insert.altText and .fileName set to
// `ask` and the README's HTML <figure> template, Insert into workspace asks the alt text (prefilled with the
// short text), then the file name (prefilled with the prompt's name); the answers typed land in the page,
// inside the writer's <figure>, and parse5 — the HTML parser browsers follow — reads them back.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'parse5';
import type { Scenario, ScenarioContext } from './context';
import { gallery, generateFromPageHtml } from './steps';

const FIGURE = '<figure><img src="${path}" alt="${alt}" width="${width}" height="${height}"><figcaption>${alt}</figcaption></figure>';
const ALT = 'A red lighthouse & its "green" hill';
const FILE_NAME = 'lighthouse-figure';

/** Waits for the quick input titled `title`, returns its prefilled value, then types `text` and presses Enter. */
async function answerPrefilled(ctx: ScenarioContext, title: string, text: string): Promise<string> {
  const widget = ctx.page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 20_000 });
  const input = widget.locator('input.input');
  const prefilled = await input.inputValue();
  await ctx.page.keyboard.press('Control+A');
  await ctx.page.keyboard.type(text);
  await ctx.page.keyboard.press('Enter');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'hidden', timeout: 15_000 });
  return prefilled;
}

/** A node's element children by tag name, depth first (parse5's default tree adapter). */
function elements(node: any, tag: string, found: any[] = []): any[] {
  for (const child of node.childNodes ?? []) {
    if (child.tagName === tag) found.push(child);
    elements(child, tag, found);
  }
  return found;
}

const attribute = (element: any, name: string): string | undefined => element.attrs.find((a: any) => a.name === name)?.value;
const textOf = (node: any): string => (node.nodeName === '#text' ? node.value : (node.childNodes ?? []).map(textOf).join(''));

export const scenarios: Scenario[] = [
  {
    name: 'insert by keyboard: alt text and file name asked, the HTML <figure> template lands and parses',
    settings: {
      'fluxStudio.afterGenerate': 'gallery',
      'fluxStudio.insert.altText': 'ask',
      'fluxStudio.insert.fileName': 'ask',
      'fluxStudio.insert.templates': { html: FIGURE },
    },
    timeoutMs: 180_000,
    async run(ctx) {
      await generateFromPageHtml(ctx);
      await ctx.runCommand('Notifications: Clear All Notifications');
      const insert = gallery(ctx).locator('article.card.state-completed').first().getByRole('button', { name: 'Insert into workspace' });
      await insert.focus();
      await ctx.page.keyboard.press('Enter');

      const shortAlt = await answerPrefilled(ctx, 'Alt text for the image', ALT);
      assert.match(shortAlt, /^A red lighthouse on a green hill/, 'the alt box is prefilled with the short text');
      const suggestedName = await answerPrefilled(ctx, 'File name for the image', FILE_NAME);
      assert.match(suggestedName, /^a-red-lighthouse/, 'the name box is prefilled with the name made from the prompt');

      const image = path.join(ctx.workspace, 'images', `${FILE_NAME}.jpg`);
      await ctx.retry(async () => fs.existsSync(image), { timeoutMs: 20_000, what: `images/${FILE_NAME}.jpg` });
      await ctx.runCommand('File: Save');
      const html = path.join(ctx.workspace, 'page.html');
      await ctx.retry(async () => fs.readFileSync(html, 'utf8').includes('<figure>'), { timeoutMs: 15_000, what: 'the <figure> in page.html' });

      const [figure] = elements(parse(fs.readFileSync(html, 'utf8')), 'figure');
      const [img] = elements(figure, 'img');
      const [caption] = elements(figure, 'figcaption');
      assert.strictEqual(attribute(img, 'src'), `images/${FILE_NAME}.jpg`);
      assert.strictEqual(attribute(img, 'alt'), ALT, 'the typed alt text, escaped in the attribute and read back whole');
      assert.strictEqual(textOf(caption), ALT, 'the caption');
      assert.ok(Number(attribute(img, 'width')) <= 1600, `a document copy: width ${attribute(img, 'width')}`);
      ctx.log(`page.html: ${fs.readFileSync(html, 'utf8').match(/<figure>.*?<\/figure>/s)?.[0].slice(0, 200)}`);
    },
  },
];
