// Illustrate This Document in a real VS Code: a 5-section Markdown document, its plan opened from the
// Command Palette; one prompt edited, one section unchecked, the style set to a preset; Generate (one price
// question for all four images) — and four images land, each right after its section's first paragraph,
// each carrying the style in the prompt embedded in its file. An HTML page gets its <img> right after the
// paragraph's </p>; and @flux /illustrate in the Chat view opens the same plan.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_VERSIONS, type Scenario, type ScenarioContext } from './context';
import { localizedPaletteTitle } from './korean.e2e';
import { answerDialog, answerInputBox, answerPriceQuestion, configureSimulator, gallery, sendChatWithKey, simStats } from './steps';

const SECTIONS = [
  ['Tides', 'The sea rises and falls twice a day.'],
  ['The moon', 'The moon pulls the water toward it.'],
  ['Harbours', 'Boats wait in the harbour for high water.'],
  ['Charts', 'Tide tables list the hours of high and low water.'],
  ['Storms', 'Storm surges raise the sea far above the tables.'],
] as const;
const EDITED_PROMPT = 'A full moon over a calm bay at night';
const UNCHECKED = 'Charts';
const STYLE = 'watercolour';
const RATIO = '4:3';

/** The plan's content frame: the gallery stays closed while images land in the document, so it is the only webview of ours. */
const planView = gallery;

function markdownDocument(): string {
  return `${SECTIONS.map(([heading, paragraph], i) => `${i === 0 ? '#' : '##'} ${heading}\n\n${paragraph}\n`).join('\n')}`;
}

/** The prompt Flux Studio embedded in an image file (XMP dc:description), as exiftool reads it. */
function embeddedPrompt(file: string): string {
  const [meta] = JSON.parse(execFileSync('exiftool', ['-json', '-XMP-dc:Description', file], { encoding: 'utf8' }));
  return String(meta.Description ?? '');
}

/** Opens the plan of `file` and waits for its Generate button to read `label`; returns the button. */
async function openPlan(ctx: ScenarioContext, file: string, label: string, what: string) {
  await ctx.openFile(file);
  await ctx.runCommand('Flux: Illustrate This Document');
  const generate = planView(ctx).locator('button[data-action="generate"]');
  await ctx.retry(async () => (await generate.innerText()).trim() === label, { what });
  return generate;
}

async function row(ctx: ScenarioContext, heading: string) {
  return planView(ctx).locator('li.row', { has: planView(ctx).locator('.heading', { hasText: heading }) });
}

