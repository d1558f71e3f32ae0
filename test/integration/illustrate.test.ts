// Flux: Illustrate This Document in the real extension host: the command reads the active document's
// sections with its language's rules and opens the plan beside it — one row per section with text, a
// section that already has an image shown as such — and pays for nothing until the plan's Generate.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PlanRow, RowStatus } from '../../src/protocol/illustrate';
import { SILENT_LOG } from '../../src/shared/log';
import { BATCH_CONCURRENCY } from '../../src/jobs/batch';
import { PlanRun } from '../../src/vscode/illustrate/run';
import { scriptDialogs } from './dialogs';
import { loadConfig } from './config';
import type { FluxStudioTestApi } from '../../src/extension';
import { readyForTests, sim, waitFor } from './support';

const MARKDOWN = [
  '# Tides', '', 'The sea rises and falls twice a day. Sailors plan by it.', '',
  '## The moon', '', 'The moon pulls the water toward it.', '',
  '## Harbours', '', '![a harbour](images/harbour.jpg)', '', 'Boats wait for high water.', '',
  '```', '## not a heading', '```', '',
  '## Charts', '', 'Tide tables list the hours.', '',
].join('\n');

describe('Illustrate This Document: the plan', function () {
  this.timeout(60_000);
  let api: FluxStudioTestApi;

  before(async () => {
    api = await readyForTests();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function planOf(name: string, text: string): Promise<PlanRow[] | undefined> {
    const file = vscode.Uri.file(path.join(loadConfig().workspacePath, name));
    await fs.writeFile(file.fsPath, text);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    return vscode.commands.executeCommand<PlanRow[] | undefined>('fluxStudio.illustrateDocument');
  }

  it('Markdown: a row per section, prompts from heading and first sentence, the section with an image unchecked; a tab opens, nothing is paid', async () => {
    const before = (await sim('/__sim/stats')).jobsCreated;
    const rows = await planOf('illustrate-plan.md', MARKDOWN);
    const summary = rows?.map((row) => `${row.heading} | ${row.prompt} | ${row.checked} | ${row.status.kind} | ${row.aspectRatio}`);
    assert.deepStrictEqual(summary, [
      'Tides | Tides: The sea rises and falls twice a day. | true | planned | 16:9',
      'The moon | The moon: The moon pulls the water toward it. | true | planned | 16:9',
      'Harbours | Harbours: a harbour | false | hasImage | 16:9',
      'Charts | Charts: Tide tables list the hours. | true | planned | 16:9',
    ], JSON.stringify(summary));
    // The workbench reports a new panel's tab a moment after it was created.
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label));
    await waitFor(`the plan's tab (tabs: ${JSON.stringify(tabs())})`, () => tabs().includes('Illustrate illustrate-plan.md') || undefined, 5_000);
    assert.strictEqual((await sim('/__sim/stats')).jobsCreated, before, 'nothing was submitted');
  });

  it('HTML: headings and paragraphs as the browser reads them', async () => {
    const rows = await planOf('illustrate-plan.html', '<!doctype html><body><h1>Lamps</h1><p>Oil lamps glow. Softly.</p><h2>Wicks</h2><p>Wicks draw oil.</p></body>');
    assert.deepStrictEqual(rows?.map((row) => row.prompt), ['Lamps: Oil lamps glow.', 'Wicks: Wicks draw oil.']);
  });

  it('another language: no plan', async () => {
    assert.strictEqual(await planOf('illustrate-plan.txt', 'Just text.\n'), undefined);
  });

  it('images of one document that land at the same moment are each placed after their own paragraph (one edit at a time)', async () => {
    const file = vscode.Uri.file(path.join(loadConfig().workspacePath, 'illustrate-together.md'));
    await fs.writeFile(file.fsPath, MARKDOWN);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const paragraphs = ['The sea rises and falls twice a day. Sailors plan by it.', 'The moon pulls the water toward it.', 'Tide tables list the hours.'];
    await sim('/__sim/config', { durations: { fixedMs: 100_000 } }); // the same 2 s each at the suite's time scale
    try {
      const entries = await Promise.all(
        paragraphs.map(async (text) => {
          const start = document.getText().indexOf(text);
          const placeAfter = { document, anchor: { start, end: start + text.length, text } };
          const [entry] = await api.generation.generateVariants({ aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 60, raw: false, prompt: text }, undefined, { costConfirmed: true, placeAfter });
          return entry;
        }),
      );
      await Promise.all(entries.map((entry) => api.engine.whenSettled(entry.id)));
      const text = await waitFor('three new snippets beside the harbour image', () => (document.getText().split('![').length === 5 ? document.getText() : undefined), 30_000);
      for (const paragraph of paragraphs) {
        const after = text.slice(text.indexOf(paragraph) + paragraph.length);
        assert.match(after, /^\n\n!\[[^\]]*\]\(images\/[^)]+\.jpg\)\n/, `an image right after "${paragraph}":\n${text}`);
      }
    } finally {
      await sim('/__sim/config', { durations: { medianMs: 15000, sigma: 0.35 } });
    }
  });

  it('a run keeps four jobs at Apiframe: the fifth starts when one is done there, not once its image is downloaded and placed', async () => {
    const sections = ['Spring', 'Summer', 'Autumn', 'Winter', 'Monsoon'];
    const text = sections.map((name) => `## ${name}\n\nThe ${name.toLowerCase()} tide is the one to watch.\n`).join('\n');
    const file = vscode.Uri.file(path.join(loadConfig().workspacePath, 'illustrate-slots.md'));
    await fs.writeFile(file.fsPath, text);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const anchors = new Map(
      sections.map((name) => {
        const paragraph = `The ${name.toLowerCase()} tide is the one to watch.`;
        const start = text.indexOf(paragraph);
        return [name, { start, end: start + paragraph.length, text: paragraph }] as const;
      }),
    );
    const rows = sections.map((name) => ({ id: name, prompt: `${name} slots ${Date.now()}`, aspectRatio: '1:1' as const }));
    const placedAt: number[] = [];
    const events = {
      status: (_row: string, status: RowStatus) => void (status.kind === 'placed' && placedAt.push(Date.now())),
      running: () => undefined,
    };
    // Jobs of 2 s at the suite's time scale; each image then takes 4 s more to download.
    await sim('/__sim/config', { durations: { fixedMs: 100_000 } });
    await sim('/__sim/faults', { route: 'image', kind: 'slow', delayMs: 4_000, times: sections.length });
    const dialogs = scriptDialogs((asked) => asked.items.find((item) => item === `Generate ${sections.length} Images`));
    const run = new PlanRun({ generation: api.generation, gate: api.payment, placements: api.placements, store: api.store, log: SILENT_LOG }, document, anchors, events);
    try {
      await run.start(rows, '');
    } finally {
      run.dispose();
      dialogs.restore();
      await sim('/__sim/config', { durations: { medianMs: 15000, sigma: 0.35 } });
    }
    const jobs = (await sim('/__sim/stats')).jobs.filter((job: { prompt: string }) => rows.some((row) => job.prompt.startsWith(row.prompt)));
    assert.strictEqual(jobs.length, sections.length, 'one job per row');
    assert.strictEqual(placedAt.length, sections.length, 'every row placed');
    const created = jobs.map((job: { createdAtMs: number }) => job.createdAtMs).sort((a: number, b: number) => a - b);
    const fifth = created[BATCH_CONCURRENCY];
    const atApiframe = jobs.filter((job: { createdAtMs: number; completedAtMs?: number }) => job.createdAtMs < fifth && (job.completedAtMs ?? Infinity) > fifth).length;
    assert.ok(atApiframe < BATCH_CONCURRENCY, `${atApiframe} other jobs were still at Apiframe when the fifth was created`);
    const firstPlaced = Math.min(...placedAt);
    assert.ok(fifth < firstPlaced, `the fifth job was created ${fifth - firstPlaced} ms after the first image was placed (it should start while that image downloads)`);
  });
});
