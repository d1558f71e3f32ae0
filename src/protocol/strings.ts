// Every string the gallery webview shows, in English. The one table: the extension sends these
// (translated through `vscode.l10n.t`, with the English text as the key) in the init notification, and
// the webview falls back to this table for any key that is missing. Placeholders are named: `{credits}`.
// Free of Node and DOM APIs: both sides import it.
import { STATE_NAMES_EN } from '../shared/entry';
import { OPTION_RULES_EN } from '../shared/optionsSchema';

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
  variants: 'Variants',
  generateVariants: 'Generate {count} · {credits} credits',
  submitting: 'Submitting…',
  search: 'Search prompts',
  filter: 'Show',
  filterAll: 'All',
  filterCompleted: 'Completed',
  filterRunning: 'Running',
  filterFailed: 'Failed',
  paused: 'Paused',
  filterStarred: 'Starred',
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
  retry: 'Retry',
  forget: 'Forget',
  star: 'Star',
  starredNote: 'Starred: never deleted by Keep',
  keep: 'Keep',
  keepNote: 'Keep this variant and offer to delete the others (starred ones are never deleted)',
  variantsGroup: '{count} variants',
  variantOf: 'Variant {index} of {count}',
  selectToCompare: 'Select to compare',
  compare: 'Compare',
  compareSelected: '{count} of {max} selected to compare',
  clearSelection: 'Clear selection',
  sideBySide: 'Side by side',
  swipe: 'Swipe',
  swipePosition: 'Swipe position',
  close: 'Close',
  dropToRerun: 'Drop an image made by Flux Studio to re-run it',
  dropRefused: 'Drop a PNG, JPEG or WebP file from the Explorer (hold Shift while dragging) to re-run it.',
  stateFailed: 'Failed: {reason}',
  statePaused: 'Paused: {reason}',
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
  // The prompt bar's error messages are the options' own wording (one table, in src/shared).
  ...OPTION_RULES_EN,
  // The states' names are the host's too (one table, in src/shared).
  ...STATE_NAMES_EN,
} as const;

export type GalleryStringKey = keyof typeof GALLERY_STRINGS_EN;
export type GalleryStrings = Record<GalleryStringKey, string>;

export const GALLERY_STRING_KEYS = Object.keys(GALLERY_STRINGS_EN) as GalleryStringKey[];

export { formatString } from '../shared/formatString';
