// The alt text of an inserted image, by fluxStudio.insert.altText: `short` (a short description: written by
// a language model when the user allowed one — fluxStudio.prompt.enhance not off — and one answers in time,
// else the prompt's first clause, src/insert/altText.ts), `prompt` (the whole prompt, shortened by the
// snippet rules), or `ask` (an input box prefilled with the short text; Escape cancels the insert).
import * as vscode from 'vscode';
import { altTextInstruction, altTextMode, cleanModelAltText, MODEL_ALT_ANSWER_MAX_CHARS, shortAltText } from '../../insert/altText';
import type { GalleryEntry } from '../../shared/entry';
import type { Log } from '../../shared/log';
import { askFirstModel } from '../languageModel';
import { readPromptEnhance } from '../settings';
import { askText } from '../ui/show';
import { l10n } from '../ui/text';

/** An insert waits this long for the model's alt text, then uses the rule (the image must not wait on a model). */
const MODEL_ALT_TIMEOUT_MS = 5_000;
/** The model's alt texts of recent entries: inserting an image again asks no model again. */
const modelAltTexts = new Map<string, string>();
const MODEL_ALT_CACHE_SIZE = 100;

/** Undefined when the user cancelled the question. `interactive` is false where no question can be asked (drop, paste). */
export async function chooseAltText(entry: GalleryEntry, scope: vscode.Uri | undefined, interactive: boolean, log: Log): Promise<string | undefined> {
  const prompt = entry.options.prompt;
  const mode = altTextMode(vscode.workspace.getConfiguration('fluxStudio.insert', scope).get<unknown>('altText'));
  if (mode === 'prompt') return prompt;
  const rule = shortAltText(prompt);
  const short = (await modelAltText(entry, log)) ?? rule;
  if (mode === 'short' || !interactive) return short;
  const answer = await askText({
    title: l10n.t('Alt text for the image'),
    prompt: l10n.t('Describe the image for readers who cannot see it. Press Enter to insert, Escape to cancel.'),
    value: short,
  });
  return answer === undefined ? undefined : answer.trim() || short;
}

/** The language model's alt text, when the user allowed prompts to go to one; undefined: use the rule. Never shows anything. */
async function modelAltText(entry: GalleryEntry, log: Log): Promise<string | undefined> {
  if (readPromptEnhance() === 'off') return undefined; // no prompt text leaves through a model
  const known = modelAltTexts.get(entry.id);
  if (known) return known;
  const stop = new vscode.CancellationTokenSource();
  try {
    const answer = await askFirstModel({
      instruction: altTextInstruction(entry.options.prompt),
      justification: l10n.t('Flux Studio writes a short alt text for the image it inserts into your document.'),
      maxChars: MODEL_ALT_ANSWER_MAX_CHARS,
      timeoutMs: MODEL_ALT_TIMEOUT_MS,
      token: stop.token,
    });
    const text = answer.kind === 'answered' ? cleanModelAltText(answer.text) : undefined;
    log.info(`alt text: ${answer.kind === 'answered' ? `${answer.modelId} answered${text ? '' : ' nothing usable; the rule is used'}` : `no model answer (${answer.kind}); the rule is used`}`);
    if (!text) return undefined;
    if (modelAltTexts.size >= MODEL_ALT_CACHE_SIZE) modelAltTexts.delete(modelAltTexts.keys().next().value!);
    modelAltTexts.set(entry.id, text);
    return text;
  } finally {
    stop.dispose();
  }
}
