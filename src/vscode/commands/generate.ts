// "Generate Image from Selection" and "Generate Image…": gather the prompt and options, then hand them
// to the GenerationService.
import * as vscode from 'vscode';
import type { GenerationOptions } from '../../shared/options';
import type { GenerationService } from '../generation';
import { askForOptions } from '../settings';
import { askAspectRatio, askPrompt, documentSource, generationDefaults, selectionPrompt } from './prompts';

export async function generateFromSelection(generation: GenerationService): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && selectionPrompt(editor);
  if (selected) {
    await generation.generate({ ...generationDefaults(), prompt: selected.prompt }, selected.source);
    return;
  }
  const currentLine = editor ? editor.document.lineAt(editor.selection.active.line).text.trim() : '';
  const prompt = await askPrompt(currentLine);
  if (prompt !== undefined) await generation.generate({ ...generationDefaults(), prompt }, documentSource(editor));
}

/** Prompt (pre-filled from the selection, or `initialPrompt`), then the aspect ratio unless turned off. */
export async function askPromptAndOptions(initialPrompt?: string): Promise<GenerationOptions | undefined> {
  const editor = vscode.window.activeTextEditor;
  const prompt = await askPrompt(initialPrompt ?? (editor && selectionPrompt(editor)?.prompt) ?? '');
  if (prompt === undefined) return undefined;
  const options = { ...generationDefaults(), prompt };
  if (askForOptions()) {
    const ratio = await askAspectRatio(options.aspectRatio);
    if (!ratio) return undefined;
    options.aspectRatio = ratio;
  }
  return options;
}

export async function generateWithOptions(generation: GenerationService): Promise<void> {
  const options = await askPromptAndOptions();
  if (options) await generation.generate(options, documentSource(vscode.window.activeTextEditor));
}
