// Every string the gallery webview shows, in English. The one table: the extension sends these
// (translated through `vscode.l10n.t`, with the English text as the key) in the init notification, and
// the webview falls back to this table for any key that is missing. Placeholders are named: `{credits}`.
// Free of Node and DOM APIs: both sides import it.

export const GALLERY_STRINGS_EN = {
  title: 'Flux Gallery',
  creditsSpent: 'Credits spent: {credits}',
  importFromAccount: 'Import from account',
  promptLabel: 'Prompt',
  promptPlaceholder: 'Describe the image to generate…',
  promptCounter: '{length}/{max}',
  aspectRatio: 'Aspect ratio',
  format: 'Format',
  quality: 'Quality',
  raw: 'Raw',
  seed: 'Seed',
  seedPlaceholder: 'Random',
  referenceUrl: 'Reference image URL',
  strength: 'Strength',
  generate: 'Generate',
  submitting: 'Submitting…',
  search: 'Search prompts',
  filter: 'Show',
  filterAll: 'All',
  filterCompleted: 'Completed',
  filterRunning: 'Running',
  filterFailed: 'Failed',
  shownCount: '{shown} of {total}',
  empty: 'No images yet. Write a prompt above and press Generate.',
  noMatches: 'No images match the search.',
  insert: 'Insert into workspace',
  saveAs: 'Save As…',
  copyLink: 'Copy link',
  openFullSize: 'Open full size',
  useAsReference: 'Use as reference',
  rerun: 'Re-run',
  vary: 'Vary',
  delete: 'Delete',
  editAndRetry: 'Edit prompt and retry',
  stateSubmitting: 'Submitting',
  stateQueued: 'Queued',
  stateProcessing: '{progress}%',
  stateDownloading: 'Downloading',
  stateFailed: 'Failed: {reason}',
  stateFailedUnknown: 'Failed',
  seedRandom: 'random',
  yes: 'yes',
  no: 'no',
  reference: 'Reference',
  duration: 'Duration',
  durationSeconds: '{seconds} s',
  created: 'Created',
  cost: 'Cost',
  creditsCost: '{credits} credits',
  imported: 'Imported',
  imageUnavailable: 'Image not available',
  errorPromptEmpty: 'Write a prompt first.',
  errorPromptTooLong: 'The prompt is too long ({length}/{max} characters).',
  errorReference: 'The reference image must be an http(s) URL.',
  errorSeed: 'The seed must be a whole number.',
  errorQuality: 'Quality must be a whole number from 0 to 100.',
  errorStrength: 'Strength must be between 0 and 1.',
} as const;

export type GalleryStringKey = keyof typeof GALLERY_STRINGS_EN;
export type GalleryStrings = Record<GalleryStringKey, string>;

export const GALLERY_STRING_KEYS = Object.keys(GALLERY_STRINGS_EN) as GalleryStringKey[];

/** Fills `{name}` placeholders; unknown placeholders stay as they are. */
export function formatString(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match,
  );
}
