// The language model tool `flux-studio_generateImage` (Copilot's agent mode and any extension calling
// vscode.lm.invokeTool): prepareInvocation asks the user with the prompt and the credit cost; invoke runs
// through the same GenerationService and job engine as the commands (progress, gallery, idempotency), waits
// for the image(s), saves them into the workspace and inserts the first into the target document, and
// tells the model the saved paths and the snippet. The model's input is untrusted (src/shared/imageToolInput.ts);
// a target document must be inside a workspace folder.
import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { JobEngine } from '../jobs/engine';
import { IMAGE_TOOL_NAME, parseImageToolInput, type ImageToolRequest } from '../shared/imageToolInput';
import type { GalleryEntry } from '../shared/entry';
import { FORMAT_LABELS, GENERATION_DEFAULTS } from '../shared/options';
import { insertIntoWorkspace, type EntryActionDeps } from './editor/insertAction';
import { describeReason } from './errorMessages';
import type { GenerationService } from './generation';
import { creditsText } from './prices';
import { readGenerationDefaults } from './settings';
import { l10n } from './ui/text';
import { variantCostText } from './variants';

export interface ImageToolDeps extends EntryActionDeps {
  generation: GenerationService;
  engine: Pick<JobEngine, 'whenSettled'>;
}

/** What invoke tells the model (JSON in one text part: exact paths and snippets, never localized or neutralised). */
export interface ImageToolResult {
  saved: Array<{ path: string; seed?: number; width?: number; height?: number }>;
  inserted?: { document: string; snippet: string };
  /** Variants that produced no file, and why (in the display language). */
  problems: string[];
}

export class GenerateImageTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly deps: ImageToolDeps) {}

  /** Side-effect free: reads the settings and the gallery to state the cost. */
  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>): vscode.PreparedToolInvocation {
    const check = parseImageToolInput(options.input, readGenerationDefaults().value);
    // A refused input never reaches the engine: invoke reports the problem to the model.
    if (!check.ok) return { invocationMessage: l10n.t('Checking the image request') };
    const { options: o, variants, targetPath } = check.value;
    const cost = this.deps.generation.imageCost();
    const message = new vscode.MarkdownString();
    const line = (text: string) => message.appendText(text).appendMarkdown('\n\n');
    line(l10n.t('Prompt: “{0}”', o.prompt));
    line(l10n.t('{0} · {1} · seed {2}', o.aspectRatio, FORMAT_LABELS[o.outputFormat], o.seed ?? l10n.t('random')));
    if (o.imagePrompt) line(l10n.t('Reference image: {0} (reference strength {1})', o.imagePrompt, o.imagePromptStrength ?? GENERATION_DEFAULTS.imagePromptStrength));
    line(variantCostText(variants, cost));
    if (targetPath) line(l10n.t('The image is saved in the workspace and inserted into {0}.', targetPath));
    return {
      invocationMessage: l10n.t('Generating with Flux 1.1 Pro Ultra…'),
      confirmationMessages: {
        title: variants === 1 ? l10n.t('Generate an image for {0}?', creditsText(cost)) : l10n.t('Generate {0} variants for {1}?', variants, creditsText(cost, variants)),
        message,
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const check = parseImageToolInput(options.input, readGenerationDefaults().value);
    if (!check.ok) throw new Error(check.problem);
    const result = await this.run(check.value, token);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(result))]);
  }

  private async run(request: ImageToolRequest, token: vscode.CancellationToken): Promise<ImageToolResult> {
    if (!vscode.workspace.workspaceFolders?.length) throw new Error('No folder is open in VS Code, so the image could not be saved into a workspace. Ask the user to open a folder.');
    // Checked before anything is paid for.
    const target = request.targetPath === undefined ? undefined : await openTargetDocument(request.targetPath);
    const source = target && { documentUri: target.uri.toString(), languageId: target.languageId };
    // The user confirmed the cost in the tool's own confirmation.
    const started = await this.deps.generation.generateVariants(request.options, source, { count: request.variants, costConfirmed: true });
    if (started.length === 0) throw new Error('The generation did not start; Flux Studio showed the user why (for example a missing API key).');
    const settled = await untilCancelled(Promise.all(started.map((entry) => this.deps.engine.whenSettled(entry.id))), token);
    if (!settled) throw new Error('Cancelled. The images are still being generated and will appear in the Flux gallery.');

    const result: ImageToolResult = { saved: [], problems: [] };
    for (const [index, entry] of settled.entries()) {
      if (entry?.state !== 'completed') {
        result.problems.push(`variant ${index + 1}: ${entry ? describeReason(entry.reason ?? { kind: 'unexpected' }) : 'removed from the gallery'}`);
        continue;
      }
      await this.save(entry, result.inserted || !target ? undefined : target, result);
    }
    return result;
  }

  /** Saves one image into the workspace (inserting it when `document` is given) and records what happened. */
  private async save(entry: GalleryEntry, document: vscode.TextDocument | undefined, result: ImageToolResult): Promise<void> {
    const inserted = await insertIntoWorkspace(entry, this.deps, { document });
    if (!inserted) {
      result.problems.push(`seed ${entry.options.seed}: generated (it is in the Flux gallery) but not saved into the workspace; the user was shown why`);
      return;
    }
    result.saved.push({ path: vscode.workspace.asRelativePath(inserted.file), seed: entry.options.seed, width: entry.width, height: entry.height });
    if (inserted.document && inserted.snippet !== undefined) {
      result.inserted = { document: vscode.workspace.asRelativePath(inserted.document.uri), snippet: inserted.snippet };
    }
  }
}

/**
 * The document at `targetPath` (relative to a workspace folder, optionally prefixed with the folder's name,
 * or absolute), which must exist inside a workspace folder — symbolic links followed.
 */
async function openTargetDocument(targetPath: string): Promise<vscode.TextDocument> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const segments = targetPath.split(/[\\/]+/).filter(Boolean);
  const candidates = path.isAbsolute(targetPath)
    ? [vscode.Uri.file(targetPath)]
    : folders.flatMap((folder) => [vscode.Uri.joinPath(folder.uri, ...segments), ...(segments[0] === folder.name ? [vscode.Uri.joinPath(folder.uri, ...segments.slice(1))] : [])]);
  for (const uri of candidates) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || !(await isInside(folder, uri))) continue;
    try {
      return await vscode.workspace.openTextDocument(uri);
    } catch {
      // not there (or not text): try the next folder
    }
  }
  throw new Error(`"${targetPath}" is not a text document inside the open workspace folders. Give a path relative to the workspace folder of an existing file.`);
}

async function isInside(folder: vscode.WorkspaceFolder, uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme !== 'file') return true;
  try {
    const [root, file] = await Promise.all([nodeFs.realpath(folder.uri.fsPath), nodeFs.realpath(uri.fsPath)]);
    const relative = path.relative(root, file);
    return !!relative && !relative.startsWith('..') && !path.isAbsolute(relative);
  } catch {
    return false;
  }
}

function untilCancelled<T>(work: Promise<T>, token: vscode.CancellationToken): Promise<T | undefined> {
  if (token.isCancellationRequested) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const subscription = token.onCancellationRequested(() => resolve(undefined));
    work.then(resolve, reject).finally(() => subscription.dispose());
  });
}

export function registerImageTool(deps: ImageToolDeps): { tool: GenerateImageTool; registration: vscode.Disposable } {
  const tool = new GenerateImageTool(deps);
  return { tool, registration: vscode.lm.registerTool(IMAGE_TOOL_NAME, tool) };
}
