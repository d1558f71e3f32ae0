// The chat participant @flux: `/generate <prompt>` (the default) makes an image into the workspace,
// `/insert <prompt>` also inserts it into the active editor's document. Both run the language model tool
// (lmTool.ts) with the request's invocation token, so the cost confirmation shows inline in the chat and
// every paid call passes the one payment gate. `/illustrate` opens the plan of the open document (Flux:
// Illustrate This Document); nothing is paid there until the plan's Generate. It converses: a `#file` image
// becomes the reference image, a `#file` document of an image language the insert target, and a message
// after an image changes that image (src/shared/chatFollowUp.ts). The answer shows the picture, the saved
// file as an anchor, and follow-up buttons (Vary, Insert, Another). Everything from the chat (prompts, references, history) is outside text.
import * as path from 'path';
import * as vscode from 'vscode';
import { IMAGE_LANGUAGES } from '../insert/languages';
import type { PlanRow } from '../protocol/illustrate';
import { applyFollowUp, isFollowUpMessage, type PreviousImage } from '../shared/chatFollowUp';
import { COMMANDS } from '../shared/commands';
import { IMAGE_TOOL_NAME } from '../shared/imageToolInput';
import { IMAGE_FILE_EXTENSIONS } from '../shared/media';
import { isAspectRatio, type AspectRatio } from '../shared/options';
import { agentPicture } from './editor/documentCopy';
import type { EditorTracker } from './editor/editorTracker';
import type { GenerateImageTool, ImageToolResult } from './lmTool';
import type { PromptEnhancer } from './promptEnhancer';
import { readGenerationDefaults } from './settings';
import { l10n, type SafeText } from './ui/text';

export const CHAT_PARTICIPANT_ID = 'flux-studio.flux';

/** The image an answer made, recorded in its ChatResult for the follow-ups (read back from the history). */
interface ChatImage extends PreviousImage {
  entryId: string;
  /** Workspace-relative path of the saved file. */
  path: string;
}

interface FluxChatMetadata {
  image?: ChatImage;
}

export interface ChatDeps {
  editors: EditorTracker;
  enhancer: PromptEnhancer;
  tool: Pick<GenerateImageTool, 'rememberOriginalPrompt'>;
  /** Uploads a local image as the reference; its URL, or undefined with the reason shown. */
  uploadReference(uri: vscode.Uri): Promise<string | undefined>;
}

interface ToolInput {
  prompt: string;
  aspectRatio?: AspectRatio;
  seed?: number;
  referenceImageUrl?: string;
  targetPath?: string;
}

/** What the request needs besides the prompt: the reference image to upload, where to insert. */
interface RequestPlan {
  input: ToolInput;
  reference?: vscode.Uri;
}

/** The participant's request handler (exported for the in-host tests). */
export function chatHandler(deps: ChatDeps): vscode.ChatRequestHandler {
  return async (request, context, stream, token) => {
    const text = (value: string) => stream.markdown(new vscode.MarkdownString().appendText(value).appendMarkdown('\n\n'));
    if (request.command === 'illustrate') {
      const rows = await vscode.commands.executeCommand<PlanRow[] | undefined>(COMMANDS.illustrateDocument);
      const planned = rows?.filter((row) => row.checked).length ?? 0;
      if (rows) text(l10n.t('The plan is open beside the document: {0} sections to illustrate. Edit the prompts and the style there, then press Generate.', planned));
      return {};
    }
    const references = await readReferences(request.references);
    const previous = previousImage(context.history);
    const plan = await planRequest(request, previous, references.image, deps, stream, token);
    if (plan && 'insert' in plan) return insertPrevious(plan.insert, text);
    if (!plan) {
      if (!request.prompt.trim()) text(l10n.t('Describe the image after /generate (or after /insert to put it into the open document).'));
      return {};
    }
    const targetPath = request.command === 'insert' ? activeDocumentPath(deps.editors) : references.document;
    if (targetPath === null) {
      text(l10n.t('Open the workspace document to insert the image into, then ask again.'));
      return {};
    }
    if (targetPath) plan.input.targetPath = targetPath;
    if (plan.reference) {
      stream.progress(l10n.t('Uploading the reference image…'));
      const url = await deps.uploadReference(plan.reference);
      if (!url || token.isCancellationRequested) return {};
      plan.input.referenceImageUrl = url;
    }
    stream.progress(l10n.t('Generating with Flux 1.1 Pro Ultra…'));
    try {
      const result = await vscode.lm.invokeTool(IMAGE_TOOL_NAME, { input: plan.input, toolInvocationToken: request.toolInvocationToken }, token);
      const image = await report(parseResult(result), plan.input, text, stream);
      return { metadata: { image } satisfies FluxChatMetadata };
    } catch (error) {
      if (token.isCancellationRequested) return {};
      text(error instanceof Error ? error.message : String(error));
      return {};
    }
  };
}

