// "Flux: Re-run from Image…" (palette, Explorer context menu, and an image dropped onto the gallery): reads
// the generation record Flux Studio wrote into an image file and offers to generate it again with the same
// settings — the same seed gives the same image; Vary (the image hover) does the same with a new seed, as the
// gallery's Vary does. The file is untrusted: its record goes through the one
// options validator before anything is shown as settings or sent.
import * as path from 'path';
import * as vscode from 'vscode';
import { ValidationError } from '../../api/errors';
import { validateOptions } from '../../api/validation';
import { optionsFromRecord, readMetadata, type GenerationRecord } from '../../metadata';
import type { GalleryEntry } from '../../shared/entry';
import { IMAGE_FILE_EXTENSIONS } from '../../shared/media';
import { FORMAT_LABELS, MODEL_ID, type GenerationOptions } from '../../shared/options';
import { errorReason } from '../editor/workspaceFiles';
import { describeValidation } from '../errorMessages';
import type { GenerationService } from '../generation';
import { readGenerationDefaults } from '../settings';
import { showError, showInfo, showWarning } from '../ui/show';
import { join, l10n, shortPlain, type SafeText } from '../ui/text';

/**
 * Reads the record of `file` (asks for an image when none is given) and offers Re-run, or Vary with
 * `newSeed`. Resolves the new entry, or undefined when nothing was started (the reason was shown, or the
 * user declined).
 */
export async function rerunFromImage(generation: GenerationService, file?: vscode.Uri, { newSeed = false } = {}): Promise<GalleryEntry | undefined> {
  const uri = file ?? (await askImageFile());
  if (!uri) return undefined;
  const name = path.posix.basename(uri.path);
  if (uri.scheme !== 'file') {
    void showError(l10n.t('Flux Studio reads generation records only from files on this computer; {0} is not one.', name));
    return undefined;
  }
  let record: GenerationRecord | undefined;
  try {
    record = await readMetadata(uri.fsPath);
  } catch (error) {
    void showError(l10n.t('Could not read {0}: {1}', name, errorReason(error)));
    return undefined;
  }
  if (!record) {
    void showInfo(l10n.t('{0} carries no Flux Studio record (it was not made by Flux Studio, or its metadata was removed), so there is nothing to re-run.', name));
    return undefined;
  }
  let options: GenerationOptions;
  try {
    options = validateOptions(optionsFromRecord(record, readGenerationDefaults().value.outputQuality));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    void showWarning(join([l10n.t('The Flux Studio record in {0} cannot be re-run.', name), describeValidation(error.field)]));
    return undefined;
  }
  // A plain-http reference would be fetched by Apiframe unencrypted from a server the file names: left out.
  const insecureReference = options.imagePrompt !== undefined && !/^https:/i.test(options.imagePrompt) ? options.imagePrompt : undefined;
  if (insecureReference) options = withoutReference(options);
  const found = foundMessage(name, record, options);
  // Without a seed, the generation draws a new one.
  if (newSeed) options = { ...options, seed: undefined };
  const action = newSeed ? l10n.t('Vary') : l10n.t('Re-run');
  const message = join([found, sentFieldsMessage(options, insecureReference, newSeed)]);
  if ((await showInfo(message, action)) !== action) return undefined;
  return generation.generate(options);
}

function withoutReference({ imagePrompt: _reference, imagePromptStrength: _strength, ...rest }: GenerationOptions): GenerationOptions {
  return rest;
}

/** Every field Re-run (or Vary, with a new seed) sends besides the prompt, seed and ratio (which foundMessage names). */
function sentFieldsMessage(options: GenerationOptions, insecureReference: string | undefined, newSeed: boolean): SafeText {
  const [format, quality, raw] = [FORMAT_LABELS[options.outputFormat], options.outputQuality, options.raw ? l10n.t('on') : l10n.t('off')];
  const parts = [
    newSeed ? l10n.t('Vary sends the same prompt and settings with a new seed: {0}, quality {1}, Raw {2}.', format, quality, raw) : l10n.t('Re-run sends: {0}, quality {1}, Raw {2}.', format, quality, raw),
  ];
  if (options.imagePrompt !== undefined) {
    parts.push(l10n.t('It also sends the reference image {0} (strength {1}); Apiframe downloads it from that server.', shortPlain(options.imagePrompt, 200), options.imagePromptStrength ?? l10n.t('default')));
  }
  if (insecureReference !== undefined) parts.push(l10n.t('The record names the reference image {0}, which is not an https link, so Re-run leaves it out.', shortPlain(insecureReference, 200)));
  return join(parts);
}

/** What the file holds, in one sentence: prompt, seed, ratio (and another model, if it names one). */
function foundMessage(name: string, record: GenerationRecord, options: GenerationOptions): SafeText {
  const prompt = shortPlain(options.prompt, 120);
  const parts = [
    options.seed !== undefined
      ? l10n.t('{0} was made by Flux Studio from “{1}” (seed {2}, {3}).', name, prompt, options.seed, options.aspectRatio)
      : l10n.t('{0} was made by Flux Studio from “{1}” ({2}; no seed recorded, so Re-run draws a new one).', name, prompt, options.aspectRatio),
  ];
  if (record.model !== MODEL_ID) parts.push(l10n.t('Its record names the model {0}; Re-run uses Flux 1.1 Pro Ultra.', shortPlain(record.model, 60)));
  return join(parts);
}

async function askImageFile(): Promise<vscode.Uri | undefined> {
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [l10n.t('Images')]: [...IMAGE_FILE_EXTENSIONS] },
    title: l10n.t('Flux: pick an image made by Flux Studio'),
  });
  return files?.[0];
}
