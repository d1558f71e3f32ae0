// The one validator of generation options. The API client (before sending), the webview protocol (on
// arrival, and in the prompt bar before sending), and the settings reader all call it, and every message
// about a limit takes the limit from OPTION_LIMITS. Free of Node and DOM APIs.
import {
  ASPECT_RATIOS,
  OUTPUT_FORMATS,
  PROMPT_MAX_LENGTH,
  isAspectRatio,
  isOutputFormat,
  type GenerationOptions,
} from './options';
import { formatString } from './formatString';
import { checkHttpUrl, type UrlProblem } from './urls';

export const OPTION_LIMITS = {
  promptMaxLength: PROMPT_MAX_LENGTH,
  /** A raw prompt longer than this is refused before trimming (protects the trim from huge input). */
  promptRawMaxLength: 4 * PROMPT_MAX_LENGTH,
  qualityMin: 0,
  qualityMax: 100,
  strengthMin: 0,
  strengthMax: 1,
  /** The prompt bar and settings step; any value in range is accepted. */
  strengthStep: 0.05,
  seedMin: Number.MIN_SAFE_INTEGER,
  seedMax: Number.MAX_SAFE_INTEGER,
} as const;

export type OptionField = keyof GenerationOptions;

export type OptionProblem =
  | 'notText'
  | 'empty'
  | 'tooLong'
  | 'notOneOf'
  | 'notInteger'
  | 'notNumber'
  | 'outOfRange'
  | 'notBoolean'
  | 'unexpected'
  | UrlProblem;

export type OptionCheck<T> = { ok: true; value: T } | { ok: false; field: string; problem: OptionProblem };

type Rule<T> = (value: unknown) => { ok: true; value: T } | { ok: false; problem: OptionProblem };

const RULES: { [F in OptionField]-?: Rule<NonNullable<GenerationOptions[F]>> } = {
  prompt: (value) => {
    if (typeof value !== 'string') return { ok: false, problem: 'notText' };
    if (value.length > OPTION_LIMITS.promptRawMaxLength) return { ok: false, problem: 'tooLong' };
    const prompt = value.trim();
    if (!prompt) return { ok: false, problem: 'empty' };
    return prompt.length > OPTION_LIMITS.promptMaxLength ? { ok: false, problem: 'tooLong' } : { ok: true, value: prompt };
  },
  aspectRatio: (value) => (isAspectRatio(value) ? { ok: true, value } : { ok: false, problem: 'notOneOf' }),
  outputFormat: (value) => (isOutputFormat(value) ? { ok: true, value } : { ok: false, problem: 'notOneOf' }),
  outputQuality: (value) => integerIn(value, OPTION_LIMITS.qualityMin, OPTION_LIMITS.qualityMax),
  raw: (value) => (typeof value === 'boolean' ? { ok: true, value } : { ok: false, problem: 'notBoolean' }),
  seed: (value) => integerIn(value, OPTION_LIMITS.seedMin, OPTION_LIMITS.seedMax),
  imagePrompt: urlRule,
  imagePromptStrength: (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, problem: 'notNumber' };
    const { strengthMin, strengthMax } = OPTION_LIMITS;
    return value >= strengthMin && value <= strengthMax ? { ok: true, value } : { ok: false, problem: 'outOfRange' };
  },
  webhookUrl: urlRule,
};

const REQUIRED: readonly OptionField[] = ['prompt', 'aspectRatio', 'outputFormat', 'outputQuality', 'raw'];

/** The fields the gallery's prompt bar may send (the webhook is a user setting the extension adds). */
export const PROMPT_BAR_FIELDS: readonly OptionField[] = [...REQUIRED, 'seed', 'imagePrompt', 'imagePromptStrength'];
const ALL_FIELDS: readonly OptionField[] = [...PROMPT_BAR_FIELDS, 'webhookUrl'];

/** Checks one option (e.g. a setting read on its own). */
export function checkOption<F extends OptionField>(field: F, value: unknown): OptionCheck<NonNullable<GenerationOptions[F]>> {
  const result = RULES[field](value);
  return result.ok ? (result as { ok: true; value: NonNullable<GenerationOptions[F]> }) : { ok: false, field, problem: result.problem };
}

/**
 * Checks untrusted options: a plain object with only the `allowed` fields, the required ones present,
 * each within its limits. Returns a fresh object (prompt trimmed; absent optional fields left out).
 */
