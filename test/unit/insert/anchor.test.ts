// Following the selected text an image was made from while the user edits: offsets move with edits
// before it, and an edit inside it or a move is resolved by finding the text again — or not at all.
import * as assert from 'assert';
import { locateAnchor, shiftAnchor, type Anchor } from '../../../src/insert/anchor';

const text = 'Intro.\n\nA lighthouse on a cliff.\n\nOutro.\n';
const anchor: Anchor = { start: text.indexOf('A light'), end: text.indexOf('cliff.') + 6, text: 'A lighthouse on a cliff.' };

function apply(doc: string, a: Anchor, start: number, end: number, insert: string): { doc: string; anchor: Anchor } {
  return { doc: doc.slice(0, start) + insert + doc.slice(end), anchor: shiftAnchor(a, { start, end, newLength: insert.length }) };
}

describe('anchor: where an image lands after the user edits', () => {
  it('typing before the text moves it; typing after leaves it', () => {
    let { doc, anchor: a } = apply(text, anchor, 0, 0, 'New first line.\n');
    ({ doc, anchor: a } = apply(doc, a, doc.length, doc.length, 'More.\n'));
    assert.deepStrictEqual(locateAnchor(doc, a), { start: doc.indexOf('A light'), end: doc.indexOf('cliff.') + 6 });
    assert.strictEqual(a.start, doc.indexOf('A light'), 'tracked without searching');
  });

  it('a cut and paste elsewhere: found again at its new place', () => {
    const cut = apply(text, anchor, anchor.start, anchor.end + 2, '');
    const pasted = apply(cut.doc, cut.anchor, cut.doc.length, cut.doc.length, '\nA lighthouse on a cliff.\n');
    const at = locateAnchor(pasted.doc, pasted.anchor)!;
    assert.strictEqual(pasted.doc.slice(at.start, at.end), anchor.text);
    assert.strictEqual(at.end, pasted.doc.length - 1);
  });

  it('the text edited or deleted: undefined, nothing guessed', () => {
    const edited = apply(text, anchor, anchor.start + 2, anchor.start + 12, 'windmill');
    assert.strictEqual(locateAnchor(edited.doc, edited.anchor), undefined);
    const deleted = apply(text, anchor, 0, text.length, '');
    assert.strictEqual(locateAnchor(deleted.doc, deleted.anchor), undefined);
  });

  it('with the text twice, the occurrence nearest its tracked place', () => {
    const doc = `${anchor.text}\n\n${text}\n${anchor.text}\n`;
    const moved = { ...anchor, start: anchor.start + anchor.text.length + 2 + 1 };
    const at = locateAnchor(doc, moved)!;
    assert.strictEqual(at.start, anchor.text.length + 2 + anchor.start);
  });
});
