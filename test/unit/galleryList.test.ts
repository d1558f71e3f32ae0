// What the gallery list shows (src/webview/listItems.ts) and how its grid packs rows (src/webview/rows.ts):
// the Show filter, variants of one request as one group item, and a group having a row of its own.
import * as assert from 'assert';
import type { EntryView } from '../../src/protocol/gallery';
import type { EntryState } from '../../src/shared/entry';
import { buildItems, groupKey, groupSizes, passesFilter, STATE_FILTERS, type ListItem } from '../../src/webview/listItems';
import { packRows, rowAt } from '../../src/webview/rows';

let clock = 1000;
function entry(id: string, patch: Partial<EntryView> = {}): EntryView {
  return { id, prompt: `prompt ${id}`, aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 90, raw: false, state: 'completed', progress: 100, createdAt: clock--, ...patch };
}

const keys = (items: readonly ListItem[]) => items.map((item) => `${item.key}:${item.entries.map((e) => e.id).join(',')}`);

describe('gallery list items', () => {
  it('Show: each state on its own, Running without paused jobs, Starred by the star alone', () => {
    const states: EntryState[] = ['submitting', 'queued', 'processing', 'downloading', 'paused', 'completed', 'failed'];
    const entries = states.map((state, i) => entry(`e${i}`, { state, starred: i % 2 === 0 }));
    const shown = (filter: (typeof STATE_FILTERS)[number]) => entries.filter((e) => passesFilter(e, filter)).map((e) => e.state);
    assert.deepStrictEqual(shown('all'), states);
    assert.deepStrictEqual(shown('running'), ['submitting', 'queued', 'processing', 'downloading']);
    assert.deepStrictEqual(shown('paused'), ['paused']);
    assert.deepStrictEqual(shown('completed'), ['completed']);
    assert.deepStrictEqual(shown('failed'), ['failed']);
    assert.deepStrictEqual(shown('starred'), ['submitting', 'processing', 'paused', 'failed']);
    // Every filter the Show select offers shows something of a gallery holding every state.
    for (const filter of STATE_FILTERS) assert.ok(shown(filter).length > 0, filter);
  });

  it('the variants of one request form one item, in variant order, where the newest of them is', () => {
    const single = entry('single');
    const v1 = entry('v1', { groupId: 'g', variantIndex: 1 });
    const other = entry('other');
    const v0 = entry('v0', { groupId: 'g', variantIndex: 0 });
    const shown = [single, v1, other, v0];
    const items = buildItems(shown, groupSizes(shown), new Map());
    assert.deepStrictEqual(keys(items), ['single:single', `${groupKey('g')}:v0,v1`, 'other:other']);
    assert.strictEqual(items[1].groupSize, 2);
    assert.strictEqual(items[0].groupSize, undefined, 'a single image is no group');
  });

  it('a group counts the variants the gallery holds; one left alone (after Keep) is a plain card', () => {
    const kept = entry('kept', { groupId: 'g', variantIndex: 2 });
    const starred = entry('starred', { groupId: 'g', variantIndex: 0, starred: true });
    const all = [kept, starred, entry('failed', { groupId: 'g', variantIndex: 1, state: 'failed' })];
    // Filtered to Starred, the group still says it has three variants.
    const filtered = buildItems([starred], groupSizes(all), new Map());
    assert.deepStrictEqual(keys(filtered), [`${groupKey('g')}:starred`]);
    assert.strictEqual(filtered[0].groupSize, 3);
    assert.deepStrictEqual(keys(buildItems([kept], groupSizes([kept]), new Map())), ['kept:kept']);
  });

  it('an item whose entries did not change is the same object (its card is not built again)', () => {
    const a = entry('a');
    const v0 = entry('v0', { groupId: 'g', variantIndex: 0 });
    const v1 = entry('v1', { groupId: 'g', variantIndex: 1 });
    const first = buildItems([a, v0, v1], groupSizes([a, v0, v1]), new Map());
    const previous = new Map(first.map((item) => [item.key, item]));
    const same = buildItems([a, v0, v1], groupSizes([a, v0, v1]), previous);
    assert.strictEqual(same[0], first[0]);
    assert.strictEqual(same[1], first[1]);
    const v1Starred = { ...v1, starred: true };
    const changed = buildItems([a, v0, v1Starred], groupSizes([a, v0, v1Starred]), previous);
    assert.strictEqual(changed[0], first[0], 'the untouched card stays');
    assert.notStrictEqual(changed[1], first[1], 'the group with a changed variant is built again');
  });
});

describe('virtualized grid rows with groups', () => {
  it('packs up to `columns` items a row; a group has a row of its own', () => {
    const wide = (set: number[]) => (i: number) => set.includes(i);
    assert.deepStrictEqual(packRows(7, 3, wide([])), [0, 3, 6, 7]);
    // Items 0 1 | group 2 | 3 4 5 | 6 | group 7 | 8
    assert.deepStrictEqual(packRows(9, 3, wide([2, 7])), [0, 2, 3, 6, 7, 8, 9]);
    assert.deepStrictEqual(packRows(2, 1, wide([0])), [0, 1, 2]);
    assert.deepStrictEqual(packRows(0, 4, wide([])), [0]);
    // Which row an item is in: rowAt over the starts.
    const starts = packRows(9, 3, wide([2, 7]));
    assert.deepStrictEqual([0, 1, 2, 3, 5, 6, 7, 8].map((i) => rowAt(starts, i)), [0, 0, 1, 2, 2, 3, 4, 5]);
  });
});
