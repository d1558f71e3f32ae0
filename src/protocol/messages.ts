// The one message protocol between the gallery webview and the extension (GitLens style): every
// message kind is a named constant carrying its method string, typed by a params map.
//   commands:       webview → extension, `{ id, method, params }`, validated at run time by
//                   `parseWebviewMessage` because a webview is untrusted input;
//   notifications:  extension → webview, `{ method, params }`; `DidCompleteNotification` answers a
//                   command by its `id`.
// Free of Node and DOM APIs: the extension and the webview both compile it.
import type { EntryState } from '../shared/entry';
import {
  PROMPT_MAX_LENGTH,
  isAspectRatio,
  isOutputFormat,
  type GenerationOptions,
} from '../shared/options';
import type { GalleryStrings } from './strings';

// ---------------------------------------------------------------------------------------------------
// Limits

export const ID_MAX_LENGTH = 64;
export const URL_MAX_LENGTH = 2048;
export const REASON_MAX_LENGTH = 500;
/** A raw prompt longer than this is rejected before trimming (the trimmed limit is PROMPT_MAX_LENGTH). */
export const PROMPT_RAW_MAX_LENGTH = 4 * PROMPT_MAX_LENGTH;
export const SEED_MIN = Number.MIN_SAFE_INTEGER;
export const SEED_MAX = Number.MAX_SAFE_INTEGER;
/** Thumbnails the webview makes: WebP, about this wide, at most this many bytes once decoded. */
export const THUMBNAIL_WIDTH = 320;
export const THUMBNAIL_MAX_BYTES = 200 * 1024;
export const THUMBNAIL_DATA_URL_PREFIX = 'data:image/webp;base64,';
export const THUMBNAIL_DATA_URL_MAX_LENGTH = THUMBNAIL_DATA_URL_PREFIX.length + Math.ceil(THUMBNAIL_MAX_BYTES / 3) * 4;

// ---------------------------------------------------------------------------------------------------
// Shapes

/** What the prompt bar sends: the generation options minus the webhook (a setting the extension adds). */
export type PromptOptions = Omit<GenerationOptions, 'webhookUrl'>;

/** Prompt-bar defaults, from the settings. A whole `GenerationOptions` also fits. */
export type PromptDefaults = Pick<
  GenerationOptions,
  'aspectRatio' | 'outputFormat' | 'outputQuality' | 'raw' | 'seed' | 'imagePromptStrength'
>;

/** One gallery entry as the webview sees it: display fields and webview URIs, no file paths. */
export interface EntryView extends PromptOptions {
  id: string;
  state: EntryState;
  /** 0–100. */
  progress: number;
  error?: string;
  createdAt: number;
  /** From the server accepting the job (or the local submit) to the stored image. */
  durationMs?: number;
  creditCost?: number;
  width?: number;
  height?: number;
  imported?: boolean;
  /** asWebviewUri of the cached thumbnail. */
  thumbUri?: string;
  /** asWebviewUri of the stored full image; sent only while there is no thumbnail, to make one. */
  imageUri?: string;
}

export interface EntryParams {
  entryId: string;
}

export type EmptyParams = Record<string, never>;

export interface CommandParamsMap {
  /** The webview has loaded and wants the init notification. */
  'gallery/ready': EmptyParams;
  'gallery/generate': { options: PromptOptions };
  'gallery/importFromAccount': EmptyParams;
  'entry/insert': EntryParams;
  'entry/saveAs': EntryParams;
  'entry/copyLink': EntryParams;
  'entry/openFullSize': EntryParams;
  'entry/useAsReference': EntryParams;
  'entry/rerun': EntryParams;
  'entry/vary': EntryParams;
  'entry/delete': EntryParams;
  /** A WebP thumbnail the webview drew from the stored image (`data:image/webp;base64,…`). */
  'entry/thumbnail': { entryId: string; dataUrl: string };
  /** The webview could not make a thumbnail (e.g. tainted canvas) and shows the full image scaled down. */
  'entry/thumbnailFailed': { entryId: string; reason: string };
}

