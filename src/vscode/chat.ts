// The chat participant @flux: `/generate <prompt>` (the default) makes an image into the workspace,
// `/insert <prompt>` also inserts it into the active editor's document. Both run the language model tool
// (lmTool.ts) with the request's invocation token, so the cost confirmation shows inline in the chat.
// `/illustrate` opens the plan of the open document (Flux: Illustrate This Document); nothing is paid there
// until the plan's Generate.
import * as vscode from 'vscode';
import type { PlanRow } from '../protocol/illustrate';
import { COMMANDS } from '../shared/commands';
import { IMAGE_TOOL_NAME } from '../shared/imageToolInput';
import type { EditorTracker } from './editor/editorTracker';
import type { ImageToolResult } from './lmTool';
import { l10n } from './ui/text';

export const CHAT_PARTICIPANT_ID = 'flux-studio.flux';

/** The participant's request handler (exported for the in-host tests). */
export function chatHandler(editors: EditorTracker): vscode.ChatRequestHandler {
  return async (request, _context, stream, token) => {
    const prompt = request.prompt.trim();
    const text = (value: string) => stream.markdown(new vscode.MarkdownString().appendText(value).appendMarkdown('\n\n'));
    if (request.command === 'illustrate') {
      const rows = await vscode.commands.executeCommand<PlanRow[] | undefined>(COMMANDS.illustrateDocument);
      const planned = rows?.filter((row) => row.checked).length ?? 0;
      if (rows) text(l10n.t('The plan is open beside the document: {0} sections to illustrate. Edit the prompts and the style there, then press Generate.', planned));
      return {};
    }
    if (!prompt) {
      text(l10n.t('Describe the image after /generate (or after /insert to put it into the open document).'));
      return {};
    }
    let targetPath: string | undefined;
    if (request.command === 'insert') {
      const document = editors.current()?.document;
      if (!document || !vscode.workspace.getWorkspaceFolder(document.uri)) {
        text(l10n.t('Open the workspace document to insert the image into, then ask again.'));
        return {};
      }
      targetPath = vscode.workspace.asRelativePath(document.uri);
    }
    stream.progress(l10n.t('Generating with Flux 1.1 Pro Ultra…'));
    const input = { prompt, ...(targetPath ? { targetPath } : {}) };
    try {
      const result = await vscode.lm.invokeTool(IMAGE_TOOL_NAME, { input, toolInvocationToken: request.toolInvocationToken }, token);
      report(parseResult(result), text, stream);
    } catch (error) {
      if (token.isCancellationRequested) return {};
      text(error instanceof Error ? error.message : String(error));
    }
    return {};
  };
}

function parseResult(result: vscode.LanguageModelToolResult): ImageToolResult {
  const part = result.content.find((item): item is vscode.LanguageModelTextPart => item instanceof vscode.LanguageModelTextPart);
  return JSON.parse(part?.value ?? '{"saved":[],"problems":[]}') as ImageToolResult;
}

function report(result: ImageToolResult, text: (value: string) => void, stream: vscode.ChatResponseStream): void {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  for (const saved of result.saved) {
    text(l10n.t('Saved {0}.', saved.path));
    if (folder && vscode.workspace.workspaceFolders?.length === 1) stream.reference(vscode.Uri.joinPath(folder, saved.path));
  }
  if (result.inserted) {
    text(l10n.t('Inserted into {0}:', result.inserted.document));
    text(result.inserted.snippet); // as it is in the document (not neutralised), escaped as Markdown
  }
  for (const problem of result.problems) text(problem);
}

export function registerChatParticipant(extensionUri: vscode.Uri, editors: EditorTracker): vscode.Disposable {
  const participant = vscode.chat.createChatParticipant(CHAT_PARTICIPANT_ID, chatHandler(editors));
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  return participant;
}
