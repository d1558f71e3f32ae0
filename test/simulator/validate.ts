// Request validation that mirrors Apiframe v2's OpenAPI schema for Flux 1.1 Pro Ultra (strict: unknown keys are 400).

import { ASPECT_RATIOS, MODEL_ID, OUTPUT_FORMATS, PROMPT_MAX_LENGTH } from './apiframe';

export type Details = Record<string, string[]>;

export const WEBHOOK_EVENTS = ['progress', 'completed', 'failed'] as const;
const TOP_LEVEL_KEYS = ['prompt', 'model', 'fluxParams', 'webhookUrl', 'webhookEvents'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

type Check = (value: unknown) => string | undefined;

const FLUX_PARAMS: Record<string, Check> = {
  aspect_ratio: (v) =>
    typeof v !== 'string' || !/^\d+:\d+$/.test(v)
      ? 'must match ^\\d+:\\d+$'
      : !(ASPECT_RATIOS as readonly string[]).includes(v)
        ? `must be one of ${ASPECT_RATIOS.join(', ')}`
        : undefined,
  image_prompt: (v) => (isHttpUrl(v) ? undefined : 'must be an http(s) URL'),
  image_prompt_strength: (v) => (isNum(v) && v >= 0 && v <= 1 ? undefined : 'must be a number between 0 and 1'),
  output_format: (v) =>
    typeof v === 'string' && (OUTPUT_FORMATS as readonly string[]).includes(v)
      ? undefined
      : `must be one of ${OUTPUT_FORMATS.join(', ')}`,
  output_quality: (v) => (isInt(v) && v >= 0 && v <= 100 ? undefined : 'must be an integer between 0 and 100'),
  raw: (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean'),
  seed: (v) => (isInt(v) ? undefined : 'must be an integer'),
  prompt_upsampling: (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean'),
  width: (v) => (isInt(v) && v >= 256 && v <= 2048 ? undefined : 'must be an integer between 256 and 2048'),
  height: (v) => (isInt(v) && v >= 256 && v <= 2048 ? undefined : 'must be an integer between 256 and 2048'),
  guidance: (v) => (isNum(v) && v >= 1 && v <= 10 ? undefined : 'must be a number between 1 and 10'),
  steps: (v) => (isInt(v) && v >= 1 && v <= 50 ? undefined : 'must be an integer between 1 and 50'),
  input_images: (v) =>
    Array.isArray(v) && v.length <= 10 && v.every(isHttpUrl) ? undefined : 'must be an array of http(s) URLs',
};

/** Returns undefined when valid, else the `details` object of the 400 response. */
export function validateGenerate(body: unknown): Details | undefined {
  const details: Details = {};
  const add = (path: string, message: string) => (details[path] ??= []).push(message);
  if (!isObject(body)) {
    add('body', 'must be a JSON object');
    return details;
  }
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL_KEYS.includes(key)) add(key, 'is not allowed');
  }
  const prompt = body.prompt;
  if (prompt === undefined) add('prompt', 'is required');
  else if (typeof prompt !== 'string') add('prompt', 'must be a string');
  else if (prompt.trim().length === 0) add('prompt', 'must not be empty');
  else if (prompt.length > PROMPT_MAX_LENGTH) add('prompt', `must be at most ${PROMPT_MAX_LENGTH} characters`);

  if (body.model === undefined) add('model', 'is required');
  else if (body.model !== MODEL_ID) add('model', `must be "${MODEL_ID}"`);

  if (body.fluxParams !== undefined) {
    if (!isObject(body.fluxParams)) add('fluxParams', 'must be an object');
    else {
      for (const [key, value] of Object.entries(body.fluxParams)) {
        const check = FLUX_PARAMS[key];
        if (!check) add(`fluxParams.${key}`, 'is not allowed');
        else {
          const message = check(value);
          if (message) add(`fluxParams.${key}`, message);
        }
      }
    }
  }
  if (body.webhookUrl !== undefined && !isHttpUrl(body.webhookUrl)) add('webhookUrl', 'must be an http(s) URL');
  if (body.webhookEvents !== undefined) {
    const ok =
      Array.isArray(body.webhookEvents) &&
      body.webhookEvents.every((e) => (WEBHOOK_EVENTS as readonly unknown[]).includes(e));
    if (!ok) add('webhookEvents', `must be an array of ${WEBHOOK_EVENTS.join(', ')}`);
  }
  return Object.keys(details).length ? details : undefined;
}
