// A gallery entry is one generation: from the user's action, through the server job, to the stored
// image. The job engine and the gallery share this record, so a paid result is tracked in one place.
import type { GenerationOptions } from './options';
import { parseGenerationOptions, type OptionField } from './optionsSchema';

/** Every option an entry may have stored (the webhook included: it was sent). */
const STORED_OPTION_FIELDS: readonly OptionField[] = ['prompt', 'aspectRatio', 'outputFormat', 'outputQuality', 'raw', 'seed', 'imagePrompt', 'imagePromptStrength', 'webhookUrl'];

export type EntryState =
  /** Accepted locally, the submit has not been answered yet. */
  | 'submitting'
  | 'queued'
  | 'processing'
  /** The server finished; the image is being copied into our storage. */
  | 'downloading'
  /** Nobody works on the job until the user asks (Retry / Resume); `reason` says why. */
  | 'paused'
  | 'completed'
  | 'failed';

export const ENTRY_STATES: readonly EntryState[] = ['submitting', 'queued', 'processing', 'downloading', 'paused', 'completed', 'failed'];
export const TERMINAL_STATES: readonly EntryState[] = ['completed', 'failed'];
/** Some window is (or should be) working on the job; a window that closed leaves these to another. */
export const RUNNING_STATES: readonly EntryState[] = ['submitting', 'queued', 'processing', 'downloading'];

/**
 * Each state's name as people read it — the one table for progress notifications, Show Jobs and the
 * gallery's cards. English with named placeholders, translated by the English text like the gallery's
 * strings (test/support/l10nStrings.ts reads this table; the gallery table spreads it).
 */
export const STATE_NAMES_EN = {
  stateNameSubmitting: 'Submitting',
  stateNameQueued: 'Queued',
  stateNameProcessing: 'Generating {progress}%',
  stateNameDownloading: 'Downloading',
  stateNamePaused: 'Paused',
  stateNameCompleted: 'Done',
  stateNameFailed: 'Failed',
} as const;

export const STATE_NAME_KEYS: Readonly<Record<EntryState, keyof typeof STATE_NAMES_EN>> = {
  submitting: 'stateNameSubmitting',
  queued: 'stateNameQueued',
  processing: 'stateNameProcessing',
  downloading: 'stateNameDownloading',
  paused: 'stateNamePaused',
  completed: 'stateNameCompleted',
  failed: 'stateNameFailed',
};

/**
 * Why an entry is paused or failed, as data: the UI renders it in the display language when shown.
 * `kind` is an error kind (`ApiError` kinds such as 'invalidKey', 'storage', 'notFound'…) or one of
 * REASON_KINDS; `params` carries its details (HTTP status, field, credits, the server's own text…).
 */
export interface EntryReason {
  kind: string;
  params?: Record<string, string | number | boolean>;
}

/** The reasons the engine and the store give themselves (error kinds come from the errors). */
export const REASON_KINDS = {
  /** The user stopped waiting; the job goes on at Apiframe. */
  stoppedWaiting: 'stoppedWaiting',
  /** Apiframe answered FAILED; `params.message` is the server's own text (outside text: show as text). */
  jobFailed: 'jobFailed',
  /** Apiframe answered CANCELLED. */
  jobCancelled: 'jobCancelled',
  /** Apiframe deleted the image files before they could be saved. */
  imageExpired: 'imageExpired',
  /** A window without the key handed the job over, no window took it, and the user declined to set a key. */
  noKey: 'noKey',
  /** Something we did not foresee; details are in the log. */
  unexpected: 'unexpected',
  /** An entry stored by version 0.1.0 with an English sentence in `params.message`. */
  legacyMessage: 'legacyMessage',
} as const;

/** The longest outside text (a server's failure text) kept in a reason. */
export const REASON_TEXT_MAX_LENGTH = 500;

/** Where the prompt came from, so "Insert into workspace" can go back to it. */
export interface PromptSource {
  documentUri: string;
  languageId: string;
  /** Offsets of the selection the prompt was taken from, when it was a selection. */
  selection?: { start: number; end: number };
}

/**
 * Where "Generate Missing Image with Flux" writes the result: exactly the file a document links to.
 * Kept on the entry so that whichever window finishes the job, now or after a reload, writes it.
 */
export interface TargetFile {
  /** File URI of the image to create (never written over an existing file). */
  uri: string;
  /** File URI of the workspace folder it must stay inside (real paths, checked again when written). */
  folder: string;
  /** Set once handled, so that no window handles it twice. */
  outcome?: 'written' | 'exists' | 'refused' | 'failed';
}

