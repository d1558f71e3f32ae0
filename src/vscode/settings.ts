// Reads the fluxStudio.* settings. Values are untrusted: a cloned repository writes .vscode/settings.json.
// - Settings that send data somewhere (apiBaseUrl: where the key goes; webhookUrl: who receives job
//   events) are read from the user's own settings only; a workspace value is ignored with a warning.
// - Hand-edited values of the wrong type or out of range fall back to the default and are reported with
//   the setting's name, never sent to the API. Every check is the one options schema's.
import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import { checkApiBaseUrl } from '../api/baseUrl';
import { checkOption, OPTION_LIMITS } from '../shared/optionsSchema';
import { parseEnhanceMode, type EnhanceMode } from '../shared/promptEnhance';
import { GENERATION_DEFAULTS, GenerationOptions } from '../shared/options';
import { isVariantCount, VARIANTS_MAX, VARIANTS_MIN } from '../shared/variants';
import { describeOptionRule } from './optionRules';
import { showInfo } from './ui/show';
import { join, l10n, type SafeText } from './ui/text';

export const SECTION = 'fluxStudio';
export const DEFAULT_API_BASE_URL = 'https://api.apiframe.ai';

export type GenerationDefaults = Omit<GenerationOptions, 'prompt'> & { imagePromptStrength: number };

export interface SettingsReading<T> {
  value: T;
  /** One localized sentence per setting that was ignored. */
  problems: SafeText[];
}

/** Settings renamed so that one concept has one name: new name → old name, still read when the new one is not set. */
const RENAMED_FROM: Readonly<Record<string, string>> = {
  referenceStrength: 'imagePromptStrength',
  askAspectRatioAndVariants: 'askForOptions',
};
/** Old names already reported in this window: the rename is said once, not on every read. */
const announcedRenames = new Set<string>();

/** A setting's value, falling back to its old name (reported once) when only that one is set. */
function readSetting(config: vscode.WorkspaceConfiguration, key: string): unknown {
  const oldKey = RENAMED_FROM[key];
  if (oldKey === undefined || isSet(config.inspect(key)) || !isSet(config.inspect(oldKey))) return config.get<unknown>(key);
  if (!announcedRenames.has(oldKey)) {
    announcedRenames.add(oldKey);
    void showInfo(l10n.t('The setting fluxStudio.{0} is now called fluxStudio.{1}. Your value is still used; rename it in your settings when convenient.', oldKey, key));
  }
  return config.get<unknown>(oldKey);
}

function isSet(inspected: ReturnType<vscode.WorkspaceConfiguration['inspect']>): boolean {
  return inspected?.globalValue !== undefined || inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
}

/** The rule the value broke, then what is used instead. */
function problem(key: string, rule: SafeText, fallback: SafeText | string | number | boolean): SafeText {
  return join([rule, l10n.t('The setting fluxStudio.{0} is ignored; using {1} instead.', key, String(fallback))]);
}

export function readGenerationDefaults(): SettingsReading<GenerationDefaults> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const problems: SafeText[] = [];
  const value: GenerationDefaults = { ...GENERATION_DEFAULTS };
  for (const field of Object.keys(GENERATION_DEFAULTS) as (keyof typeof GENERATION_DEFAULTS)[]) {
    const key = field === 'imagePromptStrength' ? 'referenceStrength' : field;
    const check = checkOption(field, readSetting(config, key));
    if (check.ok) (value as Record<string, unknown>)[field] = check.value;
    else problems.push(problem(key, describeOptionRule(field), GENERATION_DEFAULTS[field]));
  }
  // The setting is documented in steps of 0.05 (no `multipleOf`: VS Code's check of it fails on floats).
  const stepsPerUnit = Math.round(1 / OPTION_LIMITS.strengthStep);
  value.imagePromptStrength = Math.round(value.imagePromptStrength * stepsPerUnit) / stepsPerUnit;

  const seed = config.get<unknown>('seed');
  if (seed !== null && seed !== undefined && seed !== '') {
    const check = checkOption('seed', seed);
    if (check.ok) value.seed = check.value;
    else problems.push(problem('seed', describeOptionRule('seed'), l10n.t('a random seed')));
  }
  const webhookUrl = userValue<unknown>('webhookUrl');
  if (typeof webhookUrl === 'string' && webhookUrl.trim() !== '') {
    const check = checkOption('webhookUrl', webhookUrl);
    if (check.ok) value.webhookUrl = check.value;
    else problems.push(problem('webhookUrl', describeOptionRule('webhookUrl'), l10n.t('no webhook')));
  } else if (webhookUrl !== undefined && webhookUrl !== '' && webhookUrl !== null) {
    problems.push(problem('webhookUrl', describeOptionRule('webhookUrl'), l10n.t('no webhook')));
  }
  return { value, problems };
}

/** fluxStudio.variants: how many images one request makes (each with its own seed). */
export function readVariantCount(): SettingsReading<number> {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('variants', VARIANTS_MIN);
  if (isVariantCount(value)) return { value, problems: [] };
  const rule = l10n.t('The number of variants must be a whole number from {0} to {1}.', VARIANTS_MIN, VARIANTS_MAX);
  return { value: VARIANTS_MIN, problems: [problem('variants', rule, VARIANTS_MIN)] };
}

