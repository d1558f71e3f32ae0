// File names for images saved into a workspace. Pure string rules, free of `vscode` and Node, so they
// can be tested on hostile prompts in plain Node.

/** Longest slug taken from the prompt, in characters (the seed or id and the extension come on top). */
export const SLUG_MAX_LENGTH = 60;
/** …and in UTF-8 bytes: file systems count bytes (255 per name on ext4 and APFS); 40 Hangul syllables fit. */
export const SLUG_MAX_BYTES = 120;

/** Device names Windows reserves whatever the extension (CON.png is still CON). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9]|lpt[0-9])$/i;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * Lowercase, `-`-separated slug of `text` that keeps letters and digits of every script (여우, 狐, キツネ,
 * crème → creme), at most `max` characters and SLUG_MAX_BYTES bytes, cut between whole characters and at
 * a word boundary when one is near. Only letters, their marks, digits and `-`: never a path separator, a
 * dot, a control or bidirectional character, or an emoji; never empty (`image`); never a Windows reserved
 * device name (`con` → `con-image`). NFC, so macOS and the other systems store the same name.
 */
export function slugify(text: string, max = SLUG_MAX_LENGTH): string {
  let slug = text
    .toLowerCase()
    // NFKD folds compatibility forms (ｆｏｘ, ﬁ, ①, ¹); Latin accents go (é → e), other scripts' marks stay.
    .normalize('NFKD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    // A mark with no letter to sit on is dropped; everything that is not a letter, mark or digit separates.
    .replace(/(^|[^\p{L}\p{M}\p{N}])\p{M}+/gu, '$1')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  const cut = cutAt(slug, max, SLUG_MAX_BYTES);
  if (cut.length < slug.length) {
    slug = cut;
    const lastDash = slug.lastIndexOf('-');
    // Prefer a whole word, unless that throws away more than half of the room.
    if (lastDash >= slug.length / 2) slug = slug.slice(0, lastDash);
    slug = slug.replace(/-+$/, '');
  }
  if (!slug) return 'image';
  if (WINDOWS_RESERVED.test(slug)) return `${slug}-image`;
  return slug;
}

/** The longest prefix of whole characters (grapheme clusters) within `maxChars` characters and `maxBytes` UTF-8 bytes. */
function cutAt(text: string, maxChars: number, maxBytes: number): string {
  if (text.length <= maxChars && utf8Length(text) <= maxBytes) return text;
  let chars = 0;
  let bytes = 0;
  let end = 0;
  for (const { segment } of graphemes.segment(text)) {
    chars += [...segment].length;
    bytes += utf8Length(segment);
    if (chars > maxChars || bytes > maxBytes) break;
    end += segment.length;
  }
  return text.slice(0, end);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export interface NameSource {
  prompt: string;
  /** Local entry id; its first characters name the file when there is no seed. */
  id: string;
  seed?: number;
  /** Extension without the dot (`png`, `jpg`, `webp`). */
  format: string;
}

/** `a-red-fox-in-snow-42.png`: slug of the prompt, then the seed (or a short id), then the extension. */
export function imageFileName(source: NameSource): string {
  return `${slugify(source.prompt)}-${nameTag(source)}.${fileExtension(source.format)}`;
}

/** The seed (`n7` for -7), or a short id when there is none: what tells two images of one prompt apart. */
export function nameTag(source: Pick<NameSource, 'id' | 'seed'>): string {
  return source.seed !== undefined && Number.isSafeInteger(source.seed) ? String(source.seed).replace('-', 'n') : shortId(source.id);
}

/** `png`, `jpg`, `webp`: the format as a safe extension. */
export function fileExtension(format: string): string {
  return format.toLowerCase().replace(/[^a-z0-9]/g, '') || 'png';
}

/** First 8 ASCII letters/digits of the id (a UUID in practice); `img` if there are none. */
export function shortId(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8) || 'img';
}

/** The n-th candidate name, VS Code's pattern: `name.png` (n = 0), then `name-1.png`, `name-2.png`, … */
export function withSuffix(fileName: string, n: number): string {
  if (n <= 0) return fileName;
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? `${fileName.slice(0, dot)}-${n}${fileName.slice(dot)}` : `${fileName}-${n}`;
}

/**
 * The first of `name`, `name-1`, `name-2`… for which `exists` answers false (the pattern VS Code's own
 * Markdown paste uses). Never overwrites: gives up with an error after `limit` tries rather than
 * reuse a name.
 */
export async function chooseFreeName(
  fileName: string,
  exists: (name: string) => Promise<boolean>,
  limit = 1000,
): Promise<string> {
  for (let n = 0; n < limit; n++) {
    const candidate = withSuffix(fileName, n);
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`No free file name for ${fileName} after ${limit} tries`);
}

/** Longest file name (without extension) a user may type for an inserted image. */
export const TYPED_NAME_MAX_LENGTH = 100;

export type TypedNameProblem = 'empty' | 'too-long' | 'separator' | 'control-characters' | 'dot-start' | 'reserved';

/**
 * What is wrong with a file name (without extension) the user typed, or undefined when it can be used as
 * it is: one path segment, no control characters, not starting with a dot, not a Windows device name.
 */
export function typedNameProblem(name: string): TypedNameProblem | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'empty';
  if (Array.from(trimmed).length > TYPED_NAME_MAX_LENGTH) return 'too-long';
  if (/[/\\:*?"<>|]/.test(trimmed)) return 'separator';
  if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(trimmed)) return 'control-characters';
  if (trimmed.startsWith('.')) return 'dot-start';
  if (WINDOWS_RESERVED.test(trimmed.replace(/\..*$/, ''))) return 'reserved';
  return undefined;
}