export interface GalleryEntry {
  /** Local id (UUID). Also the Idempotency-Key of the submit, so every retry is the same action. */
  id: string;
  /** Server job id, set the moment the 202 arrives. */
  jobId?: string;
  options: GenerationOptions;
  state: EntryState;
  /** 0–100 as reported by the server. */
  progress: number;
  /** Why the entry is `paused` or `failed`. */
  reason?: EntryReason;
  createdAt: number;
  /** When the server accepted the job (ms since epoch). */
  acceptedAt?: number;
  completedAt?: number;
  creditCost?: number;
  /** File name inside the gallery's image folder once stored. */
  imageFile?: string;
  thumbFile?: string;
  width?: number;
  height?: number;
  byteSize?: number;
  source?: PromptSource;
  /** Came from "Import from account" rather than from this machine: part of a batch, not one notification each. */
  imported?: boolean;
  /**
   * Started by a window without the API key and worked on by a window that has it (see jobs/keyHolders.ts):
   * the starting window reports it, the working window does not.
   */
  delegated?: boolean;
  /** Shared by the variants of one request (same prompt and settings, different seeds); absent for a single image. */
  groupId?: string;
  /** 0-based position of this variant in its group. */
  variantIndex?: number;
  /** Marked by the user; bulk deletions (Keep) never remove a starred entry. */
  starred?: boolean;
  targetFile?: TargetFile;
  /** The user's own text when `options.prompt` is a language model's rewrite of it (fluxStudio.prompt.enhance). */
  originalPrompt?: string;
}

/** The longest original prompt an entry keeps (a rewrite may condense a longer selection). */
export const ORIGINAL_PROMPT_MAX_LENGTH = 2048;

