// Reads the fluxStudio.* settings. Values are untrusted: a cloned repository writes .vscode/settings.json.
// - Settings that send data somewhere (apiBaseUrl: where the key goes; webhookUrl: who receives job
//   events) are read from the user's own settings only; a workspace value is ignored with a warning.
// - Hand-edited values of the wrong type or out of range fall back to the default and are reported with
//   the setting's name, never sent to the API. Every check is the one options schema's.
import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import { checkApiBaseUrl } from '../api/baseUrl';
import { checkOption, OPTION_LIMITS } from '../shared/optionsSchema';
import { ASPECT_RATIOS, AspectRatio, GenerationOptions, OUTPUT_FORMATS } from '../shared/options';
import { isVariantCount, VARIANTS_MAX, VARIANTS_MIN } from '../shared/variants';
import { l10n, type SafeText } from './ui/text';

export const SECTION = 'fluxStudio';
export const DEFAULT_API_BASE_URL = 'https://api.apiframe.ai';

export type GenerationDefaults = Omit<GenerationOptions, 'prompt'> & { imagePromptStrength: number };

export interface SettingsReading<T> {
  value: T;
  /** One localized sentence per setting that was ignored. */
  problems: SafeText[];
}

const DEFAULTS = {
  aspectRatio: '16:9' as AspectRatio,
  outputFormat: 'jpg' as const,
  outputQuality: 90,
  raw: false,
  imagePromptStrength: 0.5,
};

function problem(key: string, expected: SafeText, fallback: SafeText | string | number | boolean): SafeText {
  return l10n.t('The setting fluxStudio.{0} must be {1}; using {2} instead.', key, expected, String(fallback));
}

export function readGenerationDefaults(): SettingsReading<GenerationDefaults> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const problems: SafeText[] = [];
  const value: GenerationDefaults = { ...DEFAULTS };
  const read = <F extends keyof typeof DEFAULTS>(field: F, expected: SafeText) => {
    const check = checkOption(field, config.get<unknown>(field));
    if (check.ok) (value as Record<F, unknown>)[field] = check.value;
    else problems.push(problem(field, expected, DEFAULTS[field]));
  };
  read('aspectRatio', l10n.t('one of {0}', ASPECT_RATIOS.join(', ')));
  read('outputFormat', l10n.t('one of {0}', OUTPUT_FORMATS.join(', ')));
  read('outputQuality', l10n.t('a whole number from {0} to {1}', OPTION_LIMITS.qualityMin, OPTION_LIMITS.qualityMax));
  read('raw', l10n.t('true or false'));
  read('imagePromptStrength', l10n.t('a number from {0} to {1}', OPTION_LIMITS.strengthMin, OPTION_LIMITS.strengthMax));
  // The setting is documented in steps of 0.05 (no `multipleOf`: VS Code's check of it fails on floats).
  const stepsPerUnit = Math.round(1 / OPTION_LIMITS.strengthStep);
  value.imagePromptStrength = Math.round(value.imagePromptStrength * stepsPerUnit) / stepsPerUnit;

  const seed = config.get<unknown>('seed');
  if (seed !== null && seed !== undefined && seed !== '') {
    const check = checkOption('seed', seed);
    if (check.ok) value.seed = check.value;
    else problems.push(problem('seed', l10n.t('a whole number or empty'), l10n.t('a random seed')));
  }
  const webhookUrl = userValue<unknown>('webhookUrl');
  if (typeof webhookUrl === 'string' && webhookUrl.trim() !== '') {
    const check = checkOption('webhookUrl', webhookUrl);
    if (check.ok) value.webhookUrl = check.value;
    else problems.push(problem('webhookUrl', l10n.t('an http(s) URL'), l10n.t('no webhook')));
  } else if (webhookUrl !== undefined && webhookUrl !== '' && webhookUrl !== null) {
    problems.push(problem('webhookUrl', l10n.t('an http(s) URL'), l10n.t('no webhook')));
  }
  return { value, problems };
}

/** fluxStudio.variants: how many images one request makes (each with its own seed). */
export function readVariantCount(): SettingsReading<number> {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('variants', VARIANTS_MIN);
  if (isVariantCount(value)) return { value, problems: [] };
  return { value: VARIANTS_MIN, problems: [problem('variants', l10n.t('a whole number from {0} to {1}', VARIANTS_MIN, VARIANTS_MAX), VARIANTS_MIN)] };
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

export function askForOptions(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('askForOptions') !== false;
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
export const USER_ONLY_SETTINGS = ['apiBaseUrl', 'webhookUrl', 'spendingLimit'] as const;
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
