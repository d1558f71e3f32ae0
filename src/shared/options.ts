// The one place that defines Flux 1.1 Pro Ultra's options. Everything else imports from here.
// Free of Node and DOM APIs so the extension, the webview and the simulator can all use it.

export const MODEL_ID = 'flux-1.1-pro-ultra';

export const ASPECT_RATIOS = ['1:1', '3:4', '4:3', '9:16', '16:9'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** Pixel size Ultra delivers for each ratio (about 4 megapixels). */
export const ULTRA_SIZES: Readonly<Record<AspectRatio, { width: number; height: number }>> = {
  '1:1': { width: 2048, height: 2048 },
  '3:4': { width: 1792, height: 2368 },
  '4:3': { width: 2368, height: 1792 },
  '9:16': { width: 1536, height: 2752 },
  '16:9': { width: 2752, height: 1536 },
};

export const OUTPUT_FORMATS = ['jpg', 'png', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** How formats are named to people (settings, prompt bar, cards). */
export const FORMAT_LABELS: Readonly<Record<OutputFormat, string>> = { jpg: 'JPEG', png: 'PNG', webp: 'WebP' };

export const MIME_TYPES: Readonly<Record<OutputFormat, string>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

export const PROMPT_MAX_LENGTH = 2000;

/**
 * What an option is when nobody chose it: the settings' defaults (package.json says the same, checked by
 * test/unit/sharedRules.test.ts), also for a job imported without its parameters. The strength is the
 * service's own default.
 */
export const GENERATION_DEFAULTS = {
  aspectRatio: '16:9',
  outputFormat: 'jpg',
  outputQuality: 90,
  raw: false,
  imagePromptStrength: 0.5,
} as const satisfies Required<Pick<GenerationOptions, 'aspectRatio' | 'outputFormat' | 'outputQuality' | 'raw' | 'imagePromptStrength'>>;

/** What a user chooses for one generation; the client turns it into the request body. */
export interface GenerationOptions {
  prompt: string;
  aspectRatio: AspectRatio;
  outputFormat: OutputFormat;
  /** 0–100 integer; ignored by the service for png. */
  outputQuality: number;
  raw: boolean;
  /** Integer; undefined = random. */
  seed?: number;
  /** http(s) URL of a reference image. */
  imagePrompt?: string;
  /** 0–1, only sent with imagePrompt. */
  imagePromptStrength?: number;
  webhookUrl?: string;
}

export function isAspectRatio(value: unknown): value is AspectRatio {
  return typeof value === 'string' && (ASPECT_RATIOS as readonly string[]).includes(value);
}

export function isOutputFormat(value: unknown): value is OutputFormat {
  return typeof value === 'string' && (OUTPUT_FORMATS as readonly string[]).includes(value);
}
