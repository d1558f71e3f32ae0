// The extension for a Korean user: with VS Code's display language set to Korean, "Flux: 갤러리 열기" is in
// the palette under its Korean title, the gallery shows Korean text and none of our English strings, a
// generation from the prompt bar gives a card whose buttons are Korean, and the "image ready" message (an
// extension-host string) is Korean too, and so is the stored reason of a failed job on its card.
// Screenshot: korean-gallery.png (used by the README).
//
// Needs the runner to start code-server in Korean (scenario field `locale: 'ko'`, see LOCALE_HELP) and a
// font with Hangul for legible screenshots (Debian: fonts-nanum).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GALLERY_STRINGS_EN } from '../../src/protocol/strings';
import type { Scenario, ScenarioContext } from './context';
import { answerPriceQuestion } from './steps';

const LOCALE = 'ko';
const PROMPT = '해 질 녘 바위 절벽 위에 서 있는 등대';
const REFUSED_PROMPT = '거절될 프롬프트';

const LOCALE_HELP =
  `VS Code's display language is not "${LOCALE}". The e2e runner must honour Scenario.locale: write ` +
  `{"locale": "${LOCALE}"} to <user-data-dir>/User/argv.json (or pass --locale ${LOCALE}) AND install a Korean ` +
  `language pack into the extensions dir — without one, code-server 4.100 keeps the workbench (and so ` +
  `vscode.env.language) in English. Offline, a stub pack is enough: an extension contributing ` +
  `localizations [{languageId: "${LOCALE}", translations: [{id: "vscode", path: "./main.i18n.json"}]}] with ` +
  `main.i18n.json = {"contents": {}}.`;

/** A JSON file of the installed extension. */
function readJson(extensionPath: string, file: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(extensionPath, file), 'utf8'));
}

/** "Flux: 갤러리 열기": the palette title of a command in `locale`, from the installed package.nls.<locale>.json. */
export function localizedPaletteTitle(extensionPath: string, command: string, locale: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  const nls = { ...readJson(extensionPath, 'package.nls.json'), ...readJson(extensionPath, `package.nls.${locale}.json`) };
  const c = (pkg.contributes?.commands ?? []).find((x: { command: string }) => x.command === command);
  if (!c) throw new Error(`package.json does not contribute ${command}`);
  const resolve = (s: string) => s.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? s);
  return `${resolve(c.category)}: ${resolve(c.title)}`;
}

/** Anchored pattern of an English template ("Credits spent: {credits}" matches "Credits spent: 6"). */
function templatePattern(template: string): RegExp {
  const parts = template.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+?')}$`);
}

/** Every text the gallery shows: text nodes, placeholders, accessible names, tooltips, option labels. */
async function galleryTexts(ctx: ScenarioContext): Promise<string[]> {
  return ctx.webview().locator('body').evaluate((body) => {
    const out = new Set<string>();
    const walker = body.ownerDocument.createTreeWalker(body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').trim();
      if (text) out.add(text);
    }
    for (const el of Array.from(body.querySelectorAll('*')) as Array<{ getAttribute(name: string): string | null }>) {
      for (const attr of ['placeholder', 'aria-label', 'title', 'alt']) {
        const value = el.getAttribute(attr)?.trim();
        if (value) out.add(value);
      }
    }
    return [...out];
  });
}

/** Our English strings (those whose Korean differs) still on screen. */
function englishLeftovers(texts: readonly string[], ko: Record<string, string>, prompt: string): string[] {
  const patterns = Object.values(GALLERY_STRINGS_EN)
    .filter((en) => ko[en] && ko[en] !== en)
    .map((en) => ({ en, re: templatePattern(en) }));
  return texts
    .filter((text) => !text.includes(prompt))
    .flatMap((text) => patterns.filter((p) => p.re.test(text)).map((p) => `"${text}" (English "${p.en}")`));
}

