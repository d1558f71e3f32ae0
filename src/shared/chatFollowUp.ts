// What a follow-up in the @flux chat ("warmer", "another one", "make it square", "정사각형으로") asks of
// the image made before it (a message of at most FOLLOW_UP_MAX_WORDS words; a longer one is a new prompt): pure word rules in English and Korean, free of VS Code. Shape words change
// the aspect ratio, "another"/"again" asks for a new seed, "same picture"/"same seed" keeps the seed,
// "insert" puts the previous image into the document (nothing is paid), "vary" makes a variation of the
// picture itself (it becomes the reference image), and any other words are appended to the previous prompt.
import type { AspectRatio } from './options';

/** The image a follow-up refers to, as the previous answer recorded it. */
export interface PreviousImage {
  prompt: string;
  aspectRatio: AspectRatio;
  seed?: number;
}

export type FollowUp =
  | { kind: 'insert' }
  /** The previous picture as the reference image, the same prompt, a new seed. */
  | { kind: 'vary' }
  /** seed undefined: a new one is drawn. */
  | { kind: 'generate'; prompt: string; aspectRatio: AspectRatio; seed: number | undefined; added: string };

/** A word rule: English as whole words (case-insensitive), Korean as it appears (no spaces between word and particle). */
interface Rule<T> {
  value: T;
  english: RegExp;
  korean: RegExp;
}

const SHAPES: ReadonlyArray<Rule<AspectRatio>> = [
  { value: '1:1', english: /\bsquare\b/gi, korean: /정사각형?/g },
  { value: '9:16', english: /\b(?:portrait|vertical)\b/gi, korean: /세로(?:형|로)?/g },
  { value: '16:9', english: /\b(?:landscape|horizontal)\b/gi, korean: /가로(?:형|로)?/g },
];
const KEEP_SEED: Rule<true> = { value: true, english: /\bsame (?:picture|image|seed)\b/gi, korean: /같은 (?:그림|이미지|사진|시드)/g };
const NEW_SEED: Rule<true> = { value: true, english: /\b(?:another(?: one)?|again|one more)\b/gi, korean: /하나 더|한 장 더|다른 (?:거|것|그림|이미지)|다시/g };
const VARY: Rule<true> = { value: true, english: /^\s*vary(?: it)?\s*[.!]?\s*$/i, korean: /^\s*변형(?:해\s*(?:줘|주세요)?)?\s*[.!]?\s*$/ };
const INSERT: Rule<true> = { value: true, english: /^\s*insert(?: it)?(?: into (?:the|my) (?:document|file))?\s*[.!]?\s*$/i, korean: /^\s*(?:문서에\s*)?(?:넣어|삽입해)\s*(?:줘|주세요)?\s*[.!]?\s*$/ };

/**
 * Words that only carry the request ("make it … please", "…으로 만들어 줘"), taken off the ends of what is
 * appended (never from inside it: "a cat in the window" keeps its words).
 */
const LEADING_FILLER = /^(?:please|make it|make|turn it|change it to|it|but|and|also|now|with|in|to|an?|the|one|으로|로|좀|그리고|그리고는|이번엔|이번에는)(?:\s+|$)/i;
const TRAILING_FILLER = /(?:^|\s+)(?:please|now|instead|too|one|image|picture|version|format|ratio|in|to|as|a|(?:으로|로)?\s*(?:만들어|바꿔|해|그려)\s*(?:줘|주세요|줄래)?|(?:으로|로)|주세요|줘)$/i;
const EDGE_PUNCTUATION = /^[\s,.;:!?~-]+|[\s,.;:!?~-]+$/g;

/** `text` without the filler words at its ends. */
function withoutFiller(text: string): string {
  let rest = text.replace(/\s+/g, ' ').replace(EDGE_PUNCTUATION, '');
  for (let before = ''; before !== rest; ) {
    before = rest;
    rest = rest.replace(LEADING_FILLER, '').replace(TRAILING_FILLER, '').replace(EDGE_PUNCTUATION, '');
  }
  return rest;
}

/** The longest text a follow-up appends (a chat message can be long; the prompt has a cap). */
export const FOLLOW_UP_MAX_LENGTH = 500;

/** A message after an image with more words than this is a new prompt, not a change to that image. */
export const FOLLOW_UP_MAX_WORDS = 6;

/** Whether `text`, sent after an image, changes that image ("warmer", "make it square") rather than describing a new one. */
export function isFollowUpMessage(text: string): boolean {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length > 0 && words.length <= FOLLOW_UP_MAX_WORDS;
}

/** What `text` asks of `previous`. */
export function applyFollowUp(previous: PreviousImage, text: string): FollowUp {
  if (matches(INSERT, text)) return { kind: 'insert' };
  if (matches(VARY, text)) return { kind: 'vary' };
  let rest = text;
  const take = <T>(rule: Rule<T>): T | undefined => {
    const found = matches(rule, rest);
    rest = rest.replace(rule.english, ' ').replace(rule.korean, ' ');
    return found ? rule.value : undefined;
  };
  const keepSeed = take(KEEP_SEED) ?? false;
  const newSeed = take(NEW_SEED) ?? false;
  let aspectRatio = previous.aspectRatio;
  for (const shape of SHAPES) aspectRatio = take(shape) ?? aspectRatio;
  const added = withoutFiller(rest).slice(0, FOLLOW_UP_MAX_LENGTH);
  const prompt = added ? `${previous.prompt.replace(/[\s,.;]+$/, '')}, ${added}` : previous.prompt;
  return { kind: 'generate', prompt, aspectRatio, seed: keepSeed && !newSeed ? previous.seed : undefined, added };
}

function matches(rule: Rule<unknown>, text: string): boolean {
  rule.english.lastIndex = 0;
  rule.korean.lastIndex = 0;
  const found = rule.english.test(text) || rule.korean.test(text);
  rule.english.lastIndex = 0;
  rule.korean.lastIndex = 0;
  return found;
}
