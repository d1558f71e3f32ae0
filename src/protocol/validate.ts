// Run-time checks of the gallery's messages. The webview is untrusted input: every message must be a
// plain object with exactly `id`, `method` and `params`, a known method, and params of exactly the
// declared shape with every field within its limits. What the extension sends (notifications, the page
// shell's boot data) is trusted but still checked for shape and size. Free of Node and DOM APIs.
import { sniffImage } from '../shared/imageInfo';
import { ORIGINAL_PROMPT_MAX_LENGTH } from '../shared/entry';
import { IMAGE_FILE_EXTENSIONS } from '../shared/media';
import { ENHANCE_INPUT_MAX_CHARS } from '../shared/promptEnhance';
import { DEFAULT_CREDIT_COST, isVariantCount, VARIANTS_MAX, VARIANTS_MIN } from '../shared/variants';
import { PROMPT_BAR_FIELDS, parseGenerationOptions, type OptionProblem } from '../shared/optionsSchema';
import {
  BOOT_ENTRIES,
  BOOT_THUMBNAIL_BUDGET,
  COMPARE_MAX,
  DROPPED_URI_MAX_LENGTH,
  ID_MAX_LENGTH,
  NOTIFICATION_METHODS,
  REASON_MAX_LENGTH,
  THUMBNAIL_DATA_URL_MAX_LENGTH,
  THUMBNAIL_DATA_URL_PREFIX,
  THUMBNAIL_MAX_BYTES,
  THUMBNAILS_PER_REQUEST,
  type BootThumbnail,
  type CommandMethod,
  type CommandParamsMap,
  type EmptyParams,
  type EntryParams,
  type ExtensionMessage,
  type FullImage,
  type GalleryBoot,
  type NotificationMethod,
  type PromptOptions,
  type RequestMethod,
  type RequestParams,
  type ThumbnailBytes,
  type WebviewMessage,
} from './gallery';
import { GALLERY_STRINGS_EN, GALLERY_STRING_KEYS, type GalleryStrings } from './strings';

export type ParseResult = { ok: true; msg: WebviewMessage } | { ok: false; reason: string };
type FieldResult<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };
type ParamsOf<M extends CommandMethod | RequestMethod> = M extends CommandMethod
  ? CommandParamsMap[M]
  : M extends RequestMethod
    ? RequestParams<M>
    : never;

/**
 * Checks an untrusted message from the webview. The returned message is a fresh object holding only the
 * declared fields (the prompt trimmed). Whether an entry id exists in the gallery is for the caller to check.
 */
export function parseWebviewMessage(raw: unknown): ParseResult {
  try {
    if (!isPlainObject(raw)) return reject('message is not an object');
    const extra = unknownKey(raw, ['id', 'method', 'params']);
    if (extra) return reject(`unexpected field "${extra}"`);
    if (!isId(raw.id)) return reject(`id must be a string of 1–${ID_MAX_LENGTH} printable ASCII characters`);
    const method = raw.method;
    if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(PARAM_VALIDATORS, method)) {
      return reject(`unknown method ${typeof method === 'string' ? JSON.stringify(method.slice(0, 64)) : typeof method}`);
    }
    if (!isPlainObject(raw.params)) return reject(`${method}: params must be an object`);
    const validate = PARAM_VALIDATORS[method as keyof typeof PARAM_VALIDATORS] as (p: Record<string, unknown>) => FieldResult<unknown>;
    const params = validate(raw.params);
    if (!params.ok) return reject(`${method}: ${params.field}: ${params.reason}`);
    return { ok: true, msg: { id: raw.id, method, params: params.value } as WebviewMessage };
  } catch (error) {
    // A getter or proxy that throws is as malformed as a wrong type.
    return reject(`malformed message (${error instanceof Error ? error.name : 'error'})`);
  }
}

/** The prompt bar's options, checked with the one options schema (the webview uses this too). */
export function validatePromptOptions(raw: unknown): { ok: true; value: PromptOptions } | { ok: false; field: string; problem: OptionProblem } {
  return parseGenerationOptions(raw, PROMPT_BAR_FIELDS);
}

