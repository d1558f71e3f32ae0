// What Apiframe v2 documents for Flux 1.1 Pro Ultra (/work/shared/apiframe-api.md and the product page),
// written down here for the simulator on its own. The simulator never reads the extension's constants
// (src/shared/options.ts): tests of the client against the simulator must be able to catch a wrong value there.

export const MODEL_ID = 'flux-1.1-pro-ultra';

/** The five ratios the product page lists. */
export const ASPECT_RATIOS = ['1:1', '3:4', '4:3', '9:16', '16:9'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const OUTPUT_FORMATS = ['jpg', 'png', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const MIME_TYPES: Readonly<Record<OutputFormat, string>> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** `prompt`: 1–2,000 characters. */
export const PROMPT_MAX_LENGTH = 2000;

/** The pixel sizes Ultra delivers (about 4 megapixels, 64-pixel multiples), as Black Forest Labs' Ultra outputs measure. */
export const ULTRA_SIZES: Readonly<Record<AspectRatio, { width: number; height: number }>> = {
  '1:1': { width: 2048, height: 2048 },
  '3:4': { width: 1792, height: 2368 },
  '4:3': { width: 2368, height: 1792 },
  '9:16': { width: 1536, height: 2752 },
  '16:9': { width: 2752, height: 1536 },
};