export function isTerminal(state: EntryState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function isRunning(state: EntryState): boolean {
  return RUNNING_STATES.includes(state);
}

/** Own properties of an error that are not details: English text, or local paths and internals. */
const NOT_DETAILS = new Set(['kind', 'name', 'message', 'stack', 'cause', 'path', 'dest', 'errno', 'syscall']);
const DETAIL_TEXT_MAX_LENGTH = 200;

/**
 * The stored form of an error: its `kind` and its detail fields (whatever an error class sets on
 * itself: status, field, creditsRequired…, a file-system `code`), never its English message. An
 * error without a kind is a storage problem when it carries a file-system code, else unexpected.
 */
export function reasonFromError(error: unknown): EntryReason {
  const record = (error !== null && typeof error === 'object' ? error : {}) as Record<string, unknown>;
  const kind =
    typeof record.kind === 'string' && record.kind
      ? record.kind
      : record.name === 'StorageError' || (typeof record.code === 'string' && /^E[A-Z]+$/.test(record.code))
        ? 'storage'
        : REASON_KINDS.unexpected;
  const params: Record<string, string | number | boolean> = {};
  for (const [field, value] of Object.entries(record)) {
    if (NOT_DETAILS.has(field)) continue;
    if (typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= DETAIL_TEXT_MAX_LENGTH)) params[field] = value;
  }
  return Object.keys(params).length > 0 ? { kind, params } : { kind };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseReason(value: unknown): EntryReason | undefined {
  const record = asRecord(value);
  if (!record || typeof record.kind !== 'string') return undefined;
  const params = asRecord(record.params);
  if (!params) return { kind: record.kind };
  const kept: Record<string, string | number | boolean> = {};
  for (const [key, param] of Object.entries(params)) {
    if (typeof param === 'string' || typeof param === 'number' || typeof param === 'boolean') kept[key] = param;
  }
  return { kind: record.kind, params: kept };
}

/** The entry stored as `raw` under `id`, or undefined when the text is damaged or not that entry. */
export function parseEntry(raw: string, id: string): GalleryEntry | undefined {
  try {
    const entry = normalizeEntry(JSON.parse(raw));
    return entry?.id === id ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** A stored field of the wrong type: the whole entry is set aside (quarantined), the others keep working. */
class MalformedEntry extends Error {}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 2048;
/** A file name inside the gallery's folders: never a path. */
const isStoredFileName = (value: unknown): value is string => isText(value) && !/[\\/\u0000]/.test(value) && value !== '.' && value !== '..';
const TARGET_OUTCOMES: readonly string[] = ['written', 'exists', 'refused', 'failed'];

/** `record[field]` when present and `valid`; absent stays absent; anything else makes the entry malformed. */
function field<T>(record: Record<string, unknown>, name: string, valid: (value: unknown) => value is T): T | undefined {
  const value = record[name];
  if (value === undefined) return undefined;
  if (!valid(value)) throw new MalformedEntry(name);
  return value;
}

function parseSource(value: unknown): value is PromptSource {
  const source = asRecord(value);
  if (!source || !isText(source.documentUri) || !isText(source.languageId)) return false;
  const selection = source.selection === undefined ? {} : asRecord(source.selection);
  return !!selection && (source.selection === undefined || (Number.isSafeInteger(selection.start) && Number.isSafeInteger(selection.end)));
}

function isTargetFile(value: unknown): value is TargetFile {
  const target = asRecord(value);
  return !!target && isText(target.uri) && isText(target.folder) && (target.outcome === undefined || TARGET_OUTCOMES.includes(target.outcome as string));
}

/** The known option fields of a stored entry, checked with the one options schema. */
function parseStoredOptions(value: unknown): GenerationOptions {
  const record = asRecord(value);
  if (!record) throw new MalformedEntry('options');
  const known = Object.fromEntries(Object.entries(record).filter(([key]) => (STORED_OPTION_FIELDS as readonly string[]).includes(key)));
  const parsed = parseGenerationOptions(known, STORED_OPTION_FIELDS);
  if (!parsed.ok) throw new MalformedEntry(`options.${parsed.field}`);
  return parsed.value;
}

/**
 * A stored entry as this version understands it, field by field (unknown fields are dropped, a known field of
 * the wrong type makes the entry unreadable), or undefined when the value is not an entry. Entries written
 * by 0.1.0 (an English `error`, `detached` for "stopped waiting") are mapped: a detached unfinished job
 * becomes paused, and an old sentence is kept as a legacy reason.
 */
export function normalizeEntry(value: unknown): GalleryEntry | undefined {
  const record = asRecord(value);
  if (!record || !isText(record.id) || !ENTRY_STATES.includes(record.state as EntryState) || !isCount(record.createdAt)) return undefined;
  try {
    const entry: GalleryEntry = {
      id: record.id,
      options: parseStoredOptions(record.options),
      state: record.state as EntryState,
      progress: isCount(record.progress) ? Math.min(100, record.progress) : 0,
      createdAt: record.createdAt,
    };
    const optional = {
      jobId: field(record, 'jobId', isText),
      acceptedAt: field(record, 'acceptedAt', isCount),
      completedAt: field(record, 'completedAt', isCount),
      creditCost: field(record, 'creditCost', isCount),
      imageFile: field(record, 'imageFile', isStoredFileName),
      thumbFile: field(record, 'thumbFile', isStoredFileName),
      width: field(record, 'width', isCount),
      height: field(record, 'height', isCount),
      byteSize: field(record, 'byteSize', isCount),
      source: field(record, 'source', parseSource),
      imported: field(record, 'imported', (v): v is boolean => typeof v === 'boolean'),
      delegated: field(record, 'delegated', (v): v is boolean => typeof v === 'boolean'),
      targetFile: field(record, 'targetFile', isTargetFile),
      originalPrompt: field(record, 'originalPrompt', isText),
    };
    for (const [name, fieldValue] of Object.entries(optional)) if (fieldValue !== undefined) (entry as unknown as Record<string, unknown>)[name] = fieldValue;
    if (entry.source) entry.source = { documentUri: entry.source.documentUri, languageId: entry.source.languageId, ...(entry.source.selection ? { selection: { start: entry.source.selection.start, end: entry.source.selection.end } } : {}) };
    if (entry.targetFile) entry.targetFile = { uri: entry.targetFile.uri, folder: entry.targetFile.folder, ...(entry.targetFile.outcome ? { outcome: entry.targetFile.outcome } : {}) };
    // Kept only with the right type: a wrong one would make Keep delete the wrong entries, or none.
    if (typeof record.groupId === 'string' && record.groupId) entry.groupId = record.groupId;
    if (Number.isSafeInteger(record.variantIndex) && (record.variantIndex as number) >= 0) entry.variantIndex = record.variantIndex as number;
    if (record.starred === true) entry.starred = true;
    const legacy = typeof record.error === 'string' && record.error ? { kind: REASON_KINDS.legacyMessage, params: { message: record.error.slice(0, REASON_TEXT_MAX_LENGTH) } } : undefined;
    const parsedReason = parseReason(record.reason) ?? legacy;
    if (record.detached === true && isRunning(entry.state)) {
      entry.state = 'paused';
      entry.reason = parsedReason ?? { kind: REASON_KINDS.stoppedWaiting };
    } else if (parsedReason && (entry.state === 'paused' || entry.state === 'failed')) {
      entry.reason = parsedReason; // a reason only means something for these two states
    }
    return entry;
  } catch (error) {
    if (error instanceof MalformedEntry) return undefined;
    throw error;
  }
}
