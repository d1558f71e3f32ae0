// Prompts written by a language model (vscode.lm), when one is available and the user agreed to prompts
// being sent to one (fluxStudio.prompt.enhance other than 'off'). The model's answer is outside text: only
// a JSON list of { index, prompt } for the sections it was asked about is taken, each prompt capped.
import * as vscode from 'vscode';
import { parseModelPrompts } from '../../insert/illustration';
import type { Log } from '../../shared/log';
import { askFirstModel } from '../languageModel';
import { readPromptEnhance } from '../settings';
import { l10n } from '../ui/text';

/** What the model is told of one section. */
export interface SectionForModel {
  index: number;
  heading: string;
  /** The section's first paragraph as plain text. */
  text: string;
}

/** Text of one section sent, at most; the whole answer read, at most. */
const SECTION_TEXT_MAX = 800;
const ANSWER_MAX = 40_000;
/** A model that has not written the prompts by then is given up on (the headings' prompts are used). */
const MODEL_PROMPTS_TIMEOUT_MS = 60_000;

/** The model's prompts by section index; undefined when none may be or could be written (the headings' prompts are used). */
export async function modelPrompts(sections: readonly SectionForModel[], log: Log, token: vscode.CancellationToken): Promise<Map<number, string> | undefined> {
  if (sections.length === 0 || readPromptEnhance() === 'off') return undefined; // no document text leaves through a model
  const request = sections.map(({ index, heading, text }) => ({ index, heading, text: text.slice(0, SECTION_TEXT_MAX) }));
  const answer = await askFirstModel({
    instruction:
      'Write one image prompt for each section of a document below, for Flux 1.1 Pro Ultra: one or two sentences that describe a picture ' +
      'illustrating the section (subject, setting, composition), no style words and no text in the image. ' +
      'Answer with only a JSON array of {"index": number, "prompt": string}.\n\n' +
      JSON.stringify(request),
    justification: l10n.t('Flux Studio writes an image prompt for each section of the document you illustrate.'),
    maxChars: ANSWER_MAX,
    timeoutMs: MODEL_PROMPTS_TIMEOUT_MS,
    token,
  });
  if (answer.kind !== 'answered') {
    log.warn(`illustrate: no prompts from a language model (${answer.kind === 'error' ? answer.message : answer.kind}); using the headings`);
    return undefined;
  }
  const prompts = parseModelPrompts(answer.text, new Set(sections.map((s) => s.index)));
  log.info(`illustrate: ${answer.modelId} wrote ${prompts.size} of ${sections.length} prompts`);
  return prompts.size ? prompts : undefined;
}
