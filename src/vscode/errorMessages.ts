// Puts a failure into words in the display language: what happened and what to do. Errors and the
// reasons stored on entries share one table, keyed by kind (an error is turned into its stored form
// first), so a reason stored in English-free form reads the same as the error did when it happened.
import { ValidationError } from '../api/errors';
import { optionFieldOf } from '../api/validation';
import { REASON_KINDS, reasonFromError, type EntryReason } from '../shared/entry';
import { describeOptionRule } from './optionRules';
import { readApiBaseUrl } from './settings';
import { l10n, plain, type SafeText } from './ui/text';

type Params = NonNullable<EntryReason['params']>;

const numberParam = (params: Params, key: string) => (typeof params[key] === 'number' ? (params[key] as number) : undefined);
const textParam = (params: Params, key: string) => (typeof params[key] === 'string' && params[key] ? (params[key] as string) : undefined);

const MEGABYTE = 1024 * 1024;

const MESSAGES: Record<string, (params: Params) => SafeText> = {
  invalidKey: () => l10n.t('Apiframe refused the API key. Set a valid key.'),
  inactiveKey: () => l10n.t('This Apiframe API key is inactive. Activate it in your Apiframe dashboard or set another key.'),
  insufficientCredits: (p) => {
    const required = numberParam(p, 'creditsRequired');
    const available = numberParam(p, 'creditsAvailable');
    return required !== undefined && available !== undefined
      ? l10n.t('Not enough Apiframe credits: this image needs {0}, you have {1}. Top up your account, then retry.', required, available)
      : l10n.t('Not enough Apiframe credits. Top up your account, then retry.');
  },
  invalidParameters: (p) => {
    const field = textParam(p, 'field');
    if (field === 'apiBaseUrl') {
      const base = readApiBaseUrl();
      if ('error' in base) return base.error;
    }
    return field
      ? l10n.t('Apiframe refused the value of "{0}". Check the Flux Studio settings or the options you chose.', field)
      : l10n.t('Apiframe refused the request. Check the Flux Studio settings.');
  },
  rateLimited: () => l10n.t('Apiframe is busy (rate limited). Retry in a little while.'),
  notFound: () => l10n.t('Apiframe does not know this job under the current API key. If you changed keys, set the previous one to collect it.'),
  tooLarge: (p) =>
    l10n.t(
      'Apiframe sent more than {0} MB, more than Flux Studio accepts, so it was not read. The job is kept: retry later.',
      Math.round((numberParam(p, 'limitBytes') ?? 0) / MEGABYTE),
    ),
  refusedUrl: () =>
    l10n.t('Apiframe sent an image link Flux Studio does not open (not https, or too many redirects). The job is kept: retry later. Details are in the "Flux Studio" output.'),
  server: () => l10n.t('Apiframe had a problem. Retry later.'),
  network: () => l10n.t('Could not reach Apiframe. Check your connection, then retry.'),
  timeout: () => l10n.t('Apiframe did not answer in time. Retry later.'),
  cancelled: () => l10n.t('Cancelled.'),
  storage: () => l10n.t('Could not save the image on this computer (disk full or folder not writable). Free some space, then retry: the job is kept.'),
  [REASON_KINDS.stoppedWaiting]: () => l10n.t('You stopped waiting for this image. The job goes on at Apiframe: Retry collects it.'),
  [REASON_KINDS.jobFailed]: (p) => {
    const message = textParam(p, 'message');
    return message ? l10n.t('Apiframe said: {0}', message) : l10n.t('Apiframe could not generate this image.');
  },
  [REASON_KINDS.jobCancelled]: () => l10n.t('The job was cancelled at Apiframe.'),
  [REASON_KINDS.imageExpired]: () => l10n.t('Apiframe had already deleted this image before it could be saved.'),
  // A sentence stored by version 0.1.0: shown as it was (English), as text.
  [REASON_KINDS.legacyMessage]: (p) => plain(textParam(p, 'message') ?? ''),
  [REASON_KINDS.noKey]: () => l10n.t('Nothing was sent: no Apiframe API key was set. Set one with "Flux: Set API Key", then retry.'),
  [REASON_KINDS.unexpected]: () => l10n.t('Something unexpected went wrong. Details are in the "Flux Studio" output.'),
};

export function describeReason(reason: EntryReason): SafeText {
  return (MESSAGES[reason.kind] ?? MESSAGES[REASON_KINDS.unexpected])(reason.params ?? {});
}

export function describeError(error: unknown): SafeText {
  if (error instanceof ValidationError) return describeValidation(error.field);
  return describeReason(reasonFromError(error));
}

/** Local validation names the field (as Apiframe names it); say it in the user's language with the limits. */
export function describeValidation(field: string | undefined): SafeText {
  return describeOptionRule(optionFieldOf(field ?? '?'));
}

