// Shortening text for display: the one rule. Counted in code points, so an emoji or a CJK extension
// character is never split in half, and a cut text ends with `…`. Free of Node and DOM APIs.

/**
 * `text` when it has at most `max` code points; else its first `max − 1` and `…`. With `atWord`, the cut
 * moves back to the last space when that keeps at least half, and trailing spaces go.
 */
export function truncate(text: string, max: number, atWord = false): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  let cut = chars.slice(0, max - 1).join('');
  if (atWord) {
    const space = cut.lastIndexOf(' ');
    if (space >= max / 2) cut = cut.slice(0, space);
    cut = cut.trimEnd();
  }
  return `${cut}…`;
}
