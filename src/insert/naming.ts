// File names for images saved into a workspace. Pure string rules, free of `vscode` and Node, so they
// can be tested on hostile prompts in plain Node.

/** Longest slug taken from the prompt (the seed or id and the extension come on top). */
export const SLUG_MAX_LENGTH = 60;

/** Device names Windows reserves whatever the extension (CON.png is still CON). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9]|lpt[0-9])$/i;

/**
 * ASCII-safe, lowercase, `-`-separated slug of `text`, at most `max` characters, cut at a word
 * boundary when one is near. Never contains a path separator, a dot or `..`; never empty
 * (`image`); never a Windows reserved device name (`con` → `con-image`).
 */
export function slugify(text: string, max = SLUG_MAX_LENGTH): string {
  let slug = text
    .normalize('NFKD')
    // Combining marks left by NFKD (é → e + ◌́) go; everything else non-ASCII becomes a separator.
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > max) {
    slug = slug.slice(0, max);
    const lastDash = slug.lastIndexOf('-');
    // Prefer a whole word, unless that throws away more than half of the room.
    if (lastDash >= max / 2) slug = slug.slice(0, lastDash);
    slug = slug.replace(/-+$/, '');
  }
  if (!slug) return 'image';
  if (WINDOWS_RESERVED.test(slug)) return `${slug}-image`;
  return slug;
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
  const tag =
    source.seed !== undefined && Number.isSafeInteger(source.seed)
      ? String(source.seed).replace('-', 'n')
      : shortId(source.id);
  const ext = source.format.toLowerCase().replace(/[^a-z0-9]/g, '') || 'png';
  return `${slugify(source.prompt)}-${tag}.${ext}`;
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
