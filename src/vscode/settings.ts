// Reads the fluxStudio.* settings. Hand-edited values of the wrong type or out of range are
// replaced by the default and reported with the setting's name, never sent to the API.
import * as vscode from 'vscode';
import { checkApiBaseUrl } from '../api/baseUrl';
import { ASPECT_RATIOS, AspectRatio, GenerationOptions, OUTPUT_FORMATS, isAspectRatio, isOutputFormat } from '../shared/options';

export const SECTION = 'fluxStudio';

export type GenerationDefaults = Omit<GenerationOptions, 'prompt'> & { imagePromptStrength: number };

export interface SettingsReading<T> {
  value: T;
  /** One localized sentence per setting that was ignored. */
  problems: string[];
}

const DEFAULTS = {
  aspectRatio: '16:9' as AspectRatio,
  outputFormat: 'jpg' as const,
  outputQuality: 90,
  raw: false,
  imagePromptStrength: 0.5,
};

function problem(key: string, expected: string, fallback: unknown): string {
  return vscode.l10n.t('The setting fluxStudio.{0} must be {1}; using {2} instead.', key, expected, String(fallback));
}

export function readGenerationDefaults(): SettingsReading<GenerationDefaults> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const problems: string[] = [];
  const aspectRatio = config.get<unknown>('aspectRatio');
  const outputFormat = config.get<unknown>('outputFormat');
  const outputQuality = config.get<unknown>('outputQuality');
  const raw = config.get<unknown>('raw');
  const strength = config.get<unknown>('imagePromptStrength');
  const seed = config.get<unknown>('seed');
  const webhookUrl = config.get<unknown>('webhookUrl');

  const value: GenerationDefaults = { ...DEFAULTS };
  if (isAspectRatio(aspectRatio)) value.aspectRatio = aspectRatio;
  else problems.push(problem('aspectRatio', vscode.l10n.t('one of {0}', ASPECT_RATIOS.join(', ')), DEFAULTS.aspectRatio));
  if (isOutputFormat(outputFormat)) value.outputFormat = outputFormat;
  else problems.push(problem('outputFormat', vscode.l10n.t('one of {0}', OUTPUT_FORMATS.join(', ')), DEFAULTS.outputFormat));
  if (Number.isInteger(outputQuality) && (outputQuality as number) >= 0 && (outputQuality as number) <= 100) value.outputQuality = outputQuality as number;
  else problems.push(problem('outputQuality', vscode.l10n.t('a whole number from 0 to 100'), DEFAULTS.outputQuality));
  if (typeof raw === 'boolean') value.raw = raw;
  else problems.push(problem('raw', vscode.l10n.t('true or false'), DEFAULTS.raw));
  // The schema cannot say "multiple of 0.05" (VS Code checks multipleOf with a floating-point %, which flags
  // 0.5 itself), so the 0.05 step its description promises is applied here.
  if (typeof strength === 'number' && strength >= 0 && strength <= 1) value.imagePromptStrength = Math.round(strength * 20) / 20;
  else problems.push(problem('imagePromptStrength', vscode.l10n.t('a number from 0 to 1'), DEFAULTS.imagePromptStrength));
  if (seed === null || seed === undefined || seed === '') value.seed = undefined;
  else if (Number.isSafeInteger(seed)) value.seed = seed as number;
  else problems.push(problem('seed', vscode.l10n.t('a whole number or empty'), vscode.l10n.t('a random seed')));
  if (typeof webhookUrl === 'string' && webhookUrl.trim() !== '') {
    if (/^https?:\/\//i.test(webhookUrl.trim())) value.webhookUrl = webhookUrl.trim();
    else problems.push(problem('webhookUrl', vscode.l10n.t('an http(s) URL'), vscode.l10n.t('no webhook')));
  }
  return { value, problems };
}

export function askForOptions(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('askForOptions') !== false;
}

/**
 * The API host. Only the user's own (application-level) setting counts: a cloned repository's
 * .vscode/settings.json must never redirect the key to another server.
 */
export function readApiBaseUrl(): { url: string } | { error: string } {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('apiBaseUrl');
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? 'https://api.apiframe.ai';
  const check = checkApiBaseUrl(value);
  if (check.ok) return { url: check.url };
  return {
    error:
      check.reason === 'insecure'
        ? vscode.l10n.t('The setting fluxStudio.apiBaseUrl uses plain http, which would send your API key unencrypted. Use https (http is allowed only for localhost).')
        : vscode.l10n.t('The setting fluxStudio.apiBaseUrl is not a valid URL. Fix it or remove it to use https://api.apiframe.ai.'),
  };
}