export const scenarios: Scenario[] = [
  {
    name: 'illustrate: a 5-section Markdown document through the plan view — one prompt edited, one section unchecked, a style preset; 4 images after their sections',
    versions: ALL_VERSIONS,
    timeoutMs: 240_000,
    async run(ctx) {
      await configureSimulator(ctx, { timeScale: 0.2 });
      assert.strictEqual(fs.readFileSync(path.join(ctx.workspace, 'tides.md'), 'utf8'), markdownDocument(), 'the fixture holds the sections above');
      const generate = await openPlan(ctx, 'tides.md', 'Generate 5 images · 30 credits', 'the plan with 5 rows and the price of 5 images');
      await (await row(ctx, 'The moon')).locator('textarea').fill(EDITED_PROMPT);
      await (await row(ctx, UNCHECKED)).getByRole('checkbox', { name: `Illustrate “${UNCHECKED}”` }).uncheck();
      await planView(ctx).getByRole('button', { name: STYLE }).click();
      await planView(ctx).getByLabel('Aspect ratio of every image').selectOption(RATIO);
      assert.strictEqual(await planView(ctx).locator('#style').inputValue(), STYLE);
      await ctx.retry(async () => (await generate.innerText()).trim() === 'Generate 4 images · 24 credits', { what: 'the price of the 4 checked rows' });
      await ctx.screenshot('illustrate-plan');

      await generate.click();
      const question = await answerDialog(ctx, 'Illustrate tides.md with 4 images for 24 credits?', 'Generate 4 Images');
      ctx.log(`price question: ${question}`);
      await answerInputBox(ctx, ctx.apiKey);
      await ctx.retry(async () => (await planView(ctx).locator('.status[data-kind="placed"]').count()) === 4, { timeoutMs: 150_000, what: 'four rows inserted' });
      assert.strictEqual(await planView(ctx).locator('.status[data-kind="failed"]').count(), 0, 'no row failed');
      await ctx.screenshot('illustrate-done');
      assert.strictEqual((await simStats(ctx)).jobsCreated, 4, 'one job per checked row');

      await ctx.runCommand('File: Save All');
      const saved = path.join(ctx.workspace, 'tides.md');
      let text = '';
      const lines = await ctx.retry(async () => {
        text = fs.readFileSync(saved, 'utf8');
        return text.split('![').length - 1 === 4 ? text.split('\n') : undefined;
      }, { what: 'the saved document with its 4 images' }).catch((error) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; on disk: ${JSON.stringify(text)}`);
      });
      for (const [heading, paragraph] of SECTIONS) {
        const at = lines.indexOf(paragraph);
        const link = /^!\[[^\]]*\]\((images\/[^)]+\.jpg)\)$/.exec(lines[at + 2] ?? '');
        if (heading === UNCHECKED) {
          assert.ok(!link, `no image after the unchecked section: ${JSON.stringify(lines.slice(at, at + 3))}`);
          continue;
        }
        assert.ok(at > 0 && lines[at + 1] === '' && link, `an image right after "${heading}": ${JSON.stringify(lines.slice(at - 2, at + 3))}`);
        const prompt = embeddedPrompt(path.join(ctx.workspace, link[1]));
        assert.ok(prompt.endsWith(`. Style: ${STYLE}`), `the style in the embedded prompt of ${link[1]}: ${prompt}`);
        if (heading === 'The moon') assert.ok(prompt.startsWith(EDITED_PROMPT), `the edited prompt: ${prompt}`);
        else assert.ok(prompt.startsWith(`${heading}: ${paragraph.replace(/\.$/, '')}`), `the prompt from the heading and first sentence: ${prompt}`);
      }
      ctx.log(`4 images after their sections, each with "Style: ${STYLE}" in its embedded prompt`);

      // Opened again later, the plan shows which sections got images, and starts from the document's ratio.
      await ctx.runCommand('Flux: Illustrate This Document');
      await ctx.retry(async () => (await generate.innerText()).trim() === 'Generate 1 image · 6 credits', { what: 'the plan again, with one section left' });
      const statuses = await planView(ctx).locator('li.row .status').allInnerTexts();
      assert.deepStrictEqual(statuses, ['Has an image', 'Has an image', 'Has an image', '', 'Has an image']);
      assert.strictEqual(await (await row(ctx, UNCHECKED)).locator('select').inputValue(), RATIO, "the document's ratio, remembered");
      await ctx.screenshot('illustrate-reopened');
    },
  },
  {
    name: 'illustrate: an HTML page — the <img> lands right after the section\'s </p>, with the style in its embedded prompt',
    timeoutMs: 150_000,
    async run(ctx) {
      await configureSimulator(ctx, { timeScale: 0.2 });
      const generate = await openPlan(ctx, 'page.html', 'Generate 1 image · 6 credits', 'the plan of the page');
      await planView(ctx).getByRole('button', { name: 'photo' }).click();
      await generate.click();
      await answerPriceQuestion(ctx); // one image: the usual question before the first paid image
      await answerInputBox(ctx, ctx.apiKey);
      await ctx.retry(async () => (await planView(ctx).locator('.status[data-kind="placed"]').count()) === 1, { timeoutMs: 90_000, what: 'the row inserted' });
      await ctx.runCommand('File: Save All');
      const text = await ctx.retry(async () => {
        const saved = fs.readFileSync(path.join(ctx.workspace, 'page.html'), 'utf8');
        return saved.includes('<img') ? saved : undefined;
      }, { what: 'the saved page with its image' });
      const image = /<\/p><img src="(images\/[^"]+\.jpg)" alt="Lighthouse: A red lighthouse[^"]*"[^>]*>/.exec(text)?.[1];
      assert.ok(image, `the <img> right after </p>: ${text}`);
      assert.ok(embeddedPrompt(path.join(ctx.workspace, image)).endsWith('. Style: photo'), embeddedPrompt(path.join(ctx.workspace, image)));
    },
  },
  {
    name: 'illustrate: @flux /illustrate in the Chat view opens the plan of the open document',
    chatHost: true,
    timeoutMs: 120_000,
    async run(ctx) {
      await ctx.openFile('tides.md');
      await sendChatWithKey(ctx, '@flux /illustrate this document'); // words after the command: Enter sends instead of taking a completion
      const response = ctx.page.locator('.interactive-session .interactive-response').last();
      const answered = await ctx.retry(async () => {
        const text = (await response.innerText()).replace(/\s+/g, ' ');
        return text.includes('5 sections to illustrate') ? text : undefined;
      }, { timeoutMs: 30_000, what: 'the answer naming the plan' });
      ctx.log(`answer: ${answered}`);
      const generate = planView(ctx).locator('button[data-action="generate"]');
      await ctx.retry(async () => (await generate.innerText()).trim() === 'Generate 5 images · 30 credits', { what: 'the plan beside the document' });
      assert.strictEqual((await simStats(ctx)).jobsCreated, 0, 'nothing is paid before Generate');
      await ctx.screenshot('illustrate-chat');
    },
  },
  {
    name: 'illustrate: Cancel while four images run — the fifth is never sent, the four still land',
    timeoutMs: 180_000,
    async run(ctx) {
      // 30 s each: the four start one after another (each submit awaited), well before the first could land
      await configureSimulator(ctx, { timeScale: 0.2, durations: { fixedMs: 150_000 } });
      const generate = await openPlan(ctx, 'tides.md', 'Generate 5 images · 30 credits', 'the plan with 5 rows');
      await generate.click();
      await answerDialog(ctx, 'Illustrate tides.md with 5 images for 30 credits?', 'Generate 5 Images');
      await answerInputBox(ctx, ctx.apiKey);
      const kinds = () => planView(ctx).locator('.status').evaluateAll((spans) => spans.map((span: any) => String(span.dataset.kind)));
      await ctx.retry(async () => {
        const now = await kinds();
        return now.filter((kind) => kind === 'running').length === 4 && now[4] === 'waiting';
      }, { timeoutMs: 30_000, what: 'four rows running, the fifth waiting' });
      await planView(ctx).getByRole('button', { name: 'Cancel' }).click();
      await ctx.retry(async () => (await kinds())[4] === 'notStarted', { timeoutMs: 10_000, what: 'the fifth row not started' });
      assert.strictEqual(await planView(ctx).locator('li.row').nth(4).locator('.status').innerText(), 'Not started, nothing paid');
      await ctx.retry(async () => (await kinds()).filter((kind) => kind === 'placed').length === 4, { timeoutMs: 90_000, what: 'the four started images inserted' });
      assert.strictEqual((await simStats(ctx)).jobsCreated, 4, 'the fifth was never sent');
    },
  },
  {
    name: 'illustrate: with prompt enhancement allowed, a language model writes the prompts of the plan',
    chatHost: true,
    settings: { 'fluxStudio.prompt.enhance': 'always' },
    timeoutMs: 120_000,
    async run(ctx) {
      await ctx.openFile('tides.md');
      await ctx.runCommand('Flux: Illustrate This Document');
      // VS Code asks once whether Flux Studio may use the model (an extension's language model access).
      const access = ctx.page.locator('.monaco-dialog-box');
      const note = planView(ctx).locator('p.note');
      const noted = await ctx.retry(async () => {
        if (await access.count()) {
          ctx.log(`access question: ${(await access.innerText()).replace(/\s+/g, ' ')}`);
          await access.locator('.monaco-button', { hasText: /^Allow/ }).first().click();
        }
        return (await note.count()) ? note.innerText() : undefined;
      }, { timeoutMs: 30_000, what: 'the plan, after the model wrote its prompts' });
      assert.strictEqual(noted, 'The prompts were written by a language model from each section.');
      const prompts = await planView(ctx).locator('li.row textarea').evaluateAll((areas) => areas.map((area: any) => String(area.value)));
      assert.deepStrictEqual(prompts, SECTIONS.map(([heading]) => `Painted by the model: ${heading}`));
    },
  },
  {
    name: 'illustrate: in Korean, the plan speaks Korean; the style presets keep their English names in prompts',
    locale: 'ko',
    async run(ctx) {
      await ctx.openFile('tides.md');
      const title = localizedPaletteTitle(ctx.extensionPath, 'fluxStudio.illustrateDocument', 'ko');
      assert.strictEqual(title, 'Flux: 이 문서에 그림 넣기');
      await ctx.runCommand(title);
      const generate = planView(ctx).locator('button[data-action="generate"]');
      await ctx.retry(async () => (await generate.innerText()).trim() === '이미지 5개 생성 · 30크레딧', { what: 'the Korean Generate label' });
      await planView(ctx).getByRole('button', { name: '수채화' }).click();
      assert.strictEqual(await planView(ctx).locator('#style').inputValue(), 'watercolour');
      assert.strictEqual(await planView(ctx).locator('h1').innerText(), 'tides.md에 그림 넣기');
      await planView(ctx).getByRole('checkbox', { name: '“Tides”에 그림 넣기' }).waitFor();
      await ctx.screenshot('illustrate-korean');
    },
  },
  {
    name: 'illustrate: the daily spending limit stops the plan where it would pass it; nothing more is sent',
    settings: { 'fluxStudio.spendingLimit': 12 },
    timeoutMs: 150_000,
    async run(ctx) {
      await configureSimulator(ctx, { timeScale: 0.2 });
      const generate = await openPlan(ctx, 'tides.md', 'Generate 5 images · 30 credits', 'the plan with 5 rows');
      await generate.click();
      await answerDialog(ctx, 'Illustrate tides.md with 5 images for 30 credits?', 'Generate 5 Images');
      await answerInputBox(ctx, ctx.apiKey);
      // 12 credits a day: the third image would pass it. Declined, the rest is not started.
      const limit = await answerDialog(ctx, 'spending limit', 'Cancel');
      ctx.log(`limit question: ${limit}`);
      const kinds = () => planView(ctx).locator('.status').evaluateAll((spans) => spans.map((span: any) => String(span.dataset.kind)));
      await ctx.retry(async () => (await kinds()).slice(2).every((kind) => kind === 'notStarted'), { timeoutMs: 15_000, what: 'rows 3–5 not started' });
      await ctx.retry(async () => (await kinds()).slice(0, 2).every((kind) => kind === 'placed'), { timeoutMs: 90_000, what: 'the two paid images inserted' });
      assert.strictEqual((await simStats(ctx)).jobsCreated, 2, 'only what the limit allowed was sent');
    },
  },
];