/**
 * The tool input for this message: a follow-up on the previous image (a short message after one), or a new
 * prompt — rewritten first when fluxStudio.prompt.enhance says so. `insert`: put that image in; undefined:
 * nothing to do (no prompt, or the user cancelled the rewrite).
 */
async function planRequest(
  request: vscode.ChatRequest,
  previous: ChatImage | undefined,
  referenceImage: vscode.Uri | undefined,
  deps: ChatDeps,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<RequestPlan | { insert: ChatImage } | undefined> {
  const prompt = request.prompt.trim();
  if (!prompt) return undefined;
  // VS Code keeps the last slash command on the next message (typed, or a follow-up button's), so a short
  // message is a follow-up whatever its command.
  if (previous && isFollowUpMessage(prompt)) {
    const followUp = applyFollowUp(previous, prompt);
    if (followUp.kind === 'insert') return { insert: previous };
    // Vary: the picture itself becomes the reference (uploaded, like a #file image).
    if (followUp.kind === 'vary') return { input: { prompt: previous.prompt, aspectRatio: previous.aspectRatio }, reference: referenceImage ?? workspaceFile(previous.path) };
    const { prompt: changed, aspectRatio, seed } = followUp;
    return { input: { prompt: changed, aspectRatio, ...(seed !== undefined ? { seed } : {}) }, reference: referenceImage };
  }
  if (deps.enhancer.enabled()) stream.progress(l10n.t('Improving the prompt with a language model…'));
  const chosen = await deps.enhancer.choose(prompt, token);
  if (!chosen) return undefined;
  if (chosen.originalPrompt) deps.tool.rememberOriginalPrompt(chosen.prompt, chosen.originalPrompt);
  return { input: { prompt: chosen.prompt }, reference: referenceImage };
}

/** `#file` references: the first image file (the reference image) and the first document that shows images (the target). */
async function readReferences(references: readonly vscode.ChatPromptReference[]): Promise<{ image?: vscode.Uri; document?: string }> {
  const found: { image?: vscode.Uri; document?: string } = {};
  for (const reference of references) {
    const uri = reference.value instanceof vscode.Uri ? reference.value : reference.value instanceof vscode.Location ? reference.value.uri : undefined;
    if (!uri || !vscode.workspace.getWorkspaceFolder(uri)) continue;
    const extension = path.posix.extname(uri.path).slice(1).toLowerCase();
    if (IMAGE_FILE_EXTENSIONS.includes(extension)) {
      found.image ??= uri;
      continue;
    }
    if (found.document) continue;
    const document = await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => undefined);
    if (document && IMAGE_LANGUAGES.includes(document.languageId)) found.document = vscode.workspace.asRelativePath(uri);
  }
  return found;
}

/** The active editor's document relative to the workspace; null when there is none in the workspace. */
function activeDocumentPath(editors: EditorTracker): string | null {
  const document = editors.current()?.document;
  return document && vscode.workspace.getWorkspaceFolder(document.uri) ? vscode.workspace.asRelativePath(document.uri) : null;
}

/** The last image @flux made in this conversation (its recorded metadata, checked: the history is stored outside). */
function previousImage(history: vscode.ChatContext['history']): ChatImage | undefined {
  for (const turn of [...history].reverse()) {
    if (!(turn instanceof vscode.ChatResponseTurn) || turn.participant !== CHAT_PARTICIPANT_ID) continue;
    const image = (turn.result.metadata as FluxChatMetadata | undefined)?.image;
    if (isChatImage(image)) return image;
  }
  return undefined;
}

