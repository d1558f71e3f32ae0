// Korean particles depend on the sound that ends the word before them: 파일을 but 이미지를, 키가 but 설정이,
// 폴더로 but 파일로 (ㄹ takes 로) and 작업으로. A translation cannot know which name it will get, so Korean
// strings write both forms after a placeholder ("{0}을(를)") and resolveParticles picks one once the name
// is filled in. When the word's sound cannot be told (an emoji, a Chinese character), both forms stay.

/** How a word ends, as far as particles care. */
type FinalSound = 'vowel' | 'rieul' | 'consonant';

/** Both-form spellings → [after a consonant, after a vowel]; "(으)로" also takes 로 after ㄹ. */
const PAIRS: ReadonlyArray<readonly [string, string, string]> = [
  ['을(를)', '을', '를'],
  ['를(을)', '을', '를'],
  ['이(가)', '이', '가'],
  ['가(이)', '이', '가'],
  ['은(는)', '은', '는'],
  ['는(은)', '은', '는'],
  ['과(와)', '과', '와'],
  ['와(과)', '과', '와'],
  ['(으)로', '으로', '로'],
];
/** Any of the spellings above (a fixed alternation: one pass over the text). */
const PAIR_PATTERN = new RegExp(PAIRS.map(([spelling]) => spelling.replace(/[()]/g, '\\$&')).join('|'), 'g');
/** Enough of the text before a particle to find its word's end (marks, then the word). */
const LOOK_BEHIND = 32;

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
const RIEUL_FINAL = 8;

/** How digits are read: 일, 이, 삼, 사, 오, 육, 칠, 팔, 구 (0 alone: 영). */
const DIGIT_SOUNDS: Readonly<Record<string, FinalSound>> = {
  '0': 'consonant', '1': 'rieul', '2': 'vowel', '3': 'consonant', '4': 'vowel',
  '5': 'vowel', '6': 'consonant', '7': 'rieul', '8': 'rieul', '9': 'vowel',
};
/** Latin letters read by name (URL, API, PNG): 엘 and 알 end in ㄹ, 엠 and 엔 in a consonant, the rest in a vowel. */
const LETTER_NAME_SOUNDS: Readonly<Record<string, FinalSound>> = { l: 'rieul', r: 'rieul', m: 'consonant', n: 'consonant' };

/** Characters skipped when looking for the end of the word: quotes, brackets, punctuation, spaces. */
const TRAILING_MARKS = /[\s"'`“”‘’»«)\]>.,!?…:;*_~]/u;

function hangulSound(code: number): FinalSound {
  const final = (code - HANGUL_FIRST) % 28;
  return final === 0 ? 'vowel' : final === RIEUL_FINAL ? 'rieul' : 'consonant';
}

/** A number's last sound: 10 십, 100 백, 1000 천, 10000 만 all end in a consonant; otherwise its last digit. */
function numberSound(digits: string): FinalSound {
  if (digits.length > 1 && digits.endsWith('0')) return 'consonant';
  return DIGIT_SOUNDS[digits[digits.length - 1]];
}

/** A Latin word's last sound, as Korean loanwords read it (frame 프레임, file 파일, flux 플럭스). */
function latinSound(word: string): FinalSound {
  const lower = word.toLowerCase();
  const isAcronym = (word === word.toUpperCase() && word.length <= 5) || !/[aeiouy]/.test(lower);
  if (isAcronym) return LETTER_NAME_SOUNDS[lower[lower.length - 1]] ?? 'vowel';
  if (/(?:l|ll|le)$/.test(lower)) return 'rieul';
  if (/(?:m|n|ng|me|ne|ck)$/.test(lower)) return 'consonant';
  return 'vowel';
}

/** The sound `text` ends with, or undefined when it cannot be told. */
export function finalSound(text: string): FinalSound | undefined {
  let end = text.length;
  while (end > 0 && TRAILING_MARKS.test(text[end - 1])) end--;
  const body = text.slice(0, end);
  const last = body.codePointAt(body.length - 1);
  if (last === undefined) return undefined;
  if (last >= HANGUL_FIRST && last <= HANGUL_LAST) return hangulSound(last);
  const digits = /[0-9]+$/.exec(body);
  if (digits) return numberSound(digits[0]);
  const latin = /[A-Za-z]+$/.exec(body);
  if (latin) return latinSound(latin[0]);
  return undefined;
}

/** The particle after `word`: particleAfter('파일', '을(를)') → '을'; both forms when the sound is unknown. */
export function particleAfter(word: string, both: string): string {
  const pair = PAIRS.find(([spelling]) => spelling === both);
  const sound = finalSound(word);
  if (!pair || sound === undefined) return both;
  if (pair[0] === '(으)로' && sound === 'rieul') return pair[2];
  return sound === 'vowel' ? pair[2] : pair[1];
}

/** Text with every "X을(를)"-style pair resolved by the sound of what precedes it (linear in the text's length). */
export function resolveParticles(text: string): string {
  return text.replace(PAIR_PATTERN, (both: string, offset: number) => (offset === 0 ? both : particleAfter(text.slice(Math.max(0, offset - LOOK_BEHIND), offset), both)));
}
