// fluxStudio.prompt.enhance: a language model the user has in VS Code (vscode.lm) rewrites the prompt into
// a detailed English one before anything is paid for. `off` sends nothing to any model; `ask` shows both
// prompts and lets the user pick or edit; `always` takes the rewrite. Without a model, or when the model
// fails, the image is made from the user's own text (said once per session, or per failure).
import * as vscode from 'vscode';
import type { Log } from '../shared/log';
import { PROMPT_MAX_LENGTH } from '../shared/options';
import { cleanEnhancedPrompt, enhanceInstruction, ENHANCE_ANSWER_MAX_CHARS } from '../shared/promptEnhance';
import { askPrompt } from './commands/prompts';
import { askFirstModel } from './languageModel';
import { readPromptEnhance } from './settings';
import { pick, showInfo, showWarning, withNotificationProgress } from './ui/show';
import { icon, join, l10n, plain, type SafeText } from './ui/text';

/** A model that has not answered by then is given up on (the user's text is used). */
export const ENHANCE_TIMEOUT_MS = 30_000;

/** The prompt to generate with, and the user's own text when that is a rewrite of it. */
export interface ChosenPrompt {
  prompt: string;
  originalPrompt?: string;
}

/** The model's rewrite; `cancelled` (the user stopped it); `failed` (said why, or that there is no model). */
export type Rewrite = { kind: 'rewritten'; prompt: string } | { kind: 'cancelled' } | { kind: 'failed' };

export class PromptEnhancer {
  /** "No language model" is said once per session, not on every generation. */
  private noModelSaid = false;

  constructor(
    private readonly log: Log,
    private readonly timeoutMs = ENHANCE_TIMEOUT_MS,
    /** The models to ask, first one first (tests give their own). */
    private readonly chatModels: () => Thenable<readonly vscode.LanguageModelChat[]> = () => vscode.lm.selectChatModels(),
  ) {}

  /** Whether prompts go to a language model first (fluxStudio.prompt.enhance is not off). */
  enabled(): boolean {
    return readPromptEnhance() !== 'off';
  }

  /**
   * The prompt to pay for, per the setting: as written (`off`, no model, the model failed), the rewrite
   * (`always`) or what the user picked or edited (`ask`). Undefined: the user cancelled; nothing is paid.
   * Without `token` the model's work shows as a cancellable notification (chat passes its own).
   */
  async choose(prompt: string, token?: vscode.CancellationToken): Promise<ChosenPrompt | undefined> {
    const mode = readPromptEnhance();
    if (mode === 'off') return { prompt };
    const rewrite = token ? await this.rewrite(prompt, token) : await this.rewriteWithProgress(prompt);
    if (rewrite.kind === 'cancelled') return undefined;
    if (rewrite.kind === 'failed' || rewrite.prompt === prompt) return { prompt };
    if (mode === 'always') return { prompt: rewrite.prompt, originalPrompt: prompt };
    const chosen = await askWhichPrompt(prompt, rewrite.prompt);
    return chosen === undefined ? undefined : { prompt: chosen, ...(chosen === prompt ? {} : { originalPrompt: prompt }) };
  }

  /** The rewrite under a cancellable notification (the gallery's button, the commands). */
  rewriteWithProgress(prompt: string): Thenable<Rewrite> {
    return withNotificationProgress(l10n.t('Flux: improving the prompt with a language model…'), true, (_progress, token) => this.rewrite(prompt, token));
  }

  /** Asks the first chat model VS Code offers; stops at `token`, after the timeout, or after a runaway answer. */
  async rewrite(prompt: string, token: vscode.CancellationToken): Promise<Rewrite> {
    const answer = await askFirstModel({
      instruction: enhanceInstruction(prompt),
      justification: l10n.t('Flux Studio rewrites your image prompt into a detailed English prompt before generating it.'),
      maxChars: ENHANCE_ANSWER_MAX_CHARS,
      timeoutMs: this.timeoutMs,
      token,
      chatModels: this.chatModels,
    });
    switch (answer.kind) {
      case 'cancelled':
        return { kind: 'cancelled' };
      case 'noModel':
        return this.noModel();
      case 'timedOut':
        return this.failed(l10n.t('It did not answer within {0} seconds.', Math.round(this.timeoutMs / 1000)));
      case 'error':
        this.log.warn(`prompt enhancement failed: ${answer.message}`);
        return this.failed(plain(answer.message, 200));
      case 'answered': {
        const cleaned = cleanEnhancedPrompt(answer.text);
        this.log.info(`prompt enhancement: ${answer.modelId} answered ${answer.text.length} characters`);
        return cleaned.ok ? { kind: 'rewritten', prompt: cleaned.prompt } : this.failed(l10n.t('Its answer was empty.'));
      }
    }
  }

  private noModel(): Rewrite {
    if (!this.noModelSaid) {
      this.noModelSaid = true;
      void showInfo(l10n.t('No language model is available in VS Code, so prompts are not improved: images are made from your text as written. Install one (for example GitHub Copilot), or set fluxStudio.prompt.enhance to off.'));
    }
    return { kind: 'failed' };
  }

  private failed(why: SafeText): Rewrite {
    void showWarning(join([l10n.t('The language model could not improve the prompt:'), why, l10n.t('Your text is used as written.')]));
    return { kind: 'failed' };
  }
}

/** Both prompts side by side, and Edit…: resolves to the prompt the user chose, undefined when dismissed. */
async function askWhichPrompt(original: string, rewrite: string): Promise<string | undefined> {
  const items = [
    { label: join([icon('sparkle'), l10n.t('Improved prompt')]), detail: plain(rewrite, PROMPT_MAX_LENGTH), choice: 'rewrite' as const },
    { label: l10n.t('Your prompt'), detail: plain(original, PROMPT_MAX_LENGTH), choice: 'original' as const },
    { label: l10n.t('Edit…'), detail: l10n.t('Change the improved prompt before generating'), choice: 'edit' as const },
  ];
  const picked = await pick(items, { title: l10n.t('Flux: which prompt?'), placeHolder: l10n.t('Nothing is paid until you choose.') });
  if (!picked) return undefined;
  if (picked.choice === 'edit') return askPrompt(rewrite);
  return picked.choice === 'rewrite' ? rewrite : original;
}