function isChatImage(value: unknown): value is ChatImage {
  const image = value as Partial<ChatImage> | undefined;
  return (
    typeof image?.prompt === 'string' &&
    typeof image.entryId === 'string' &&
    typeof image.path === 'string' &&
    isAspectRatio(image.aspectRatio) &&
    (image.seed === undefined || Number.isSafeInteger(image.seed))
  );
}

function workspaceFile(relative: string): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.length === 1 ? vscode.Uri.joinPath(folders[0].uri, ...relative.split('/')) : undefined;
}

/** Insert (the follow-up button): the previous image into the active document, as the gallery's Insert does; nothing is paid. */
async function insertPrevious(previous: ChatImage, text: (value: SafeText) => void): Promise<vscode.ChatResult> {
  const inserted = await vscode.commands.executeCommand<unknown>(COMMANDS.insertIntoWorkspace, previous.entryId);
  text(inserted ? l10n.t('Inserted {0} into the open document.', previous.path) : l10n.t('Nothing was inserted.'));
  return { metadata: { image: previous } satisfies FluxChatMetadata };
}

function parseResult(result: vscode.LanguageModelToolResult): ImageToolResult {
  const part = result.content.find((item): item is vscode.LanguageModelTextPart => item instanceof vscode.LanguageModelTextPart);
  return JSON.parse(part?.value ?? '{"saved":[],"problems":[]}') as ImageToolResult;
}

/** Writes the answer: each picture inline with its file as an anchor, the insert, the problems. Returns the first image made. */
async function report(result: ImageToolResult, input: ToolInput, text: (value: string) => void, stream: vscode.ChatResponseStream): Promise<ChatImage | undefined> {
  for (const saved of result.saved) {
    text(l10n.t('Saved {0}.', saved.path));
    const file = workspaceFile(saved.path);
    if (!file) continue;
    const picture = await pictureMarkdown(file, input.prompt);
    if (picture) stream.markdown(picture);
    stream.anchor(file, saved.path);
    stream.markdown('\n\n');
  }
  if (result.inserted) {
    text(l10n.t('Inserted into {0}:', result.inserted.document));
    text(result.inserted.snippet); // as it is in the document (not neutralised), escaped as Markdown
  }
  for (const problem of result.problems) text(problem);
  const first = result.saved[0];
  return first && { entryId: first.id, path: first.path, prompt: input.prompt, aspectRatio: input.aspectRatio ?? readGenerationDefaults().value.aspectRatio, seed: first.seed };
}

/** The picture as a Markdown image: the agent's downscaled JPEG as a data URI (the chat shows no workspace file on every host). */
async function pictureMarkdown(file: vscode.Uri, prompt: string): Promise<vscode.MarkdownString | undefined> {
  try {
    const jpeg = await agentPicture(file.fsPath);
    const alt = prompt.replace(/[\[\]\\\r\n`*_<>]/g, ' ').slice(0, 100).trim();
    return new vscode.MarkdownString(`![${alt}](data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')})\n\n`);
  } catch {
    return undefined; // the file is shown as an anchor only
  }
}

/** The buttons under an answer with an image: each sends a follow-up message the rules understand. */
const followupProvider: vscode.ChatFollowupProvider = {
  provideFollowups(result) {
    if (!isChatImage((result.metadata as FluxChatMetadata | undefined)?.image)) return [];
    return [
      { label: l10n.t('Vary'), prompt: l10n.t('vary') },
      { label: l10n.t('Insert'), prompt: l10n.t('insert') },
      { label: l10n.t('Another'), prompt: l10n.t('another one') },
    ];
  },
};

export function registerChatParticipant(extensionUri: vscode.Uri, deps: ChatDeps): vscode.Disposable {
  const participant = vscode.chat.createChatParticipant(CHAT_PARTICIPANT_ID, chatHandler(deps));
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  participant.followupProvider = followupProvider;
  return participant;
}
