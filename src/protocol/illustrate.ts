// The Illustrate plan view's messages, strings and their run-time checks. The webview is untrusted: every
// message it sends is checked here on arrival (exact fields, known ids, lengths within limits). Free of Node
// and DOM APIs: the extension and the plan page both compile it.
import { PROMPT_MAX_LENGTH, isAspectRatio, type AspectRatio } from '../shared/options';
import { isId, isPlainObject, unknownKey } from './validate';

/** Rows a plan shows at most (one per section). */
export const PLAN_ROWS_MAX = 30;
/** The style line, at most this long (it is appended to every prompt). */
export const STYLE_MAX_LENGTH = 200;
/** The style presets, offered before free text: what goes into prompts (English), and the key of each button's label. */
export const STYLE_PRESETS = [
  { style: 'watercolour', label: 'presetWatercolour' },
  { style: 'isometric 3D', label: 'presetIsometric' },
  { style: 'flat illustration', label: 'presetFlat' },
  { style: 'photo', label: 'presetPhoto' },
] as const;

/** Where a row's image is. */
export type RowStatus =
  | { kind: 'planned' }
  /** The section had an image before (or got one from an earlier run). */
  | { kind: 'hasImage' }
  | { kind: 'waiting' }
  | { kind: 'running'; progress: number }
  | { kind: 'placed' }
  /** Done, but its section was gone: the image waits in the gallery. */
  | { kind: 'inGallery' }
  /** Not started (Cancel) or stopped: nothing was paid. */
  | { kind: 'notStarted' }
  | { kind: 'failed'; reason: string };

export interface PlanRow {
  id: string;
  heading: string;
  /** 1–6 (0: an AsciiDoc document title), for the indentation. */
  level: number;
  prompt: string;
  aspectRatio: AspectRatio;
  checked: boolean;
  status: RowStatus;
}

export interface PlanBoot {
  documentName: string;
  rows: PlanRow[];
  /** The document's aspect ratio: what its rows start with, and what the ratio of every row is set to at once. */
  aspectRatio: AspectRatio;
  style: string;
  /** Credits per image, from the one price source; `approximate` when Apiframe gives a range. */
  price: { credits: number; approximate: boolean };
  /** The prompts came from a language model (else from the headings and first sentences). */
  promptsByModel: boolean;
  strings: PlanStrings;
}

/** What Generate and Retry send: the rows to make, as the user left them. */
export interface RowRequest {
  id: string;
  prompt: string;
  aspectRatio: AspectRatio;
}

export type PlanMessage =
  /** `aspectRatio`: the document's ratio as the user left it (remembered for its next plan). */
  | { method: 'plan/generate'; params: { rows: RowRequest[]; style: string; aspectRatio: AspectRatio } }
  | { method: 'plan/retry'; params: { row: RowRequest; style: string } }
  | { method: 'plan/cancel'; params: Record<string, never> };

export type PlanNotification =
  | { method: 'plan/status'; params: { id: string; status: RowStatus } }
  | { method: 'plan/running'; params: { running: boolean } }
  /** Apiframe's price list was read after the page was built (the page starts with the price known then). */
  | { method: 'plan/price'; params: { price: PlanBoot['price'] } };

