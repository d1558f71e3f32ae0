// "Generate Image from Selection" and "Generate Image…": gather the prompt, options and variant count,
// then hand them to the GenerationService.
import * as vscode from 'vscode';
import type { GenerationOptions } from '../../shared/options';
import type { GenerationService } from '../generation';
import type { PromptEnhancer } from '../promptEnhancer';
import { askAspectRatioAndVariants } from '../settings';
import { askVariantCount } from '../variants';
import { askAspectRatio, askPrompt, documentSource, generationDefaults, selectionPrompt, variantCount } from './prompts';

export async function generateFromSelection(generation: GenerationService, enhancer: PromptEnhancer): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && selectionPrompt(editor);
  if (selected) {
    const { document } = editor;
    // Before the payment gate: the user sees (ask) the prompt that will be paid for.
    const chosen = await enhancer.choose(selected.prompt);
    if (!chosen) return;
    // The image lands after the (first) selected text; several selections have no one place.
    const placeAfter = selected.source.selection && {
      document,
      anchor: { ...selected.source.selection, text: document.getText(editor.selection) },
    };
    await generation.generateVariants({ ...generationDefaults(), prompt: chosen.prompt }, selected.source, {
      count: variantCount(),
      placeAfter,
      originalPrompt: chosen.originalPrompt,
    });
    return;
  }
  const currentLine = editor ? editor.document.lineAt(editor.selection.active.line).text.trim() : '';
  const prompt = await askPrompt(currentLine);
  if (prompt !== undefined) await generation.generateVariants({ ...generationDefaults(), prompt }, documentSource(editor), { count: variantCount() });
}

/** Prompt (pre-filled from the selection, or `initialPrompt`), then the aspect ratio unless turned off. */
export async function askPromptAndOptions(initialPrompt?: string): Promise<GenerationOptions | undefined> {
  const editor = vscode.window.activeTextEditor;
  const prompt = await askPrompt(initialPrompt ?? (editor && selectionPrompt(editor)?.prompt) ?? '');
  if (prompt === undefined) return undefined;
  const options = { ...generationDefaults(), prompt };
  if (askAspectRatioAndVariants()) {
    const ratio = await askAspectRatio(options.aspectRatio);
    if (!ratio) return undefined;
    options.aspectRatio = ratio;
  }
  return options;
}

/** Prompt, aspect ratio, then how many variants (unless fluxStudio.askAspectRatioAndVariants is off: the setting's count). */
export async function generateWithOptions(generation: GenerationService): Promise<void> {
  const options = await askPromptAndOptions();
  if (!options) return;
  const count = askAspectRatioAndVariants() ? await askVariantCount(variantCount(), generation.imageCost()) : variantCount();
  if (count !== undefined) await generation.generateVariants(options, documentSource(vscode.window.activeTextEditor), { count });
}