export function parseGenerationOptions(raw: unknown, allowed: readonly OptionField[] = ALL_FIELDS): OptionCheck<GenerationOptions> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, field: 'options', problem: 'unexpected' };
  const record = raw as Record<string, unknown>;
  const extra = Object.keys(record).find((key) => !(allowed as readonly string[]).includes(key));
  if (extra !== undefined) return { ok: false, field: extra.slice(0, 64), problem: 'unexpected' };
  const options: Partial<Record<OptionField, unknown>> = {};
  for (const field of allowed) {
    const value = record[field];
    if (value === undefined && !REQUIRED.includes(field)) continue;
    const result = checkOption(field, value);
    if (!result.ok) return result;
    options[field] = result.value;
  }
  return { ok: true, value: options as unknown as GenerationOptions };
}

/**
 * How each option's rule is put into words — the one table. English with named placeholders that
 * optionRuleText fills from OPTION_LIMITS; the extension translates these sentences with l10n (they are
 * bundle keys: test/support/l10nStrings.ts reads this table), the gallery gets them translated in its
 * string table, and the API client and the agent tool use the English.
 */
export const OPTION_RULES_EN = {
  optionPrompt: 'The prompt must be 1 to {max} characters.',
  optionPromptEmpty: 'The prompt is empty. Describe the image to generate.',
  optionPromptTooLong: 'The prompt is {length} characters long; Flux accepts 1 to {max}. Shorten it.',
  optionAspectRatio: 'The aspect ratio must be one of {values}.',
  optionOutputFormat: 'The output format must be one of {values}.',
  optionOutputQuality: 'The output quality must be a whole number from {min} to {max}.',
  optionRaw: 'Raw must be true or false.',
  optionSeed: 'The seed must be a whole number (or empty for a random one).',
  optionImagePrompt: 'The reference image must be an http(s) URL without a user name or password.',
  optionImagePromptStrength: 'The reference strength must be a number from {min} to {max}.',
  optionWebhookUrl: 'The webhook URL must be an http(s) URL without a user name or password.',
  optionUnexpected: 'Unexpected option "{field}".',
} as const;

export type OptionRuleKey = keyof typeof OPTION_RULES_EN;

/** Which sentence of OPTION_RULES_EN says what is wrong with a field, and its placeholder values. */
export interface OptionRuleText {
  key: OptionRuleKey;
  values: Record<string, string | number>;
}

/**
 * The sentence for a field's rule (the prompt's says whether it is empty or how long it is when the
 * problem and the refused value are known).
 */
export function optionRuleText(field: string, problem?: OptionProblem, value?: unknown): OptionRuleText {
  const L = OPTION_LIMITS;
  switch (field) {
    case 'prompt':
      if (problem === 'empty') return { key: 'optionPromptEmpty', values: {} };
      return typeof value === 'string' && problem === 'tooLong'
        ? { key: 'optionPromptTooLong', values: { length: value.trim().length, max: L.promptMaxLength } }
        : { key: 'optionPrompt', values: { max: L.promptMaxLength } };
    case 'aspectRatio':
      return { key: 'optionAspectRatio', values: { values: ASPECT_RATIOS.join(', ') } };
    case 'outputFormat':
      return { key: 'optionOutputFormat', values: { values: OUTPUT_FORMATS.join(', ') } };
    case 'outputQuality':
      return { key: 'optionOutputQuality', values: { min: L.qualityMin, max: L.qualityMax } };
    case 'raw':
      return { key: 'optionRaw', values: {} };
    case 'seed':
      return { key: 'optionSeed', values: {} };
    case 'imagePrompt':
      return { key: 'optionImagePrompt', values: {} };
    case 'imagePromptStrength':
      return { key: 'optionImagePromptStrength', values: { min: L.strengthMin, max: L.strengthMax } };
    case 'webhookUrl':
      return { key: 'optionWebhookUrl', values: {} };
    default:
      return { key: 'optionUnexpected', values: { field: field.slice(0, 64) } };
  }
}

/** The English sentence for a problem (the API client's errors, the agent tool's refusals). */
export function describeOptionProblem(field: string, problem: OptionProblem, value?: unknown): string {
  const { key, values } = optionRuleText(field, problem, value);
  return formatString(OPTION_RULES_EN[key], values);
}

function integerIn(value: unknown, min: number, max: number): { ok: true; value: number } | { ok: false; problem: OptionProblem } {
  if (typeof value !== 'number' || !Number.isInteger(value)) return { ok: false, problem: 'notInteger' };
  return value >= min && value <= max ? { ok: true, value } : { ok: false, problem: 'outOfRange' };
}

function urlRule(value: unknown): { ok: true; value: string } | { ok: false; problem: OptionProblem } {
  const check = checkHttpUrl(value);
  return check.ok ? { ok: true, value: check.url } : { ok: false, problem: check.problem };
}
