// What the user is told when the engine finishes or stops a job, with the one action that helps:
// an image is ready (Insert / Open Gallery), a job failed (Edit prompt and retry), or a job needs the user
// (set the key, top up, check a setting, retry later). Imported entries are reported by their batch.
import * as vscode from 'vscode';
import type { EngineEvent } from '../jobs/engine';
import { COMMANDS } from '../shared/commands';
import { REASON_KINDS, type GalleryEntry } from '../shared/entry';
import { askPrompt } from './commands/prompts';
import { describeReason } from './errorMessages';
import type { GenerationService } from './generation';
import type { KeyService } from './keys';
import { showError, showInfo } from './ui/show';
import { join, l10n, shortPlain } from './ui/text';

export class JobNotifier {
  constructor(
    private readonly generation: GenerationService,
    private readonly keys: KeyService,
    private readonly revealGallery: (preserveFocus: boolean) => void,
  ) {}

  async notify(event: EngineEvent): Promise<void> {
    if (event.entry.imported) return;
    const prompt = shortPlain(event.entry.options.prompt, 60);
    if (event.kind === 'completed') {
      if (event.entry.targetFile) return; // its document links it already; TargetFileWriter says where it went
      const insert = l10n.t('Insert into workspace');
      const open = l10n.t('Open Gallery');
      const choice = await showInfo(l10n.t('Image ready: “{0}”', prompt), insert, open);
      if (choice === insert) void vscode.commands.executeCommand(COMMANDS.insertIntoWorkspace, event.entry.id);
      if (choice === open) this.revealGallery(false);
      return;
    }
    const reason = describeReason(event.entry.reason ?? { kind: REASON_KINDS.unexpected });
    if (event.kind === 'failed') {
      const retry = l10n.t('Edit prompt and retry');
      const choice = await showError(join([l10n.t('Flux could not generate “{0}”.', prompt), reason]), retry);
      if (choice === retry) await this.generation.editAndRetry(event.entry, askPrompt);
      return;
    }
    await this.askForAttention(event.entry, reason);
  }

  /** A job paused because the user must do something: offer exactly that. */
  private async askForAttention(entry: GalleryEntry, reason: ReturnType<typeof describeReason>): Promise<void> {
    const kind = entry.reason?.kind;
    const setKey = l10n.t('Set API Key');
    const retry = l10n.t('Retry');
    const openSettings = l10n.t('Open Settings');
    const actions = kind === 'invalidKey' || kind === 'inactiveKey' ? [setKey] : kind === 'invalidParameters' ? [openSettings] : [retry];
    const choice = await showError(reason, ...actions);
    if (choice === setKey) {
      if (await this.keys.promptForKey()) await this.generation.retry(entry.id);
    } else if (choice === retry) {
      await this.generation.retry(entry.id);
    } else if (choice === openSettings) {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'fluxStudio');
    }
  }
}
