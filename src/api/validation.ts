// Checks every parameter before anything is sent, with a message that names the field, and builds
// the request body exactly as Apiframe's strict schema expects it.
import {
  ASPECT_RATIOS,
  GenerationOptions,
  MODEL_ID,
  OUTPUT_FORMATS,
  PROMPT_MAX_LENGTH,
  isAspectRatio,
  isOutputFormat,
} from '../shared/options';
import { ValidationError } from './errors';

export interface GenerateRequestBody {
  prompt: string;
  model: typeof MODEL_ID;
  fluxParams: {
    aspect_ratio: string;
    output_format: string;
    output_quality?: number;
    raw: boolean;
    seed?: number;
    image_prompt?: string;
    image_prompt_strength?: number;
  };
  webhookUrl?: string;
  webhookEvents?: string[];
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Returns the prompt as it will be sent (trimmed) or throws naming the problem. */
export function validatePrompt(prompt: unknown): string {
  if (typeof prompt !== 'string') throw new ValidationError('prompt', 'The prompt must be text.');
  const trimmed = prompt.trim();
  if (trimmed.length === 0) throw new ValidationError('prompt', 'The prompt is empty. Select or type some text to describe the image.');
  if (trimmed.length > PROMPT_MAX_LENGTH) {
    throw new ValidationError(
      'prompt',
      `The prompt is ${trimmed.length} characters long; Flux accepts at most ${PROMPT_MAX_LENGTH}. Shorten the selection.`,
    );
  }
  return trimmed;
}

export function validateOptions(options: GenerationOptions): GenerationOptions {
  const prompt = validatePrompt(options.prompt);
  if (!isAspectRatio(options.aspectRatio)) {
    throw new ValidationError('aspect_ratio', `Aspect ratio must be one of ${ASPECT_RATIOS.join(', ')}.`);
  }
  if (!isOutputFormat(options.outputFormat)) {
    throw new ValidationError('output_format', `Output format must be one of ${OUTPUT_FORMATS.join(', ')}.`);
  }
  if (!Number.isInteger(options.outputQuality) || options.outputQuality < 0 || options.outputQuality > 100) {
    throw new ValidationError('output_quality', 'Output quality must be a whole number from 0 to 100.');
  }
  if (typeof options.raw !== 'boolean') throw new ValidationError('raw', 'Raw must be true or false.');
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new ValidationError('seed', 'The seed must be a whole number (or empty for a random one).');
  }
  if (options.imagePrompt !== undefined && !isHttpUrl(options.imagePrompt)) {
    throw new ValidationError('image_prompt', 'The reference image must be an http(s) URL.');
  }
  const strength = options.imagePromptStrength;
  if (strength !== undefined && (typeof strength !== 'number' || !Number.isFinite(strength) || strength < 0 || strength > 1)) {
    throw new ValidationError('image_prompt_strength', 'The reference strength must be a number from 0 to 1.');
  }
  if (options.webhookUrl !== undefined && !isHttpUrl(options.webhookUrl)) {
    throw new ValidationError('webhookUrl', 'The webhook URL must be an http(s) URL.');
  }
  return { ...options, prompt };
}

export function buildGenerateBody(options: GenerationOptions): GenerateRequestBody {
  const valid = validateOptions(options);
  const body: GenerateRequestBody = {
    prompt: valid.prompt,
    model: MODEL_ID,
    fluxParams: {
      aspect_ratio: valid.aspectRatio,
      output_format: valid.outputFormat,
      raw: valid.raw,
    },
  };
  // Quality has no meaning for png; the schema accepts it but we keep the body minimal.
  if (valid.outputFormat !== 'png') body.fluxParams.output_quality = valid.outputQuality;
  if (valid.seed !== undefined) body.fluxParams.seed = valid.seed;
  if (valid.imagePrompt !== undefined) {
    body.fluxParams.image_prompt = valid.imagePrompt;
    if (valid.imagePromptStrength !== undefined) body.fluxParams.image_prompt_strength = valid.imagePromptStrength;
  }
  if (valid.webhookUrl) {
    body.webhookUrl = valid.webhookUrl;
    body.webhookEvents = ['progress', 'completed', 'failed'];
  }
  return body;
}