/** Entry and message ids: 1–ID_MAX_LENGTH printable ASCII characters, no spaces. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= ID_MAX_LENGTH && /^[\x21-\x7e]+$/.test(value);
}

/** Light check of what the extension sends (trusted, but a stale webview may meet a newer extension). */
export function isExtensionMessage(raw: unknown): raw is ExtensionMessage {
  return (
    isPlainObject(raw) &&
    typeof raw.method === 'string' &&
    NOTIFICATION_METHODS.includes(raw.method as NotificationMethod) &&
    isPlainObject(raw.params)
  );
}

/**
 * The page shell's boot data (see GalleryBoot), or undefined when its shape is wrong or it exceeds its
 * bounds: at most BOOT_ENTRIES entries and thumbnails, each thumbnail base64 of at most
 * THUMBNAIL_MAX_BYTES and all of them within BOOT_THUMBNAIL_BUDGET. Missing strings fall back to English.
 */
export function parseGalleryBoot(raw: unknown): GalleryBoot | undefined {
  if (!isPlainObject(raw)) return undefined;
  const { strings, locale, defaults, totalCredits, imageCost, entries, entryCount, thumbnails, codiconStylesheet } = raw;
  if (!isPlainObject(strings) || !isPlainObject(defaults) || typeof locale !== 'string' || typeof codiconStylesheet !== 'string') return undefined;
  if (typeof totalCredits !== 'number' || !Number.isFinite(totalCredits)) return undefined;
  if (!Array.isArray(entries) || entries.length > BOOT_ENTRIES || !entries.every((e) => isPlainObject(e) && isId(e.id))) return undefined;
  // null: the store is still loading, and `entries` (if any) are the newest as last written to the first-screen file.
  if (entryCount !== null && (!Number.isSafeInteger(entryCount) || (entryCount as number) < entries.length)) return undefined;
  if (!Array.isArray(thumbnails) || thumbnails.length > BOOT_ENTRIES) return undefined;
  let budget = BOOT_THUMBNAIL_BUDGET;
  for (const thumbnail of thumbnails) {
    if (!isPlainObject(thumbnail) || unknownKey(thumbnail, ['entryId', 'webp']) || !isId(thumbnail.entryId)) return undefined;
    const bytes = base64Length(thumbnail.webp);
    if (bytes === undefined || bytes > THUMBNAIL_MAX_BYTES || (budget -= bytes) < 0) return undefined;
  }
  const known: GalleryStrings = { ...GALLERY_STRINGS_EN };
  for (const key of GALLERY_STRING_KEYS) if (typeof strings[key] === 'string' && strings[key]) known[key] = strings[key] as string;
  return {
    strings: known,
    locale,
    defaults: defaults as GalleryBoot['defaults'],
    totalCredits,
    imageCost: isImageCost(imageCost) ? imageCost : DEFAULT_CREDIT_COST,
    entries: entries as GalleryBoot['entries'],
    entryCount: entryCount as number | null,
    thumbnails: thumbnails as BootThumbnail[],
    codiconStylesheet,
  };
}

/**
 * The result of `entry/thumbnails` as the webview receives it: only thumbnails it asked for, each WebP
 * of at most THUMBNAIL_MAX_BYTES; undefined when the shape is wrong.
 */
export function parseThumbnailsResult(raw: unknown, asked: readonly string[]): ThumbnailBytes[] | undefined {
  if (!isPlainObject(raw) || !Array.isArray(raw.thumbnails) || raw.thumbnails.length > THUMBNAILS_PER_REQUEST) return undefined;
  const thumbnails: ThumbnailBytes[] = [];
  for (const item of raw.thumbnails as unknown[]) {
    if (!isPlainObject(item) || typeof item.entryId !== 'string' || !asked.includes(item.entryId)) return undefined;
    const bytes = item.bytes;
    if (!(bytes instanceof Uint8Array) || bytes.length > THUMBNAIL_MAX_BYTES || !isWebp(bytes)) return undefined;
    thumbnails.push({ entryId: item.entryId, bytes });
  }
  return thumbnails;
}

