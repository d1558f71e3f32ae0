// Asking for a prompt and options, and reading the prompt from the editor's selection.
import * as vscode from 'vscode';
import { promptFromSelection } from '../../insert/prompt';
import type { PromptSource } from '../../shared/entry';
import { ASPECT_RATIOS, AspectRatio, PROMPT_MAX_LENGTH, ULTRA_SIZES } from '../../shared/options';
import { readGenerationDefaults, readVariantCount, type GenerationDefaults } from '../settings';
import { askText, pick, showWarning } from '../ui/show';
import { l10n, plain } from '../ui/text';

/** Settings with any hand-edited mistakes reported (once per command) and replaced by defaults. */
export function generationDefaults(): GenerationDefaults {
  const reading = readGenerationDefaults();
  for (const problem of reading.problems) void showWarning(problem);
  return reading.value;
}

/** fluxStudio.variants, with a hand-edited mistake reported and replaced by 1. */
export function variantCount(): number {
  const reading = readVariantCount();
  for (const problem of reading.problems) void showWarning(problem);
  return reading.value;
}

/** The prompt the selected text means (markup and comment syntax removed; several selections joined), and where it came from. */
export function selectionPrompt(editor: vscode.TextEditor): { prompt: string; source: PromptSource } | undefined {
  const selections = editor.selections.filter((selection) => !selection.isEmpty);
  if (selections.length === 0) return undefined;
  const { document } = editor;
  const prompt = selections
    .map((selection) => promptFromSelection(document.getText(selection), document.languageId))
    .filter(Boolean)
    .join(' ');
  if (!prompt) return undefined;
  const first = selections[0];
  return {
    prompt,
    source: {
      documentUri: editor.document.uri.toString(),
      languageId: editor.document.languageId,
      selection: selections.length === 1 ? { start: editor.document.offsetAt(first.start), end: editor.document.offsetAt(first.end) } : undefined,
    },
  };
}

export function documentSource(editor: vscode.TextEditor | undefined): PromptSource | undefined {
  return editor ? { documentUri: editor.document.uri.toString(), languageId: editor.document.languageId } : undefined;
}

export function askPrompt(value: string): Thenable<string | undefined> {
  return askText({
    title: l10n.t('Flux: describe the image'),
    prompt: l10n.t('What should Flux 1.1 Pro Ultra draw?'),
    value,
    validate: (text) => {
      const length = text.trim().length;
      if (length === 0) return l10n.t('The prompt is empty.');
      if (length > PROMPT_MAX_LENGTH) return l10n.t('{0} characters: Flux accepts at most {1}.', length, PROMPT_MAX_LENGTH);
      return undefined;
    },
  });
}

export async function askAspectRatio(current: AspectRatio): Promise<AspectRatio | undefined> {
  const items = ASPECT_RATIOS.map((ratio) => ({
    label: plain(ratio),
    description: plain(`${ULTRA_SIZES[ratio].width} × ${ULTRA_SIZES[ratio].height}`),
    detail: ratio === current ? l10n.t('Default (fluxStudio.aspectRatio)') : undefined,
    ratio,
  }));
  const ordered = [...items.filter((i) => i.ratio === current), ...items.filter((i) => i.ratio !== current)];
  return (await pick(ordered, { title: l10n.t('Flux: aspect ratio') }))?.ratio;
}
