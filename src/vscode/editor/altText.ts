// The alt text of an inserted image, by fluxStudio.insert.altText: `short` (the prompt's first clause,
// src/insert/altText.ts), `prompt` (the whole prompt, shortened by the snippet rules), or `ask` (an input
// box prefilled with the short text; Escape cancels the insert).
import * as vscode from 'vscode';
import { altTextMode, shortAltText } from '../../insert/altText';
import type { GalleryEntry } from '../../shared/entry';
import { askText } from '../ui/show';
import { l10n } from '../ui/text';

/** Undefined when the user cancelled the question. `interactive` is false where no question can be asked (drop, paste). */
export async function chooseAltText(entry: GalleryEntry, scope: vscode.Uri | undefined, interactive: boolean): Promise<string | undefined> {
  const prompt = entry.options.prompt;
  const mode = altTextMode(vscode.workspace.getConfiguration('fluxStudio.insert', scope).get<unknown>('altText'));
  if (mode === 'prompt') return prompt;
  const short = shortAltText(prompt);
  if (mode === 'short' || !interactive) return short;
  const answer = await askText({
    title: l10n.t('Alt text for the image'),
    prompt: l10n.t('Describe the image for readers who cannot see it. Press Enter to insert, Escape to cancel.'),
    value: short,
  });
  return answer === undefined ? undefined : answer.trim() || short;
}