export interface NotificationParamsMap {
  'gallery/init': {
    entries: EntryView[];
    strings: GalleryStrings;
    defaults: PromptDefaults;
    totalCredits: number;
    /** VS Code's display language (`vscode.env.language`), for dates and numbers. */
    locale: string;
  };
  /** Incremental change: entries added or updated, ids removed. */
  'gallery/entriesChanged': { upserts: EntryView[]; removals: string[]; totalCredits: number };
  'gallery/defaultsChanged': { defaults: PromptDefaults };
  /** Puts options into the prompt bar (e.g. "Use as reference" done by the extension). */
  'gallery/fillPromptBar': { options: Partial<PromptOptions> };
  /** Answers the command whose `id` is `requestId`. */
  'gallery/didComplete': { requestId: string; ok: boolean; error?: string };
}

export type CommandMethod = keyof CommandParamsMap;
export type NotificationMethod = keyof NotificationParamsMap;

export interface IpcCommandType<M extends CommandMethod> {
  readonly kind: 'command';
  readonly method: M;
}
export interface IpcNotificationType<M extends NotificationMethod> {
  readonly kind: 'notification';
  readonly method: M;
}

const command = <M extends CommandMethod>(method: M): IpcCommandType<M> => ({ kind: 'command', method });
const notification = <M extends NotificationMethod>(method: M): IpcNotificationType<M> => ({
  kind: 'notification',
  method,
});

// Commands: webview → extension
export const ReadyCommand = command('gallery/ready');
export const GenerateCommand = command('gallery/generate');
export const ImportFromAccountCommand = command('gallery/importFromAccount');
export const InsertCommand = command('entry/insert');
export const SaveAsCommand = command('entry/saveAs');
export const CopyLinkCommand = command('entry/copyLink');
export const OpenFullSizeCommand = command('entry/openFullSize');
export const UseAsReferenceCommand = command('entry/useAsReference');
export const RerunCommand = command('entry/rerun');
export const VaryCommand = command('entry/vary');
export const DeleteCommand = command('entry/delete');
export const ThumbnailCommand = command('entry/thumbnail');
export const ThumbnailFailedCommand = command('entry/thumbnailFailed');

// Notifications: extension → webview
export const InitNotification = notification('gallery/init');
export const EntriesChangedNotification = notification('gallery/entriesChanged');
export const DefaultsChangedNotification = notification('gallery/defaultsChanged');
export const FillPromptBarNotification = notification('gallery/fillPromptBar');
export const DidCompleteNotification = notification('gallery/didComplete');

export type CommandMessage<M extends CommandMethod = CommandMethod> = {
  [K in M]: { id: string; method: K; params: CommandParamsMap[K] };
}[M];
/** Every message the extension accepts from the webview. */
export type WebviewMessage = CommandMessage;

export type NotificationMessage<M extends NotificationMethod = NotificationMethod> = {
  [K in M]: { method: K; params: NotificationParamsMap[K] };
}[M];
/** Every message the webview accepts from the extension. */
export type ExtensionMessage = NotificationMessage;

export function commandMessage<M extends CommandMethod>(
  type: IpcCommandType<M>,
  id: string,
  params: CommandParamsMap[M],
): CommandMessage<M> {
  return { id, method: type.method, params } as CommandMessage<M>;
}

export function notificationMessage<M extends NotificationMethod>(
  type: IpcNotificationType<M>,
  params: NotificationParamsMap[M],
): NotificationMessage<M> {
  return { method: type.method, params } as NotificationMessage<M>;
}

/** Narrows a validated message to one command, with its params typed. */
export function isCommand<M extends CommandMethod>(
  msg: WebviewMessage,
  type: IpcCommandType<M>,
): msg is Extract<WebviewMessage, { method: M }> {
  return msg.method === type.method;
}

