// What a plan remembers per workspace: the style line, and each document's aspect ratio from its last run
// (at most 100 documents, the oldest forgotten first; anything malformed in the stored state is ignored).
import * as assert from 'assert';
import type * as vscode from 'vscode';
import { PlanMemory } from '../../src/vscode/illustrate/planMemory';

function memento(initial: Record<string, unknown> = {}): vscode.Memento {
  const values = new Map(Object.entries(initial));
  return {
    keys: () => [...values.keys()],
    get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as vscode.Memento;
}
const uri = (name: string) => ({ toString: () => `file:///ws/${name}` }) as vscode.Uri;

describe('plan memory', () => {
  it("remembers the style and each document's ratio; the oldest of over 100 documents is forgotten", async () => {
    const memory = new PlanMemory(memento());
    assert.strictEqual(memory.style(), '');
    assert.strictEqual(memory.aspectRatio(uri('a.md')), undefined);
    await memory.remember(uri('a.md'), 'photo', '4:3');
    for (let i = 0; i < 100; i++) await memory.remember(uri(`d${i}.md`), 'watercolour', '1:1');
    assert.strictEqual(memory.style(), 'watercolour');
    assert.strictEqual(memory.aspectRatio(uri('a.md')), undefined, 'the oldest is forgotten');
    assert.strictEqual(memory.aspectRatio(uri('d99.md')), '1:1');
    await memory.remember(uri('d0.md'), 'photo', '9:16');
    assert.strictEqual(memory.aspectRatio(uri('d0.md')), '9:16');
  });

  it('ignores stored values that are not ratios', () => {
    const memory = new PlanMemory(memento({ 'fluxStudio.illustrate.aspectRatios': { 'file:///ws/a.md': '2:1' } }));
    assert.strictEqual(memory.aspectRatio(uri('a.md')), undefined);
    assert.strictEqual(new PlanMemory(memento({ 'fluxStudio.illustrate.aspectRatios': ['x'] })).aspectRatio(uri('a.md')), undefined);
  });
});