export const PLAN_STRINGS_EN = {
  title: 'Illustrate {document}',
  intro: 'One image per section, after its first paragraph. Edit the prompts, choose which sections get one, and set one style for all of them.',
  promptsByModel: 'The prompts were written by a language model from each section.',
  promptsByHeadings: 'The prompts are made from each heading and the first sentence of its section.',
  style: 'Style',
  documentRatio: 'Aspect ratio of every image',
  stylePlaceholder: 'Added to every prompt, e.g. watercolour',
  stylePresets: 'Style presets',
  presetWatercolour: 'watercolour',
  presetIsometric: 'isometric 3D',
  presetFlat: 'flat illustration',
  presetPhoto: 'photo',
  include: 'Illustrate “{heading}”',
  prompt: 'Prompt for “{heading}”',
  aspectRatio: 'Aspect ratio for “{heading}”',
  generate: 'Generate {count} images · {credits} credits',
  generateOne: 'Generate 1 image · {credits} credits',
  generateNone: 'Choose sections to illustrate',
  approximateCredits: 'about {credits}',
  cancel: 'Cancel',
  retry: 'Retry',
  retryRow: 'Retry “{heading}”',
  noSections: 'This document has no sections to illustrate: each needs a heading and a paragraph.',
  statusHasImage: 'Has an image',
  statusWaiting: 'Waiting',
  statusRunning: 'Generating {progress} %',
  statusPlaced: 'Inserted',
  statusInGallery: 'Its section is gone: the image waits in the gallery',
  statusNotStarted: 'Not started, nothing paid',
  statusFailed: 'Failed: {reason}',
} as const;
export type PlanStringKey = keyof typeof PLAN_STRINGS_EN;
export type PlanStrings = Record<PlanStringKey, string>;
export const PLAN_STRING_KEYS = Object.keys(PLAN_STRINGS_EN) as PlanStringKey[];

export type PlanParse = { ok: true; msg: PlanMessage } | { ok: false; reason: string };

/** Checks a message from the plan page; `rowIds` are the rows the plan has. */
export function parsePlanMessage(raw: unknown, rowIds: ReadonlySet<string>): PlanParse {
  if (!isPlainObject(raw) || unknownKey(raw, ['id', 'method', 'params']) || !isId(raw.id) || !isPlainObject(raw.params)) return { ok: false, reason: 'malformed message' };
  const { method, params } = raw;
  if (method === 'plan/cancel') return unknownKey(params, []) ? { ok: false, reason: 'plan/cancel takes no params' } : { ok: true, msg: { method, params: {} } };
  if (unknownKey(params, method === 'plan/generate' ? ['rows', 'style', 'aspectRatio'] : ['row', 'style'])) return { ok: false, reason: `${String(method).slice(0, 32)}: unexpected field` };
  const style = params.style;
  if (typeof style !== 'string' || style.length > STYLE_MAX_LENGTH) return { ok: false, reason: `style must be a string of at most ${STYLE_MAX_LENGTH} characters` };
  if (method === 'plan/retry') {
    const row = rowRequest(params.row, rowIds);
    return row ? { ok: true, msg: { method, params: { row, style: style.trim() } } } : { ok: false, reason: 'plan/retry: bad row' };
  }
  if (method === 'plan/generate') {
    const { rows, aspectRatio } = params;
    if (!isAspectRatio(aspectRatio)) return { ok: false, reason: 'plan/generate: aspectRatio must be one of the aspect ratios' };
    if (!Array.isArray(rows) || rows.length > PLAN_ROWS_MAX) return { ok: false, reason: `plan/generate: rows must be a list of at most ${PLAN_ROWS_MAX}` };
    const checked = rows.map((row) => rowRequest(row, rowIds));
    if (checked.some((row) => !row) || new Set(checked.map((row) => row!.id)).size !== checked.length) return { ok: false, reason: 'plan/generate: bad or repeated row' };
    return { ok: true, msg: { method, params: { rows: checked as RowRequest[], style: style.trim(), aspectRatio } } };
  }
  return { ok: false, reason: `unknown method ${JSON.stringify(String(method).slice(0, 32))}` };
}

function rowRequest(raw: unknown, rowIds: ReadonlySet<string>): RowRequest | undefined {
  if (!isPlainObject(raw) || unknownKey(raw, ['id', 'prompt', 'aspectRatio'])) return undefined;
  const { id, prompt, aspectRatio } = raw;
  if (typeof id !== 'string' || !rowIds.has(id) || !isAspectRatio(aspectRatio) || typeof prompt !== 'string') return undefined;
  const trimmed = prompt.trim();
  return trimmed && trimmed.length <= PROMPT_MAX_LENGTH ? { id, prompt: trimmed, aspectRatio } : undefined;
}

/** Light check of what the extension sends the page (trusted, but checked for shape). */
export function isPlanNotification(raw: unknown): raw is PlanNotification {
  return isPlainObject(raw) && (raw.method === 'plan/status' || raw.method === 'plan/running' || raw.method === 'plan/price') && isPlainObject(raw.params);
}