// ---------------------------------------------------------------------------------------------------
// Run-time validation of what the webview sends

export type ParseResult = { ok: true; msg: WebviewMessage } | { ok: false; reason: string };
export type FieldResult<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

/**
 * Checks an untrusted message from the webview: a plain object with exactly `id`, `method`, `params`;
 * a known method; params of exactly the declared shape, every field within its limits. The returned
 * message is a fresh object holding only the declared fields (the prompt trimmed).
 * Whether an entry id exists in the gallery is for the caller to check.
 */
export function parseWebviewMessage(raw: unknown): ParseResult {
  try {
    if (!isPlainObject(raw)) return reject('message is not an object');
    const extra = unknownKeys(raw, ['id', 'method', 'params']);
    if (extra) return reject(`unexpected field "${extra}"`);
    if (!isId(raw.id)) return reject('id must be a string of 1–64 printable ASCII characters');
    const method = raw.method;
    if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(paramValidators, method)) {
      return reject(`unknown method ${typeof method === 'string' ? JSON.stringify(method.slice(0, 64)) : typeof method}`);
    }
    if (!isPlainObject(raw.params)) return reject(`${method}: params must be an object`);
    const validate = paramValidators[method as CommandMethod] as (p: Record<string, unknown>) => FieldResult<unknown>;
    const params = validate(raw.params);
    if (!params.ok) return reject(`${method}: ${params.field}: ${params.reason}`);
    return { ok: true, msg: { id: raw.id, method, params: params.value } as WebviewMessage };
  } catch (error) {
    // A getter or proxy that throws is as malformed as a wrong type.
    return reject(`malformed message (${error instanceof Error ? error.name : 'error'})`);
  }
}

/**
 * The prompt bar's options, checked with the service's rules: prompt 1–2000 characters after trimming,
 * one of the five aspect ratios, a known format, quality an integer 0–100, raw a boolean, seed an
 * integer, reference image an http(s) URL, strength 0–1. The webview uses this too, to explain errors.
 */
export function validatePromptOptions(raw: unknown): FieldResult<PromptOptions> {
  if (!isPlainObject(raw)) return fail('options', 'must be an object');
  const extra = unknownKeys(raw, [
    'prompt',
    'aspectRatio',
    'outputFormat',
    'outputQuality',
    'raw',
    'seed',
    'imagePrompt',
    'imagePromptStrength',
  ]);
  if (extra) return fail(extra, 'unexpected field');
  if (typeof raw.prompt !== 'string' || raw.prompt.length > PROMPT_RAW_MAX_LENGTH) {
    return fail('prompt', 'must be a string');
  }
  const prompt = raw.prompt.trim();
  if (prompt.length < 1) return fail('prompt', 'is empty');
  if (prompt.length > PROMPT_MAX_LENGTH) return fail('prompt', `is longer than ${PROMPT_MAX_LENGTH} characters`);
  if (!isAspectRatio(raw.aspectRatio)) return fail('aspectRatio', 'is not a supported aspect ratio');
  if (!isOutputFormat(raw.outputFormat)) return fail('outputFormat', 'is not a supported format');
  if (!isIntegerIn(raw.outputQuality, 0, 100)) return fail('outputQuality', 'must be an integer from 0 to 100');
  if (typeof raw.raw !== 'boolean') return fail('raw', 'must be a boolean');
  const options: PromptOptions = {
    prompt,
    aspectRatio: raw.aspectRatio,
    outputFormat: raw.outputFormat,
    outputQuality: raw.outputQuality,
    raw: raw.raw,
  };
  if (raw.seed !== undefined) {
    if (!isIntegerIn(raw.seed, SEED_MIN, SEED_MAX)) return fail('seed', 'must be an integer');
    options.seed = raw.seed;
  }
  if (raw.imagePrompt !== undefined) {
    if (!isHttpUrl(raw.imagePrompt)) return fail('imagePrompt', 'must be an http(s) URL');
    options.imagePrompt = raw.imagePrompt;
  }
  if (raw.imagePromptStrength !== undefined) {
    const strength = raw.imagePromptStrength;
    if (typeof strength !== 'number' || !Number.isFinite(strength) || strength < 0 || strength > 1) {
      return fail('imagePromptStrength', 'must be a number from 0 to 1');
    }
    options.imagePromptStrength = strength;
  }
  return { ok: true, value: options };
}

