// Turns a failure into a localized sentence that says what happened and what to do.
import { isApiError, type ApiError } from '../api/errors';
import { StorageError } from '../jobs/download';
import { OPTION_LIMITS } from '../shared/optionsSchema';
import { ASPECT_RATIOS, OUTPUT_FORMATS } from '../shared/options';
import { readApiBaseUrl } from './settings';
import { l10n, type SafeText } from './ui/text';

export function describeError(error: unknown): SafeText {
  if (error instanceof StorageError) {
    return l10n.t('Could not save the image on this computer (disk full or folder not writable). Free some space, then retry: the job is kept.');
  }
  if (!isApiError(error)) return l10n.t('Something unexpected went wrong. Details are in the "Flux Studio" output.');
  return describeApiError(error);
}

function describeApiError(error: ApiError): SafeText {
  switch (error.kind) {
    case 'invalidKey':
      return l10n.t('Apiframe refused the API key. Set a valid key.');
    case 'inactiveKey':
      return l10n.t('This Apiframe API key is inactive. Activate it in your Apiframe dashboard or set another key.');
    case 'insufficientCredits':
      return error.creditsRequired !== undefined && error.creditsAvailable !== undefined
        ? l10n.t('Not enough Apiframe credits: this image needs {0}, you have {1}. Top up your account, then retry.', error.creditsRequired, error.creditsAvailable)
        : l10n.t('Not enough Apiframe credits. Top up your account, then retry.');
    case 'invalidParameters':
      if (error.field === 'apiBaseUrl') {
        const base = readApiBaseUrl();
        if ('error' in base) return base.error;
      }
      return error.field
        ? l10n.t('Apiframe refused the value of "{0}". Check the Flux Studio settings or the options you chose.', error.field)
        : l10n.t('Apiframe refused the request. Check the Flux Studio settings.');
    case 'rateLimited':
      return l10n.t('Apiframe is busy (rate limited). Retry in a little while.');
    case 'notFound':
      return l10n.t('Apiframe does not know this job under the current API key. If you changed keys, set the previous one to collect it.');
    case 'tooLarge':
      return l10n.t(
        'Apiframe sent more than {0} MB, more than Flux Studio accepts, so it was not read. The job is kept: retry later.',
        Math.round((error.limitBytes ?? 0) / (1024 * 1024)),
      );
    case 'refusedUrl':
      return l10n.t('Apiframe sent an image link Flux Studio does not open (not https, or too many redirects). The job is kept: retry later. Details are in the "Flux Studio" output.');
    case 'server':
      return l10n.t('Apiframe had a problem. Retry later.');
    case 'network':
      return l10n.t('Could not reach Apiframe. Check your connection, then retry.');
    case 'timeout':
      return l10n.t('Apiframe did not answer in time. Retry later.');
    case 'cancelled':
      return l10n.t('Cancelled.');
  }
}

/** Local validation names the field (as Apiframe names it); say it in the user's language with the limits. */
export function describeValidation(field: string | undefined): SafeText {
  const L = OPTION_LIMITS;
  switch (field) {
    case 'prompt':
      return l10n.t('The prompt must be 1 to {0} characters. Select or type a shorter description.', L.promptMaxLength);
    case 'aspect_ratio':
      return l10n.t('The aspect ratio must be one of {0}.', ASPECT_RATIOS.join(', '));
    case 'output_quality':
      return l10n.t('The output quality must be a whole number from {0} to {1}.', L.qualityMin, L.qualityMax);
    case 'output_format':
      return l10n.t('The output format must be one of {0}.', OUTPUT_FORMATS.join(', '));
    case 'seed':
      return l10n.t('The seed must be a whole number.');
    case 'image_prompt':
      return l10n.t('The reference image must be an http(s) URL without a user name or password.');
    case 'image_prompt_strength':
      return l10n.t('The reference strength must be a number from {0} to {1}.', L.strengthMin, L.strengthMax);
    default:
      return l10n.t('One of the options is not valid ({0}).', field ?? '?');
  }
}