export const scenario: Scenario & { locale: string } = {
  name: 'korean: Korean display language, "Flux: 갤러리 열기" from the palette, the gallery and a card in Korean',
  locale: LOCALE,
  timeoutMs: 180_000,
  async run(ctx) {
    const language = await ctx.page.evaluate(
      () => ((globalThis as { _VSCODE_NLS_LANGUAGE?: string })._VSCODE_NLS_LANGUAGE ?? 'en') as string,
    );
    ctx.log(`workbench language: ${language}`);
    assert.ok(language.toLowerCase().startsWith(LOCALE), LOCALE_HELP);

    const ko = readJson(ctx.extensionPath, `l10n/bundle.l10n.${LOCALE}.json`);
    const t = (en: string) => {
      const value = ko[en];
      if (!value) throw new Error(`l10n/bundle.l10n.${LOCALE}.json has no "${en}"`);
      return value;
    };

    const title = localizedPaletteTitle(ctx.extensionPath, 'fluxStudio.openGallery', LOCALE);
    assert.strictEqual(title, 'Flux: 갤러리 열기');
    const ran = await ctx.runCommand(title);
    ctx.log(`ran palette entry: ${ran}`);

    // The empty gallery, in Korean.
    const view = ctx.webview();
    await ctx.retry(async () => (await view.getByRole('button', { name: t(GALLERY_STRINGS_EN.generate), exact: true }).count()) === 1, {
      timeoutMs: 30_000,
      what: `the gallery's "${t(GALLERY_STRINGS_EN.generate)}" button`,
    });
    const empty = await galleryTexts(ctx);
    for (const key of ['title', 'importFromAccount', 'emptyTitle', 'filterAll', 'aspectRatio'] as const) {
      assert.ok(empty.includes(t(GALLERY_STRINGS_EN[key])), `the gallery shows "${t(GALLERY_STRINGS_EN[key])}" (${key})`);
    }
    assert.ok(empty.includes(t(GALLERY_STRINGS_EN.promptPlaceholder)), 'Korean prompt placeholder');
    assert.deepStrictEqual(englishLeftovers(empty, ko, PROMPT), [], 'English strings left in the empty gallery');
    await ctx.screenshot('korean-gallery-empty');

    // A generation from the prompt bar; the key is asked for (in Korean) first.
    await view.locator('#prompt').fill(PROMPT);
    await view.getByRole('button', { name: t(GALLERY_STRINGS_EN.generate), exact: true }).click();
    const keyBox = ctx.page.locator('.quick-input-widget');
    await keyBox.locator('input.input').waitFor({ state: 'visible', timeout: 15_000 });
    const keyPrompt = (await keyBox.textContent()) ?? '';
    assert.ok(keyPrompt.includes(t("Flux Studio needs your Apiframe API key to generate images. It is kept in VS Code's secret storage.")), `Korean key prompt: ${keyPrompt}`);
    await ctx.screenshot('korean-key-box');
    await keyBox.locator('input.input').fill(ctx.apiKey);
    await keyBox.locator('input.input').press('Enter');
    // The price of one image, asked before the first one is paid for: in Korean, with "Don't ask again".
    const priceQuestion = await answerPriceQuestion(ctx, {
      message: t('Generate an image for {0}?').replace('{0}', t('{0} credits').replace('{0}', '6')),
      button: t("Don't ask again"),
    });
    assert.ok(priceQuestion.includes(t('Apiframe charges {0} per Flux 1.1 Pro Ultra image (its published price list). Failed images are refunded.').replace('{0}', t('{0} credits').replace('{0}', '6'))), `Korean price: ${priceQuestion}`);

    const card = view.locator('article.card.state-completed').first();
    await ctx.retry(async () => (await card.count()) > 0 && (await card.locator('img').count()) > 0, {
      timeoutMs: 60_000,
      what: 'a completed card',
    });
    for (const key of ['insert', 'moreActions', 'star', 'selectToCompare'] as const) {
      const name = t(GALLERY_STRINGS_EN[key]);
      assert.strictEqual(await card.getByRole('button', { name, exact: true }).count(), 1, `card button "${name}" (${key})`);
    }
    await card.getByRole('button', { name: t(GALLERY_STRINGS_EN.moreActions), exact: true }).click();
    const menuItems = (await card.getByRole('menuitem').allInnerTexts()).map((s) => s.trim());
    const expectedItems = (['saveAs', 'copyLink', 'openFullSize', 'useAsReference', 'rerun', 'vary', 'delete'] as const).map((key) => t(GALLERY_STRINGS_EN[key]));
    assert.deepStrictEqual(menuItems, expectedItems, 'the … menu in Korean');
    assert.deepStrictEqual(englishLeftovers(await galleryTexts(ctx), ko, PROMPT), [], 'English strings left in the … menu');
    await ctx.screenshot('korean-gallery-menu');
    await ctx.page.keyboard.press('Escape');
    const insertLabel = t(GALLERY_STRINGS_EN.insert);
    assert.strictEqual((await card.getByRole('button', { name: insertLabel, exact: true }).innerText()).trim(), insertLabel, 'the Insert button is labelled in Korean');
    const withCard = await galleryTexts(ctx);
    assert.ok(withCard.some((text) => text.startsWith(t(GALLERY_STRINGS_EN.creditsSpent).split('{')[0])), 'Korean credits header');
    assert.deepStrictEqual(englishLeftovers(withCard, ko, PROMPT), [], 'English strings left in the gallery with a card');
    await ctx.screenshot('korean-gallery');

    // A paused job (its image link refused): the reason put into words in Korean, with Retry and Forget.
    const pausedPrompt = '일시 중지될 프롬프트';
    await ctx.simulator.injectFault({ route: 'image', kind: 'redirectToHttp', times: 1 });
    await view.locator('#prompt').fill(pausedPrompt);
    await view.getByRole('button', { name: t(GALLERY_STRINGS_EN.generate), exact: true }).click();
    const paused = view.locator('article.card.state-paused', { hasText: pausedPrompt });
    await ctx.retry(async () => (await paused.count()) > 0, { timeoutMs: 60_000, what: 'the paused card' });
    const reason = t('Apiframe sent an image link Flux Studio does not open (not https, or too many redirects). The job is kept: retry later. Details are in the "Flux Studio" output.');
    const pausedStatus = (await paused.locator('.status').innerText()).trim();
    assert.strictEqual(pausedStatus, t(GALLERY_STRINGS_EN.statePaused).replace('{reason}', reason), 'the paused reason in Korean');
    for (const key of ['retry', 'moreActions', 'star'] as const) {
      assert.strictEqual(await paused.getByRole('button', { name: t(GALLERY_STRINGS_EN[key]), exact: true }).count(), 1, `paused card button "${t(GALLERY_STRINGS_EN[key])}" (${key})`);
    }
    assert.deepStrictEqual(englishLeftovers(await galleryTexts(ctx), ko, PROMPT), [], 'English strings left in the gallery with a paused card');

    // A string from the extension host: the "image ready" notification.
    const ready = t('Image ready: “{0}”').split('“')[0].trim();
    const notifications = await ctx.retry(
      async () => {
        const texts = await ctx.readNotifications();
        return texts.some((n) => n.includes(ready)) ? texts : undefined;
      },
      { timeoutMs: 20_000, what: `a "${ready}" notification` },
    );
    ctx.log(`notifications: ${JSON.stringify(notifications)}`);
    assert.ok(!notifications.some((n) => n.startsWith('Image ready')), 'the notification is not in English');

    // A failure is stored as a kind and its details, and put into words when shown: in Korean here.
    await fetch(`${ctx.simulator.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ route: 'generate', kind: 'failJob', errorText: 'Content policy: refused.' }),
    });
    await view.locator('#prompt').fill(REFUSED_PROMPT);
    await view.getByRole('button', { name: t(GALLERY_STRINGS_EN.generate), exact: true }).click();
    const failed = view.locator('article.card.state-failed', { hasText: REFUSED_PROMPT });
    await ctx.retry(async () => (await failed.count()) > 0, { timeoutMs: 60_000, what: 'the failed card' });
    const said = t('Apiframe said: {0}').replace('{0}', 'Content policy: refused.');
    await ctx.retry(async () => ((await failed.innerText()) ?? '').includes(said), { timeoutMs: 10_000, what: `the Korean reason "${said}" on the card` });
    assert.ok(!(await failed.innerText()).includes('Apiframe said'), 'the reason is not in English');

    // Insert the Korean image into doc.md: its file name keeps the Hangul of the prompt.
    await ctx.openFile('doc.md');
    await ctx.runCommand(title);
    const korean = view.locator('article.card.state-completed', { hasText: PROMPT }).first();
    await korean.getByRole('button', { name: t(GALLERY_STRINGS_EN.insert), exact: true }).click();
    const imagesDir = path.join(ctx.workspace, 'images');
    const saved = await ctx.retry(
      async () => (fs.existsSync(imagesDir) ? fs.readdirSync(imagesDir).find((f) => f.normalize('NFC').startsWith('해-질-녘-바위-절벽')) : undefined),
      { timeoutMs: 20_000, what: 'a Hangul file name in images/' },
    );
    ctx.log(`saved images/${saved}`);
    await ctx.screenshot('korean-inserted-hangul-name');
  },
};
