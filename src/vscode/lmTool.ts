// The language model tool `flux-studio_generateImage` (Copilot's agent mode and any extension calling
// vscode.lm.invokeTool): prepareInvocation asks the user with the prompt and the credit cost; invoke runs
// through the same GenerationService and job engine as the commands (progress, gallery, idempotency), waits
// for the image(s), saves them into the workspace and inserts the first into the target document, and
// tells the model the saved paths and the snippet, with the picture itself where VS Code can carry it. The
// model's input is untrusted (src/shared/imageToolInput.ts), and so is what steers the model (a cloned
// repository's text): the confirmation shows the whole prompt, the tool refuses in an untrusted workspace,
// a target must be a document of an image language inside a workspace folder, and an agent turn that asks
// for many images is stopped by a question of the tool's own, as the daily spending limit is (both from
// invoke, which no auto-approval skips).
import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { AgentTurns, TURN_IMAGE_LIMIT } from '../jobs/agentTurns';
import type { JobEngine } from '../jobs/engine';
import { IMAGE_LANGUAGES } from '../insert/languages';
import { IMAGE_TOOL_NAME, parseImageToolInput, type ImageToolRequest } from '../shared/imageToolInput';
import type { GalleryEntry } from '../shared/entry';
import { FORMAT_LABELS, GENERATION_DEFAULTS } from '../shared/options';
import { agentPicture } from './editor/documentCopy';
import { insertIntoWorkspace, type EntryActionDeps } from './editor/insertAction';
import { describeReason } from './errorMessages';
import type { GenerationService } from './generation';
import { creditsText } from './prices';
import { readGenerationDefaults, SECTION } from './settings';
import { askModal } from './ui/show';
import { l10n } from './ui/text';
import { variantCostText } from './variants';

export interface ImageToolDeps extends EntryActionDeps {
  generation: GenerationService;
  engine: Pick<JobEngine, 'whenSettled'>;
}

/** What invoke tells the model (JSON in one text part: exact paths and snippets, never localized or neutralised). */
export interface ImageToolResult {
  /** `id`: the gallery entry (what @flux's follow-ups refer to). */
  saved: Array<{ id: string; path: string; seed?: number; width?: number; height?: number }>;
  inserted?: { document: string; snippet: string };
  /** Variants that produced no file, and why (in the display language). */
  problems: string[];
}

