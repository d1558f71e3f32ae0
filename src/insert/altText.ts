// Alt text a reader can use, made from the prompt (fluxStudio.insert.altText `short`): the prompt's first
// clause, at most SHORT_ALT_MAX_LENGTH characters, never ending in a dangling word ("…with a", "and").
// Pure string rules, linear in the prompt's length; the prompt is at most 2,000 characters.
import { altText } from './snippets';

export const SHORT_ALT_MAX_LENGTH = 100;
export const ALT_TEXT_MODES = ['short', 'prompt', 'ask'] as const;
export type AltTextMode = (typeof ALT_TEXT_MODES)[number];

export function altTextMode(raw: unknown): AltTextMode {
  return ALT_TEXT_MODES.find((mode) => mode === raw) ?? 'short';
}

/** Words a phrase cannot end on: a cut there leaves a fragment. */
const DANGLING = new Set(['a', 'an', 'the', 'and', 'or', 'but', 'with', 'of', 'in', 'on', 'at', 'for', 'to', 'from', 'by', 'as', 'into', 'onto', 'over', 'under', 'its', 'their', 'his', 'her', 'very']);

/** Where the first clause ends: a sentence mark or semicolon followed by a space, or the end. */
const CLAUSE_END = /[.!?;](?=\s|$)|\s[–—-]\s/;

export function shortAltText(prompt: string): string {
  const single = altText(prompt, Number.MAX_SAFE_INTEGER);
  const end = CLAUSE_END.exec(single);
  let clause = (end ? single.slice(0, end.index) : single).trim();
  if (Array.from(clause).length > SHORT_ALT_MAX_LENGTH) clause = cutAtPhrase(clause);
  const words = clause.split(' ');
  while (words.length > 1 && DANGLING.has(words[words.length - 1].toLowerCase().replace(/[,;]+$/, ''))) words.pop();
  const result = words.join(' ').replace(/[\s,;:–—-]+$/, '');
  return result || single.slice(0, SHORT_ALT_MAX_LENGTH);
}

/** At most SHORT_ALT_MAX_LENGTH characters: up to the last comma when it keeps enough, else the last whole word. */
function cutAtPhrase(clause: string): string {
  const head = Array.from(clause).slice(0, SHORT_ALT_MAX_LENGTH + 1).join('');
  const comma = head.lastIndexOf(',');
  if (comma >= 40) return head.slice(0, comma);
  const space = head.lastIndexOf(' ');
  return space > 0 ? head.slice(0, space) : head.slice(0, SHORT_ALT_MAX_LENGTH);
}
