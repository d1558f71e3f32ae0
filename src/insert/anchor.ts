// Where an image will land while the user keeps typing: the selected text it was made from, its offsets
// kept up to date through the document's edits, and found again (linear time) if an edit touched it.

export interface Anchor {
  start: number;
  end: number;
  /** The text the image was made from, as selected. */
  text: string;
}

/** One edit of the document, as VS Code reports it: the replaced range and the length of the new text. */
export interface DocumentChange {
  start: number;
  end: number;
  newLength: number;
}

/** The anchor after `change`: moved by edits before it; an edit inside it is caught by `locateAnchor`. */
export function shiftAnchor(anchor: Anchor, change: DocumentChange): Anchor {
  const delta = change.newLength - (change.end - change.start);
  if (change.end <= anchor.start) return { ...anchor, start: anchor.start + delta, end: anchor.end + delta };
  if (change.start >= anchor.end) return anchor;
  // Inside or across it: keep the start, stretch the end with the edit; the text check decides.
  return { ...anchor, end: Math.max(anchor.start, anchor.end + delta) };
}

/**
 * Where the anchor's text is now: at its tracked offsets if it is still there, else the occurrence
 * nearest to them; undefined when the text is gone (nothing is guessed).
 */
export function locateAnchor(text: string, anchor: Anchor): { start: number; end: number } | undefined {
  if (anchor.text.length === 0) return undefined;
  if (text.slice(anchor.start, anchor.start + anchor.text.length) === anchor.text) return { start: anchor.start, end: anchor.start + anchor.text.length };
  let best: number | undefined;
  for (let at = text.indexOf(anchor.text); at !== -1; at = text.indexOf(anchor.text, at + 1)) {
    if (best === undefined || Math.abs(at - anchor.start) < Math.abs(best - anchor.start)) best = at;
    if (at > anchor.start) break; // later occurrences are only farther
  }
  return best === undefined ? undefined : { start: best, end: best + anchor.text.length };
}