export class GenerateImageTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly deps: ImageToolDeps) {}

  private readonly turns = new AgentTurns();
  /** Rewrites the user chose in @flux: prompt → the user's own text, kept in the entry when that prompt is generated. */
  private readonly originalPrompts = new Map<string, string>();

  /** The next generation of `prompt` records `originalPrompt` as the user's own text (prompt enhancement in @flux). */
  rememberOriginalPrompt(prompt: string, originalPrompt: string): void {
    this.originalPrompts.set(prompt, originalPrompt);
  }

  /** Side-effect free: reads the settings and the gallery to state the cost. */
  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>): vscode.PreparedToolInvocation {
    const check = parseImageToolInput(options.input, readGenerationDefaults().value);
    // A refused input (or workspace) never reaches the engine: invoke reports the problem to the model.
    if (!check.ok || !vscode.workspace.isTrusted) return { invocationMessage: l10n.t('Checking the image request') };
    const { options: o, variants, targetPath } = check.value;
    const cost = this.deps.generation.imageCost();
    const message = new vscode.MarkdownString();
    const line = (text: string) => message.appendText(text).appendMarkdown('\n\n');
    // The whole prompt, as the model wrote it: the user approves every word that is paid for.
    line(l10n.t('Prompt ({0} characters):', o.prompt.length));
    message.appendMarkdown(codeBlock(o.prompt));
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
    if (!vscode.workspace.isTrusted) {
      throw new Error(
        'Flux Studio does not generate images for an agent in an untrusted workspace (Restricted Mode): text from a repository the user has not trusted could steer the agent into paying for images. Tell the user to trust the workspace (Manage Workspace Trust) or to run Flux: Generate Image themselves.',
      );
    }
    const check = parseImageToolInput(options.input, readGenerationDefaults().value);
    if (!check.ok) throw new Error(check.problem);
    const turn = turnKey(options.toolInvocationToken);
    if (turn !== undefined) await this.countInTurn(turn, check.value.variants);
    const { result, images } = await this.run(check.value, token).finally(() => turn !== undefined && this.turns.ended(turn));
    // The image parts are LanguageModelDataParts, which the 1.100 types (the engines floor) do not know.
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(result)), ...(images as vscode.LanguageModelTextPart[])]);
  }

  /**
   * Counts the call's images in its agent turn; past TURN_IMAGE_LIMIT the user is asked in a modal (no
   * auto-approval answers it), and a refusal is told to the model.
   */
  private async countInTurn(turn: string, images: number): Promise<void> {
    if (this.turns.fits(turn, images)) return this.turns.count(turn, images);
    const more = l10n.t('Allow {0} More', images);
    const detail = l10n.t('It has asked for {0} images in this turn already. Allow it only if you asked for that many.', this.turns.current(turn));
    if ((await askModal(l10n.t('An agent asks Flux Studio for more images'), detail, more)) !== more) {
      throw new Error(`The user stopped this request: the agent has already asked for ${TURN_IMAGE_LIMIT} images in this turn. Do not call the tool again in this turn; ask the user first.`);
    }
    this.turns.count(turn, images, true);
  }

  private async run(request: ImageToolRequest, token: vscode.CancellationToken): Promise<{ result: ImageToolResult; images: unknown[] }> {
    if (!vscode.workspace.workspaceFolders?.length) throw new Error('No folder is open in VS Code, so the image could not be saved into a workspace. Ask the user to open a folder.');
    // Checked before anything is paid for.
    const target = request.targetPath === undefined ? undefined : await openTargetDocument(request.targetPath);
    if (target && !IMAGE_LANGUAGES.includes(target.languageId)) {
      throw new Error(`"${request.targetPath}" is a ${target.languageId} document, which does not show images. Give a document in one of: ${IMAGE_LANGUAGES.join(', ')}.`);
    }
    const source = target && { documentUri: target.uri.toString(), languageId: target.languageId };
    // The user confirmed the cost in the tool's own confirmation.
    const originalPrompt = this.originalPrompts.get(request.options.prompt);
    this.originalPrompts.delete(request.options.prompt);
    const started = await this.deps.generation.generateVariants(request.options, source, { count: request.variants, costConfirmed: true, originalPrompt });
    if (started.length === 0) throw new Error('The generation did not start; Flux Studio showed the user why (for example a missing API key).');
    const settled = await untilCancelled(Promise.all(started.map((entry) => this.deps.engine.whenSettled(entry.id))), token);
    if (!settled) throw new Error('Cancelled. The images are still being generated and will appear in the Flux gallery.');

    const result: ImageToolResult = { saved: [], problems: [] };
    const images: unknown[] = [];
    for (const [index, entry] of settled.entries()) {
      if (entry?.state !== 'completed') {
        result.problems.push(`variant ${index + 1}: ${entry ? describeReason(entry.reason ?? { kind: 'unexpected' }) : 'removed from the gallery'}`);
        continue;
      }
      await this.save(entry, result.inserted || !target ? undefined : target, result);
      const image = await this.imagePart(entry);
      if (image) images.push(image);
    }
    return { result, images };
  }

  /**
   * The picture for the model (VS Code ≥ 1.106 has LanguageModelDataPart; older ones get the text alone),
   * unless fluxStudio.tool.returnImage is off (models that cannot read images reject the whole result).
   */
  private async imagePart(entry: GalleryEntry): Promise<unknown> {
    const dataPart = stableDataPart();
    if (!dataPart || !entry.imageFile || vscode.workspace.getConfiguration(SECTION).get<unknown>('tool.returnImage') === false) return undefined;
    try {
      return dataPart.image(await agentPicture(this.deps.store.imagePath(entry.imageFile)), 'image/jpeg');
    } catch (error) {
      this.deps.log.warn(`tool: could not prepare the image of ${entry.id} for the model: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Saves one image into the workspace (inserting it when `document` is given) and records what happened. */
  private async save(entry: GalleryEntry, document: vscode.TextDocument | undefined, result: ImageToolResult): Promise<void> {
    const inserted = await insertIntoWorkspace(entry, this.deps, { document });
    if (!inserted) {
      result.problems.push(`seed ${entry.options.seed}: generated (it is in the Flux gallery) but not saved into the workspace; the user was shown why`);
      return;
    }
    result.saved.push({ id: entry.id, path: vscode.workspace.asRelativePath(inserted.file), seed: entry.options.seed, width: entry.width, height: entry.height });
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

/**
 * LanguageModelDataPart where it is stable API (VS Code 1.106). Older versions may have the class as a
 * proposal, whose parts a tool result is not meant to carry: they get the text alone.
 */
function stableDataPart(): { image(data: Uint8Array, mime: string): unknown } | undefined {
  const [major, minor] = vscode.version.split('.').map(Number);
  if (!(major > 1 || minor >= 106)) return undefined;
  return (vscode as unknown as { LanguageModelDataPart?: { image(data: Uint8Array, mime: string): unknown } }).LanguageModelDataPart;
}

/** A Markdown code block showing `text` verbatim: the fence is longer than any run of backticks inside. */
export function codeBlock(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${text}\n${fence}\n\n`;
}

/** The chat a call comes from; undefined when none (an extension calling the tool directly is no agent turn). */
function turnKey(token: vscode.ChatParticipantToolToken | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    return JSON.stringify(token);
  } catch {
    return 'unknown';
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
