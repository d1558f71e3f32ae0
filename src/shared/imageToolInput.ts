// The input of the language model tool (`languageModelTools` in package.json): what a model sends is
// untrusted. Every generation option goes through the one options validator; the variant count and the
// target path have their own small rules. Problems are English sentences for the model, which can fix its
// call and try again. Free of Node and DOM APIs.
import type { GenerationOptions } from './options';
import { describeOptionProblem, parseGenerationOptions, PROMPT_BAR_FIELDS } from './optionsSchema';
import { isVariantCount, VARIANTS_MAX, VARIANTS_MIN } from './variants';

export const IMAGE_TOOL_NAME = 'flux-studio_generateImage';

/** The tool's input properties, as package.json declares them (a unit test keeps the two equal). */
export const IMAGE_TOOL_FIELDS = ['prompt', 'aspectRatio', 'outputFormat', 'raw', 'seed', 'referenceImageUrl', 'referenceStrength', 'variants', 'targetPath'] as const;

const TARGET_PATH_MAX_LENGTH = 1024;

export interface ImageToolRequest {
  options: GenerationOptions;
  variants: number;
  /** Workspace-relative (or absolute) path of the document to insert into. */
  targetPath?: string;
}

export type ImageToolCheck = { ok: true; value: ImageToolRequest } | { ok: false; problem: string };

/** The request in `raw`, with the user's settings for what the model left out. */
export function parseImageToolInput(raw: unknown, defaults: Omit<GenerationOptions, 'prompt'>): ImageToolCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse('The input must be an object with at least a "prompt".');
  const input = raw as Record<string, unknown>;
  const extra = Object.keys(input).find((key) => !(IMAGE_TOOL_FIELDS as readonly string[]).includes(key));
  if (extra !== undefined) return refuse(`Unexpected input "${extra.slice(0, 64)}". Allowed: ${IMAGE_TOOL_FIELDS.join(', ')}.`);

  const variants = input.variants ?? VARIANTS_MIN;
  if (!isVariantCount(variants)) return refuse(`"variants" must be a whole number from ${VARIANTS_MIN} to ${VARIANTS_MAX}.`);
  const targetPath = input.targetPath;
  if (targetPath !== undefined && (typeof targetPath !== 'string' || !targetPath.trim() || targetPath.length > TARGET_PATH_MAX_LENGTH || /[\u0000-\u001f]/.test(targetPath))) {
    return refuse('"targetPath" must be the path of a document in the workspace, relative to the workspace folder.');
  }

  const reference = input.referenceImageUrl;
  const candidate: Record<string, unknown> = {
    prompt: input.prompt,
    aspectRatio: input.aspectRatio ?? defaults.aspectRatio,
    outputFormat: input.outputFormat ?? defaults.outputFormat,
    outputQuality: defaults.outputQuality,
    raw: input.raw ?? defaults.raw,
    seed: input.seed ?? defaults.seed,
    imagePrompt: reference,
    imagePromptStrength: reference === undefined ? undefined : (input.referenceStrength ?? defaults.imagePromptStrength),
  };
  const options = parseGenerationOptions(candidate, PROMPT_BAR_FIELDS);
  if (!options.ok) {
    const field = options.field === 'imagePrompt' ? 'referenceImageUrl' : options.field === 'imagePromptStrength' ? 'referenceStrength' : options.field;
    return refuse(`"${field}": ${describeOptionProblem(options.field, options.problem, candidate[options.field])}`);
  }
  return { ok: true, value: { options: options.value, variants, ...(typeof targetPath === 'string' ? { targetPath: targetPath.trim() } : {}) } };
}

function refuse(problem: string): ImageToolCheck {
  return { ok: false, problem };
}