/** A per-image credit cost as the extension sends it: a positive finite number. */
export function isImageCost(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/**
 * The result of `entry/fullImages` as the webview receives it: only images it asked for, each a URI
 * the page may load (an http(s) webview resource URI, the CSP decides the rest); undefined when the shape is wrong.
 */
export function parseFullImagesResult(raw: unknown, asked: readonly string[]): FullImage[] | undefined {
  if (!isPlainObject(raw) || !Array.isArray(raw.images) || raw.images.length > asked.length) return undefined;
  const images: FullImage[] = [];
  for (const item of raw.images as unknown[]) {
    if (!isPlainObject(item) || typeof item.entryId !== 'string' || !asked.includes(item.entryId)) return undefined;
    if (typeof item.uri !== 'string' || item.uri.length > FULL_IMAGE_URI_MAX_LENGTH || !/^https?:\/\/[\x21-\x7e]+$/.test(item.uri)) return undefined;
    images.push({ entryId: item.entryId, uri: item.uri });
  }
  return images;
}

const FULL_IMAGE_URI_MAX_LENGTH = 4096;

/**
 * A URI of a dropped image file as VS Code's drag data carries it: `file:` without an authority (desktop) or `vscode-remote:`
 * (a remote window, e.g. code-server), printable ASCII (URIs are percent-encoded), no query or fragment,
 * a path ending in an image extension. Whether the file exists and is an image is for the extension to check.
 */
export function isDroppedImageUri(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > DROPPED_URI_MAX_LENGTH || !/^[\x21-\x7e]+$/.test(value) || /[?#]|%00/i.test(value)) return false;
  // A `file:` URI names a file of this machine: with an authority (`file://host/share/…`) it would reach a network share.
  const path = /^(?:file:\/\/|vscode-remote:\/\/[^/]*)(\/.*)$/i.exec(value)?.[1];
  const extension = path && /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return !!extension && IMAGE_FILE_EXTENSIONS.includes(extension);
}

/** Whether the bytes start like a WebP file (RIFF container, WEBP form). */
export function isWebp(bytes: Uint8Array): boolean {
  return sniffImage(bytes)?.format === 'webp';
}

/** Decoded size of a canonical base64 string, or undefined when it is not one. */
function base64Length(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  return (value.length / 4) * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
}

const entryParams = (p: Record<string, unknown>): FieldResult<EntryParams> => {
  const extra = unknownKey(p, ['entryId']);
  if (extra) return fail(extra, 'unexpected field');
  if (!isId(p.entryId)) return fail('entryId', 'must be an id');
  return { ok: true, value: { entryId: p.entryId } };
};

const emptyParams = (p: Record<string, unknown>): FieldResult<EmptyParams> => {
  const extra = unknownKey(p, []);
  return extra ? fail(extra, 'unexpected field') : { ok: true, value: {} };
};

/** `entryIds`: 1–max ids. */
function entryIdsParams(p: Record<string, unknown>, max: number): FieldResult<{ entryIds: string[] }> {
  const extra = unknownKey(p, ['entryIds']);
  if (extra) return fail(extra, 'unexpected field');
  const ids = p.entryIds;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > max) return fail('entryIds', `must hold 1–${max} ids`);
  const entryIds: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id: unknown = ids[i]; // by index: a sparse array's holes are not ids either
    if (!isId(id)) return fail('entryIds', 'must hold ids');
    entryIds.push(id);
  }
  return { ok: true, value: { entryIds } };
}

