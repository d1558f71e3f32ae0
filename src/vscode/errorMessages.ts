// Turns an API failure into a localized sentence that says what happened and what to do.
import * as vscode from 'vscode';
import { ApiError, isApiError } from '../api/errors';
import { StorageError } from '../jobs/download';

export function describeError(error: unknown): string {
  if (error instanceof StorageError) {
    return vscode.l10n.t('Could not save the image on this computer (disk full or folder not writable). Free some space, then retry: the job is kept.');
  }
  if (!isApiError(error)) return vscode.l10n.t('Something unexpected went wrong. Details are in the "Flux Studio" output.');
  return describeApiError(error);
}

function describeApiError(error: ApiError): string {
  switch (error.kind) {
    case 'invalidKey':
      return vscode.l10n.t('Apiframe refused the API key. Set a valid key.');
    case 'inactiveKey':
      return vscode.l10n.t('This Apiframe API key is inactive. Activate it in your Apiframe dashboard or set another key.');
    case 'insufficientCredits':
      return error.creditsRequired !== undefined && error.creditsAvailable !== undefined
        ? vscode.l10n.t('Not enough Apiframe credits: this image needs {0}, you have {1}. Top up your account, then retry.', error.creditsRequired, error.creditsAvailable)
        : vscode.l10n.t('Not enough Apiframe credits. Top up your account, then retry.');
    case 'invalidParameters':
      return error.field
        ? vscode.l10n.t('Apiframe refused the value of "{0}". Check the Flux Studio settings or the options you chose.', error.field)
        : vscode.l10n.t('Apiframe refused the request. Check the Flux Studio settings.');
    case 'rateLimited':
      return vscode.l10n.t('Apiframe is busy (rate limited). Retry in a little while.');
    case 'notFound':
      return vscode.l10n.t('Apiframe does not know this job under the current API key. If you changed keys, set the previous one to collect it.');
    case 'tooLarge':
      return vscode.l10n.t('Apiframe sent more than {0} MB, more than Flux Studio accepts, so it was not read. The job is kept: retry later.', Math.round((error.limitBytes ?? 0) / (1024 * 1024)));
    case 'refusedUrl':
      return vscode.l10n.t('Apiframe sent an image link Flux Studio does not open (not https, or too many redirects). The job is kept: retry later. Details are in the "Flux Studio" output.');
    case 'server':
      return vscode.l10n.t('Apiframe had a problem. Retry later.');
    case 'network':
      return vscode.l10n.t('Could not reach Apiframe. Check your connection, then retry.');
    case 'timeout':
      return vscode.l10n.t('Apiframe did not answer in time. Retry later.');
    case 'cancelled':
      return vscode.l10n.t('Cancelled.');
  }
}

/** Local validation names the field; say it in the user's language with the limits. */
export function describeValidation(field: string | undefined): string {
  switch (field) {
    case 'prompt':
      return vscode.l10n.t('The prompt must be 1 to 2,000 characters. Select or type a shorter description.');
    case 'aspect_ratio':
      return vscode.l10n.t('The aspect ratio must be one of 1:1, 3:4, 4:3, 9:16, 16:9.');
    case 'output_quality':
      return vscode.l10n.t('The output quality must be a whole number from 0 to 100.');
    case 'output_format':
      return vscode.l10n.t('The output format must be jpg, png or webp.');
    case 'seed':
      return vscode.l10n.t('The seed must be a whole number.');
    case 'image_prompt':
      return vscode.l10n.t('The reference image must be an http(s) URL.');
    case 'image_prompt_strength':
      return vscode.l10n.t('The reference strength must be a number from 0 to 1.');
    default:
      return vscode.l10n.t('One of the options is not valid ({0}).', field ?? '?');
  }
}