/** An absolute http(s) URL with a host, no whitespace or control characters, at most 2048 characters. */
export function isHttpUrl(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= URL_MAX_LENGTH &&
    /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:[/?#][\x21-\x7e\u00a0-\uffff]*)?$/i.test(
      value,
    )
  );
}

/** Entry and message ids: 1–64 printable ASCII characters, no spaces. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]{1,64}$/.test(value);
}

const entryParams = (p: Record<string, unknown>): FieldResult<EntryParams> => {
  const extra = unknownKeys(p, ['entryId']);
  if (extra) return fail(extra, 'unexpected field');
  if (!isId(p.entryId)) return fail('entryId', 'must be an id');
  return { ok: true, value: { entryId: p.entryId } };
};

const emptyParams = (p: Record<string, unknown>): FieldResult<EmptyParams> => {
  const extra = unknownKeys(p, []);
  return extra ? fail(extra, 'unexpected field') : { ok: true, value: {} };
};

const paramValidators: { [M in CommandMethod]: (p: Record<string, unknown>) => FieldResult<CommandParamsMap[M]> } = {
  'gallery/ready': emptyParams,
  'gallery/generate': (p) => {
    const extra = unknownKeys(p, ['options']);
    if (extra) return fail(extra, 'unexpected field');
    const options = validatePromptOptions(p.options);
    return options.ok ? { ok: true, value: { options: options.value } } : fail(`options.${options.field}`, options.reason);
  },
  'gallery/importFromAccount': emptyParams,
  'entry/insert': entryParams,
  'entry/saveAs': entryParams,
  'entry/copyLink': entryParams,
  'entry/openFullSize': entryParams,
  'entry/useAsReference': entryParams,
  'entry/rerun': entryParams,
  'entry/vary': entryParams,
  'entry/delete': entryParams,
  'entry/thumbnail': (p) => {
    const extra = unknownKeys(p, ['entryId', 'dataUrl']);
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
  'entry/thumbnailFailed': (p) => {
    const extra = unknownKeys(p, ['entryId', 'reason']);
    if (extra) return fail(extra, 'unexpected field');
    if (!isId(p.entryId)) return fail('entryId', 'must be an id');
    if (typeof p.reason !== 'string' || p.reason.length > REASON_MAX_LENGTH) return fail('reason', 'must be a short string');
    return { ok: true, value: { entryId: p.entryId, reason: p.reason } };
  },
};

/** Light check of what the extension sends (trusted, but a stale webview may meet a newer extension). */
export function isExtensionMessage(raw: unknown): raw is ExtensionMessage {
  return (
    isPlainObject(raw) &&
    typeof raw.method === 'string' &&
    NOTIFICATION_METHODS.includes(raw.method as NotificationMethod) &&
    isPlainObject(raw.params)
  );
}

const NOTIFICATION_METHODS: readonly NotificationMethod[] = [
  InitNotification.method,
  EntriesChangedNotification.method,
  DefaultsChangedNotification.method,
  FillPromptBarNotification.method,
  DidCompleteNotification.method,
];

// ---------------------------------------------------------------------------------------------------
// Helpers

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The first own key not in `allowed`, if any. */
function unknownKeys(value: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) return key.slice(0, 64);
  return undefined;
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function fail(field: string, reason: string): { ok: false; field: string; reason: string } {
  return { ok: false, field, reason };
}

function reject(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
