// Checks every parameter before anything is sent (with the one options schema, src/shared/optionsSchema.ts)
// and builds the request body exactly as Apiframe's strict schema expects it.
import { hasQuality } from '../shared/media';
import { GenerationOptions, MODEL_ID } from '../shared/options';
import { describeOptionProblem, parseGenerationOptions } from '../shared/optionsSchema';
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

/** Local option names → the request's parameter names, so an error names the field as Apiframe does. */
const API_FIELD_NAMES: Partial<Record<string, string>> = {
  aspectRatio: 'aspect_ratio',
  outputFormat: 'output_format',
  outputQuality: 'output_quality',
  imagePrompt: 'image_prompt',
  imagePromptStrength: 'image_prompt_strength',
};

/** The local option name of a field as a ValidationError names it (`output_quality` → `outputQuality`). */
export function optionFieldOf(apiField: string): string {
  return Object.keys(API_FIELD_NAMES).find((local) => API_FIELD_NAMES[local] === apiField) ?? apiField;
}

/** The options as they will be sent (prompt trimmed), or a ValidationError naming the field. */
export function validateOptions(options: GenerationOptions): GenerationOptions {
  const result = parseGenerationOptions(options);
  if (!result.ok) {
    const refused = (options as unknown as Record<string, unknown>)[result.field];
    throw new ValidationError(API_FIELD_NAMES[result.field] ?? result.field, describeOptionProblem(result.field, result.problem, refused));
  }
  return result.value;
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
  if (hasQuality(valid.outputFormat)) body.fluxParams.output_quality = valid.outputQuality;
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
