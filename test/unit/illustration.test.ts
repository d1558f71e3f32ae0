// The plan of pictures for a document: rows from sections, prompts from headings (or a model), the style
// line on every prompt, and the plan page's messages checked on arrival.
import * as assert from 'assert';
import { buildPlan, parseModelPrompts, promptFromSection, rowId, withStyle } from '../../src/insert/illustration';
import { findSections } from '../../src/insert/sections';
import { PLAN_ROWS_MAX, STYLE_MAX_LENGTH, isPlanNotification, parsePlanMessage } from '../../src/protocol/illustrate';
import { PROMPT_MAX_LENGTH } from '../../src/shared/options';

const doc = ['# Guide', '', 'A guide to tides.', '', '## Moon', '', '![m](m.png)', '', '## Heading only', '', '## Sea', '', 'The sea rises. Then falls.'].join('\n');

describe('illustration plan', () => {
  it('one row per section with text or an image; sections with an image are shown unchecked', () => {
    const rows = buildPlan(findSections(doc, 'markdown')!, '16:9');
    assert.deepStrictEqual(
      rows.map((r) => [r.id, r.heading, r.prompt, r.checked, r.status.kind, r.aspectRatio]),
      [
        ['s0', 'Guide', 'Guide: A guide to tides.', true, 'planned', '16:9'],
        ['s1', 'Moon', 'Moon: m', false, 'hasImage', '16:9'],
        ['s3', 'Sea', 'Sea: The sea rises.', true, 'planned', '16:9'],
      ],
    );
  });

  it("a model's prompt wins where it gave one; at most PLAN_ROWS_MAX rows", () => {
    const rows = buildPlan(findSections(doc, 'markdown')!, '1:1', new Map([[3, '  Waves under a full moon  ']]));
    assert.strictEqual(rows[2].prompt, 'Waves under a full moon');
    assert.strictEqual(rows[0].prompt, 'Guide: A guide to tides.');
    const many = Array.from({ length: 50 }, (_, i) => `## S${i}\n\nText.\n`).join('\n');
    assert.strictEqual(buildPlan(findSections(many, 'markdown')!, '1:1').length, PLAN_ROWS_MAX);
  });

  it('the style goes after every prompt, and the prompt (never the style) is shortened to fit', () => {
    assert.strictEqual(withStyle('A lighthouse.', 'watercolour'), 'A lighthouse. Style: watercolour');
    assert.strictEqual(withStyle('A lighthouse', '  '), 'A lighthouse');
    const long = withStyle('word '.repeat(1000), 'isometric 3D');
    assert.ok(long.length <= PROMPT_MAX_LENGTH && long.endsWith('. Style: isometric 3D'), long.slice(-40));
    assert.strictEqual(promptFromSection({ heading: 'H', firstSentence: '' }), 'H');
  });

  it('messages from the plan page: known rows, valid ratios, bounded text; anything else is refused', () => {
    const ids = new Set([rowId(0), rowId(3)]);
    const ok = parsePlanMessage({ id: 'c1', method: 'plan/generate', params: { rows: [{ id: 's0', prompt: ' P ', aspectRatio: '1:1' }], style: ' photo ', aspectRatio: '4:3' } }, ids);
    assert.deepStrictEqual(ok, { ok: true, msg: { method: 'plan/generate', params: { rows: [{ id: 's0', prompt: 'P', aspectRatio: '1:1' }], style: 'photo', aspectRatio: '4:3' } } });
    const refused = [
      { id: 'c1', method: 'plan/generate', params: { rows: [{ id: 's9', prompt: 'P', aspectRatio: '1:1' }], style: '', aspectRatio: '1:1' } },
      { id: 'c1', method: 'plan/generate', params: { rows: [{ id: 's0', prompt: 'P', aspectRatio: '2:1' }], style: '', aspectRatio: '1:1' } },
      { id: 'c1', method: 'plan/generate', params: { rows: [{ id: 's0', prompt: '', aspectRatio: '1:1' }], style: '', aspectRatio: '1:1' } },
      { id: 'c1', method: 'plan/generate', params: { rows: [{ id: 's0', prompt: 'x'.repeat(PROMPT_MAX_LENGTH + 1), aspectRatio: '1:1' }], style: '', aspectRatio: '1:1' } },
      { id: 'c1', method: 'plan/generate', params: { rows: [{ id: 's0', prompt: 'P', aspectRatio: '1:1' }, { id: 's0', prompt: 'P', aspectRatio: '1:1' }], style: '', aspectRatio: '1:1' } },
      { id: 'c1', method: 'plan/generate', params: { rows: [], style: 'x'.repeat(STYLE_MAX_LENGTH + 1), aspectRatio: '1:1' } },
      { id: 'c1', method: 'plan/generate', params: { rows: [], style: '', aspectRatio: '2:1' } },
      { id: 'c1', method: 'plan/generate', params: { rows: [], style: '' } },
      { id: 'c1', method: 'plan/retry', params: { row: { id: 's0', prompt: 'P', aspectRatio: '1:1', extra: 1 }, style: '' } },
      { id: 'c1', method: 'plan/cancel', params: { now: true } },
      { id: 'c1', method: 'plan/unknown', params: { style: '' } },
      { id: 'c1', method: 'plan/cancel', params: {}, extra: 1 },
      JSON.parse('{"id":"c1","method":"plan/generate","params":{"__proto__":{"x":1},"rows":[],"style":""}}'),
      'plan/cancel',
    ];
    for (const message of refused) assert.strictEqual(parsePlanMessage(message, ids).ok, false, JSON.stringify(message).slice(0, 120));
    assert.deepStrictEqual(parsePlanMessage({ id: 'c2', method: 'plan/cancel', params: {} }, ids), { ok: true, msg: { method: 'plan/cancel', params: {} } });
  });

  it("the extension's notifications the page takes: status, running, and the price read after the page was built", () => {
    assert.ok(isPlanNotification({ method: 'plan/price', params: { price: { credits: 8, approximate: false } } }));
    assert.ok(isPlanNotification({ method: 'plan/running', params: { running: true } }));
    assert.ok(!isPlanNotification({ method: 'plan/price' }));
    assert.ok(!isPlanNotification({ method: 'plan/other', params: {} }));
  });
});

describe("illustration plan: a language model's prompts", () => {
  it('only a JSON list of { index, prompt } for the asked sections is taken, each prompt capped', () => {
    const asked = new Set([0, 2]);
    const answer = 'Sure!\n```json\n[{"index":0,"prompt":" A tide pool "},{"index":1,"prompt":"not asked"},{"index":2,"prompt":"' + 'x'.repeat(5000) + '"},{"index":"0","prompt":"bad"}]\n```';
    const prompts = parseModelPrompts(answer, asked);
    assert.deepStrictEqual([...prompts.keys()], [0, 2]);
    assert.strictEqual(prompts.get(0), 'A tide pool');
    assert.strictEqual(prompts.get(2)!.length, PROMPT_MAX_LENGTH);
    for (const junk of ['', 'no list', '[not json]', '{"index":0}', '[null, 3, "x"]']) assert.strictEqual(parseModelPrompts(junk, asked).size, 0, junk);
  });
});
