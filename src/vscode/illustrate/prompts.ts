// Prompts written by a language model (vscode.lm), when one is available and the user agreed to prompts
// being sent to one (fluxStudio.prompt.enhance other than 'off'). The model's answer is outside text: only
// a JSON list of { index, prompt } for the sections it was asked about is taken, each prompt capped.
import * as vscode from 'vscode';
import { parseModelPrompts } from '../../insert/illustration';
import type { Log } from '../../shared/log';

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

/** The user agreed to prompts being written by a language model (fluxStudio.prompt.enhance). */
export function modelMayWritePrompts(): boolean {
  return vscode.workspace.getConfiguration('fluxStudio').get<string>('prompt.enhance', 'off') !== 'off';
}

/** The model's prompts by section index; undefined when none may be or could be written (the headings' prompts are used). */
export async function modelPrompts(sections: readonly SectionForModel[], log: Log, token: vscode.CancellationToken): Promise<Map<number, string> | undefined> {
  if (sections.length === 0 || !modelMayWritePrompts()) return undefined;
  try {
    const [model] = await vscode.lm.selectChatModels();
    if (!model) return undefined;
    const request = sections.map(({ index, heading, text }) => ({ index, heading, text: text.slice(0, SECTION_TEXT_MAX) }));
    const message = vscode.LanguageModelChatMessage.User(
      'Write one image prompt for each section of a document below, for Flux 1.1 Pro Ultra: one or two sentences that describe a picture ' +
        'illustrating the section (subject, setting, composition), no style words and no text in the image. ' +
        'Answer with only a JSON array of {"index": number, "prompt": string}.\n\n' +
        JSON.stringify(request),
    );
    const response = await model.sendRequest([message], {}, token);
    let answer = '';
    for await (const part of response.text) {
      answer += part;
      if (answer.length > ANSWER_MAX) break;
    }
    const prompts = parseModelPrompts(answer, new Set(sections.map((s) => s.index)));
    log.info(`illustrate: ${model.id} wrote ${prompts.size} of ${sections.length} prompts`);
    return prompts.size ? prompts : undefined;
  } catch (error) {
    log.warn(`illustrate: no prompts from a language model (${error instanceof Error ? error.message : String(error)}); using the headings`);
    return undefined;
  }
}
