// The generation record: what Flux Studio writes into an image file and reads back for "Re-run with its
// settings". Everything read from a file is untrusted. Reading only gives each field its type (a record
// without the fields a re-run needs is no record at all); limits and the URL rule are the options
// validator's job, which every re-run goes through (see optionsFromRecord).
import type { GalleryEntry } from '../shared/entry';
import { AspectRatio, GenerationOptions, MODEL_ID, OutputFormat, isAspectRatio, isOutputFormat } from '../shared/options';

/** Names us in the Software / CreatorTool tags, followed by the version. */
export const SOFTWARE_NAME = 'Flux Studio';

export interface GenerationRecord {
  prompt: string;
  /** The user's own text when `prompt` is a language model's rewrite of it. */
  originalPrompt?: string;
  /** Always MODEL_ID when we write it; kept as text on read so another model is visible, not silently renamed. */
  model: string;
  /** The seed we sent; absent when the server chose a random one. */
  seed?: number;
  aspectRatio: AspectRatio;
  raw: boolean;
  /** Reference image URL. */
  imagePrompt?: string;
  imagePromptStrength?: number;
  outputFormat: OutputFormat;
  outputQuality?: number;
  jobId?: string;
  /** ISO 8601 creation time (always written; absent on read when the file's is missing or invalid). */
  createdAt?: string;
}

/** The record of a gallery entry's generation. */
export function recordFromEntry(entry: GalleryEntry): GenerationRecord {
  const { options } = entry;
  return withoutUndefined({
    prompt: options.prompt,
    originalPrompt: entry.originalPrompt,
    model: MODEL_ID,
    seed: options.seed,
    aspectRatio: options.aspectRatio,
    raw: options.raw,
    imagePrompt: options.imagePrompt,
    imagePromptStrength: options.imagePrompt === undefined ? undefined : options.imagePromptStrength,
    outputFormat: options.outputFormat,
    outputQuality: options.outputQuality,
    jobId: entry.jobId,
    createdAt: new Date(entry.completedAt ?? entry.createdAt).toISOString(),
  });
}

/** The options that generate the same image again. Unchecked: run them through the options validator before use. */
export function optionsFromRecord(record: GenerationRecord, defaultQuality: number): GenerationOptions {
  return {
    prompt: record.prompt,
    aspectRatio: record.aspectRatio,
    outputFormat: record.outputFormat,
    outputQuality: record.outputQuality ?? defaultQuality,
    raw: record.raw,
    seed: record.seed,
    imagePrompt: record.imagePrompt,
    imagePromptStrength: record.imagePromptStrength,
  };
}

/** The record's fields as text, in the order they are written (undefined fields left out). */
export function recordFields(record: GenerationRecord): Array<[keyof GenerationRecord, string]> {
  const fields: Array<[keyof GenerationRecord, string | number | boolean | undefined]> = [
    ['model', record.model],
    ['originalPrompt', record.originalPrompt],
    ['seed', record.seed],
    ['aspectRatio', record.aspectRatio],
    ['raw', record.raw ? 'True' : 'False'], // XMP Boolean spelling
    ['imagePrompt', record.imagePrompt],
    ['imagePromptStrength', record.imagePromptStrength],
    ['outputFormat', record.outputFormat],
    ['outputQuality', record.outputQuality],
    ['jobId', record.jobId],
  ];
  return fields.filter((field): field is [keyof GenerationRecord, string | number] => field[1] !== undefined).map(([name, value]) => [name, String(value)]);
}

const MAX_TEXT = 4096;

/** Rebuilds a record from text fields read from a file, or undefined when a required field is missing or wrong. */
export function parseRecordFields(fields: ReadonlyMap<string, string>, prompt: string | undefined, createdAt: string | undefined): GenerationRecord | undefined {
  const model = shortText(fields.get('model'));
  const aspectRatio = fields.get('aspectRatio');
  const outputFormat = fields.get('outputFormat');
  const raw = fields.get('raw');
  if (!prompt || !model || !isAspectRatio(aspectRatio) || !isOutputFormat(outputFormat) || (raw !== 'True' && raw !== 'False')) return undefined;
  const imagePrompt = shortText(fields.get('imagePrompt'));
  return withoutUndefined({
    prompt,
    originalPrompt: shortText(fields.get('originalPrompt')),
    model,
    seed: integer(fields.get('seed')),
    aspectRatio,
    raw: raw === 'True',
    imagePrompt,
    imagePromptStrength: imagePrompt === undefined ? undefined : decimal(fields.get('imagePromptStrength')),
    outputFormat,
    outputQuality: integer(fields.get('outputQuality')),
    jobId: shortText(fields.get('jobId')),
    createdAt: createdAt !== undefined && !Number.isNaN(Date.parse(createdAt)) ? createdAt : undefined,
  });
}

/** The same object without its undefined fields, so a record read back equals the one written. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function shortText(value: string | undefined): string | undefined {
  return value && value.length <= MAX_TEXT ? value : undefined;
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d{1,16}$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}

function decimal(value: string | undefined): number | undefined {
  return value !== undefined && /^-?\d{1,20}(\.\d{1,20})?(e[-+]?\d{1,3})?$/i.test(value) ? Number(value) : undefined;
}