/** fluxStudio.embedMetadata: write the generation record into every stored image (on unless set to false). */
export function embedMetadataEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<unknown>('embedMetadata') !== false;
}

/**
 * fluxStudio.spendingLimit: credits per day on this machine (0 = no limit). 300 is 50 Ultra images at the
 * documented 6 credits: several times what a writer illustrates in a day, yet it stops an agent calling the
 * tool in a loop (4 images a call) after a dozen calls. The user's own value only (a cloned repository must
 * not raise it); a hand-edited value that is not a whole number ≥ 0 counts as the default.
 */
export const DEFAULT_SPENDING_LIMIT = 300;

export function readSpendingLimit(): number {
  const value = userValue<unknown>('spendingLimit');
  return Number.isInteger(value) && (value as number) >= 0 ? (value as number) : DEFAULT_SPENDING_LIMIT;
}

/**
 * fluxStudio.prompt.enhance: whether prompts go to a language model first. The user's own value only: a
 * cloned repository must not send the user's text to a model.
 */
export function readPromptEnhance(): EnhanceMode {
  return parseEnhanceMode(userValue<unknown>('prompt.enhance'));
}

/** fluxStudio.askAspectRatioAndVariants: Flux: Generate Image… asks for both (on unless set to false). */
export function askAspectRatioAndVariants(): boolean {
  return readSetting(vscode.workspace.getConfiguration(SECTION), 'askAspectRatioAndVariants') !== false;
}

/**
 * The API host. Only the user's own setting counts: a cloned repository's .vscode/settings.json must
 * never redirect the key to another server.
 */
export function readApiBaseUrl(): { url: string } | { error: SafeText } {
  const check = checkApiBaseUrl(userValue<unknown>('apiBaseUrl') ?? DEFAULT_API_BASE_URL);
  if (check.ok) return { url: check.url };
  return {
    error:
      check.reason === 'insecure'
        ? l10n.t('The setting fluxStudio.apiBaseUrl uses plain http, which would send your API key unencrypted. Use https (http is allowed only for localhost).')
        : l10n.t('The setting fluxStudio.apiBaseUrl is not a valid URL. Fix it or remove it to use {0}.', DEFAULT_API_BASE_URL),
  };
}

/** Settings only the user may choose: what a workspace sets for them is ignored. */
export const USER_ONLY_SETTINGS = ['apiBaseUrl', 'webhookUrl', 'spendingLimit', 'prompt.enhance'] as const;
type UserOnlySetting = (typeof USER_ONLY_SETTINGS)[number];

/** The value from the user's settings (or remote machine settings), never a workspace's. */
function userValue<T>(key: UserOnlySetting): T | undefined {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
  return inspected?.globalValue ?? undefined;
}

/** A settings file larger than this is not read for the check below (a real one is a few KB). */
const SETTINGS_FILE_MAX_BYTES = 1024 * 1024;

/**
 * User-only settings that the open workspace's settings files try to set, and that are therefore ignored.
 * VS Code drops workspace values of application-scoped settings without reporting them through
 * `inspect`, so the files themselves are read (`.vscode/settings.json` of each folder, and the
 * `.code-workspace` file's settings).
 */
export async function workspaceOverrides(): Promise<UserOnlySetting[]> {
  const files: { uri: vscode.Uri; section?: string }[] = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({
    uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'),
  }));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') files.push({ uri: workspaceFile, section: 'settings' });
  const found = new Set<UserOnlySetting>();
  for (const { uri, section } of files) {
    const settings = await readSettingsFile(uri, section);
    for (const key of USER_ONLY_SETTINGS) {
      const nested = settings?.[SECTION];
      if (settings && (`${SECTION}.${key}` in settings || (isRecord(nested) && key in nested))) found.add(key);
    }
  }
  return USER_ONLY_SETTINGS.filter((key) => found.has(key));
}

async function readSettingsFile(uri: vscode.Uri, section: string | undefined): Promise<Record<string, unknown> | undefined> {
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > SETTINGS_FILE_MAX_BYTES) return undefined;
    const parsed: unknown = parseJsonc(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), [], { allowTrailingComma: true });
    const settings = section && isRecord(parsed) ? parsed[section] : parsed;
    return isRecord(settings) ? settings : undefined;
  } catch {
    return undefined; // no such file
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const AFTER_GENERATE = ['insert', 'gallery', 'notify'] as const;
export type AfterGenerate = (typeof AFTER_GENERATE)[number];

/** fluxStudio.afterGenerate: where a finished image from a selection goes (anything else reads as the default). */
export function readAfterGenerate(): AfterGenerate {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('afterGenerate');
  return AFTER_GENERATE.find((choice) => choice === value) ?? 'insert';
}

export const MISSING_IMAGE_DIAGNOSTICS = ['off', 'information', 'warning'] as const;
export type MissingImageDiagnostics = (typeof MISSING_IMAGE_DIAGNOSTICS)[number];

/** fluxStudio.missingImages.diagnostics for `scope`: how missing images show in the Problems panel (anything else reads as the default). */
export function readMissingImageDiagnostics(scope: vscode.Uri): MissingImageDiagnostics {
  const value = vscode.workspace.getConfiguration(SECTION, scope).get<unknown>('missingImages.diagnostics');
  return MISSING_IMAGE_DIAGNOSTICS.find((choice) => choice === value) ?? 'information';
}
