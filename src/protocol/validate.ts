// Run-time checks of the gallery's messages. The webview is untrusted input: every message must be a
// plain object with exactly `id`, `method` and `params`, a known method, and params of exactly the
// declared shape with every field within its limits. Free of Node and DOM APIs.
import { isVariantCount, VARIANTS_MAX, VARIANTS_MIN } from '../shared/variants';
import { PROMPT_BAR_FIELDS, parseGenerationOptions, type OptionProblem } from '../shared/optionsSchema';
import {
  ID_MAX_LENGTH,
  NOTIFICATION_METHODS,
  REASON_MAX_LENGTH,
  THUMBNAIL_DATA_URL_MAX_LENGTH,
  THUMBNAIL_DATA_URL_PREFIX,
  type CommandMethod,
  type CommandParamsMap,
  type EmptyParams,
  type EntryParams,
  type ExtensionMessage,
  type NotificationMethod,
  type PromptOptions,
  type RequestMethod,
  type RequestParams,
  type WebviewMessage,
} from './gallery';

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

const PARAM_VALIDATORS: { [M in CommandMethod | RequestMethod]: (p: Record<string, unknown>) => FieldResult<ParamsOf<M>> } = {
  'gallery/ready': emptyParams,
  'gallery/importFromAccount': emptyParams,
  'gallery/generate': (p) => {
    const extra = unknownKey(p, ['options', 'variants']);
    if (extra) return fail(extra, 'unexpected field');
    const options = validatePromptOptions(p.options);
    if (!options.ok) return fail(`options.${options.field}`, options.problem);
    if (p.variants === undefined) return { ok: true, value: { options: options.value } };
    if (!isVariantCount(p.variants)) return fail('variants', `must be a whole number from ${VARIANTS_MIN} to ${VARIANTS_MAX}`);
    return { ok: true, value: { options: options.value, variants: p.variants } };
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The first own key not in `allowed`, if any. */
function unknownKey(value: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) return key.slice(0, 64);
  return undefined;
}

function fail(field: string, reason: string): { ok: false; field: string; reason: string } {
  return { ok: false, field, reason };
}

function reject(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