const PARAM_VALIDATORS: { [M in CommandMethod | RequestMethod]: (p: Record<string, unknown>) => FieldResult<ParamsOf<M>> } = {
  'gallery/ready': emptyParams,
  'gallery/importFromAccount': emptyParams,
  'gallery/setApiKey': emptyParams,
  'gallery/generate': (p) => {
    const extra = unknownKey(p, ['options', 'variants', 'originalPrompt']);
    if (extra) return fail(extra, 'unexpected field');
    const options = validatePromptOptions(p.options);
    if (!options.ok) return fail(`options.${options.field}`, options.problem);
    if (p.variants !== undefined && !isVariantCount(p.variants)) return fail('variants', `must be a whole number from ${VARIANTS_MIN} to ${VARIANTS_MAX}`);
    if (p.originalPrompt !== undefined && !isPromptText(p.originalPrompt, ORIGINAL_PROMPT_MAX_LENGTH)) return fail('originalPrompt', `must be 1–${ORIGINAL_PROMPT_MAX_LENGTH} characters`);
    return {
      ok: true,
      value: { options: options.value, ...(p.variants !== undefined ? { variants: p.variants as number } : {}), ...(p.originalPrompt !== undefined ? { originalPrompt: p.originalPrompt as string } : {}) },
    };
  },
  'gallery/enhancePrompt': (p) => {
    const extra = unknownKey(p, ['prompt']);
    if (extra) return fail(extra, 'unexpected field');
    if (!isPromptText(p.prompt, ENHANCE_INPUT_MAX_CHARS)) return fail('prompt', `must be 1–${ENHANCE_INPUT_MAX_CHARS} characters`);
    return { ok: true, value: { prompt: p.prompt } };
  },
  'entry/insert': entryParams,
  'entry/saveAs': entryParams,
  'entry/copyLink': entryParams,
  'entry/openFullSize': entryParams,
  'entry/useAsReference': entryParams,
  'entry/rerun': entryParams,
  'entry/vary': entryParams,
  'entry/delete': entryParams,
  'entry/retry': entryParams,
  'entry/forget': entryParams,
  'entry/thumbnails': (p) => entryIdsParams(p, THUMBNAILS_PER_REQUEST),
  'entry/fullImages': (p) => entryIdsParams(p, COMPARE_MAX),
  'entry/thumbnail': (p) => {
    const extra = unknownKey(p, ['entryId', 'dataUrl']);
    if (extra) return fail(extra, 'unexpected field');
    if (!isId(p.entryId)) return fail('entryId', 'must be an id');
    const dataUrl = p.dataUrl;
    if (typeof dataUrl !== 'string' || !dataUrl.startsWith(THUMBNAIL_DATA_URL_PREFIX)) {
      return fail('dataUrl', `must start with ${THUMBNAIL_DATA_URL_PREFIX}`);
    }
    if (dataUrl.length > THUMBNAIL_DATA_URL_MAX_LENGTH) return fail('dataUrl', 'is larger than 200 KB');
    const body = dataUrl.slice(THUMBNAIL_DATA_URL_PREFIX.length);
    if (body.length < 16 || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
      return fail('dataUrl', 'is not base64');
    }
    return { ok: true, value: { entryId: p.entryId, dataUrl } };
  },
  'entry/keep': entryParams,
  'gallery/dropImage': (p) => {
    const extra = unknownKey(p, ['uri']);
    if (extra) return fail(extra, 'unexpected field');
    if (!isDroppedImageUri(p.uri)) return fail('uri', 'must be the file: or vscode-remote: URI of a PNG, JPEG or WebP file');
    return { ok: true, value: { uri: p.uri } };
  },
  'entry/star': (p) => {
    const extra = unknownKey(p, ['entryId', 'starred']);
    if (extra) return fail(extra, 'unexpected field');
    if (!isId(p.entryId)) return fail('entryId', 'must be an id');
    if (typeof p.starred !== 'boolean') return fail('starred', 'must be true or false');
    return { ok: true, value: { entryId: p.entryId, starred: p.starred } };
  },
  'entry/thumbnailFailed': (p) => {
    const extra = unknownKey(p, ['entryId', 'reason']);
    if (extra) return fail(extra, 'unexpected field');
    if (!isId(p.entryId)) return fail('entryId', 'must be an id');
    if (typeof p.reason !== 'string' || p.reason.length > REASON_MAX_LENGTH) return fail('reason', 'must be a short string');
    return { ok: true, value: { entryId: p.entryId, reason: p.reason } };
  },
};

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The first own key not in `allowed`, if any. */
/** Text that is not only whitespace, of at most `max` characters. */
function isPromptText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max;
}

export function unknownKey(value: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) return key.slice(0, 64);
  return undefined;
}

function fail(field: string, reason: string): { ok: false; field: string; reason: string } {
  return { ok: false, field, reason };
}

function reject(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
