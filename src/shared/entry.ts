// A gallery entry is one generation: from the user's action, through the server job, to the stored
// image. The job engine and the gallery share this record, so a paid result is tracked in one place.
import type { GenerationOptions } from './options';

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
}

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

/**
 * A stored entry as this version understands it, or undefined when the value is not an entry at
 * all. Entries written by 0.1.0 (an English `error`, `detached` for "stopped waiting") are mapped:
 * a detached unfinished job becomes paused, and an old sentence is kept as a legacy reason.
 */
export function normalizeEntry(value: unknown): GalleryEntry | undefined {
  const record = asRecord(value);
  const options = asRecord(record?.options);
  if (!record || !options || typeof record.id !== 'string' || !record.id || typeof options.prompt !== 'string') return undefined;
  if (!ENTRY_STATES.includes(record.state as EntryState) || typeof record.createdAt !== 'number') return undefined;
  const { error, detached, reason, groupId, variantIndex, starred, targetFile, ...rest } = record;
  const entry = { ...rest, progress: typeof record.progress === 'number' ? record.progress : 0 } as unknown as GalleryEntry;
  // Kept only with the right type: a wrong one would make Keep delete the wrong entries, or none.
  if (typeof groupId === 'string' && groupId) entry.groupId = groupId;
  if (Number.isSafeInteger(variantIndex) && (variantIndex as number) >= 0) entry.variantIndex = variantIndex as number;
  if (starred === true) entry.starred = true;
  const target = asRecord(targetFile);
  if (typeof target?.uri === 'string' && typeof target.folder === 'string') entry.targetFile = target as unknown as TargetFile;
  const legacy = typeof error === 'string' && error ? { kind: REASON_KINDS.legacyMessage, params: { message: error.slice(0, REASON_TEXT_MAX_LENGTH) } } : undefined;
  const parsedReason = parseReason(reason) ?? legacy;
  if (detached === true && isRunning(entry.state)) {
    entry.state = 'paused';
    entry.reason = parsedReason ?? { kind: REASON_KINDS.stoppedWaiting };
  } else if (parsedReason && (entry.state === 'paused' || entry.state === 'failed')) {
    entry.reason = parsedReason; // a reason only means something for these two states
  }
  return entry;
}
