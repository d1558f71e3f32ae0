// The images Flux Studio writes and reads back, in one table: which file name extensions name which format,
// which formats have a quality, and the largest image handled. Free of Node and DOM APIs (the webview and
// the manifest test use it too).
import type { OutputFormat } from './options';

/** File name extension (lower case, no dot) → the format it names; `.jpeg` is JPEG as `.jpg` is. */
const FORMATS_BY_EXTENSION: Readonly<Record<string, OutputFormat>> = { png: 'png', jpg: 'jpg', jpeg: 'jpg', webp: 'webp' };

/** Every extension of an image Flux Studio writes (so can read back, re-run or upload): dialogs, drops, menus. */
export const IMAGE_FILE_EXTENSIONS: readonly string[] = Object.keys(FORMATS_BY_EXTENSION);

/** The format a file name extension names (`.PNG`, `jpeg`; with or without the dot), or undefined. */
export function formatOfExtension(extension: string): OutputFormat | undefined {
  const key = extension.replace(/^\./, '').toLowerCase();
  return Object.prototype.hasOwnProperty.call(FORMATS_BY_EXTENSION, key) ? FORMATS_BY_EXTENSION[key] : undefined;
}

/** PNG is lossless: the service ignores a quality for it, so the request leaves it out and the UI does not offer it. */
export function hasQuality(format: string): boolean {
  return format !== 'png';
}

/** Largest image downloaded or rewritten: a 4-megapixel PNG is 10–25 MB, so this leaves ample headroom. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
