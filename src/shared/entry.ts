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
  | 'completed'
  | 'failed';

export const TERMINAL_STATES: readonly EntryState[] = ['completed', 'failed'];

/** Where the prompt came from, so "Insert into workspace" can go back to it. */
export interface PromptSource {
  documentUri: string;
  languageId: string;
  /** Offsets of the selection the prompt was taken from, when it was a selection. */
  selection?: { start: number; end: number };
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
  /** Human-readable reason for `failed`. */
  error?: string;
  /** True when the user stopped waiting; the job keeps running on the server and can be collected. */
  detached?: boolean;
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
  /** Came from "Import from account" rather than from this machine. */
  imported?: boolean;
}

export function isTerminal(state: EntryState): boolean {
  return TERMINAL_STATES.includes(state);
}
