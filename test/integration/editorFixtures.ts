// Helpers for the editor suites (drop/paste, missing images):
// the messages the user is shown (read by wrapping the real vscode.window functions), files
// in the test workspace, and a folder outside it.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { loadConfig } from './config';

type MessageSink = 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage';
const SINKS: MessageSink[] = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'];

export interface ShownMessage {
  sink: MessageSink;
  text: string;
  detail?: string;
  modal: boolean;
}

/**
 * Records every message while installed. `answer` picks the action for modal questions (else they
 * are dismissed at once, as a person would leave them); other messages go through to VS Code.
 */
export class MessageRecorder {
  readonly shown: ShownMessage[] = [];
  answer: (message: ShownMessage, actions: string[]) => string | undefined = () => undefined;
  private readonly originals = new Map<MessageSink, unknown>();

  install(): void {
    const window = vscode.window as unknown as Record<MessageSink, (...args: unknown[]) => Thenable<unknown>>;
    for (const sink of SINKS) {
      const original = window[sink];
      this.originals.set(sink, original);
      window[sink] = (...args: unknown[]) => {
        const options = args[1] !== null && typeof args[1] === 'object' ? (args[1] as { modal?: boolean; detail?: string }) : undefined;
        const message: ShownMessage = { sink, text: String(args[0]), detail: options?.detail, modal: !!options?.modal };
        this.shown.push(message);
        const actions = args.slice(options ? 2 : 1).filter((a): a is string => typeof a === 'string');
        return message.modal ? Promise.resolve(this.answer(message, actions)) : original.apply(vscode.window, args);
      };
    }
  }

  restore(): void {
    const window = vscode.window as unknown as Record<MessageSink, unknown>;
    for (const [sink, original] of this.originals) window[sink] = original;
  }

  texts(sink: MessageSink): string[] {
    return this.shown.filter((m) => m.sink === sink).map((m) => m.text);
  }
}

export function workspaceUri(...parts: string[]): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, ...parts);
}

const written: string[] = [];

/** Deletes the documents openNewDocument wrote (the suites after these see the workspace as it was). */
export async function removeNewDocuments(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const file of written.splice(0)) await fs.rm(file, { force: true });
}

/**
 * Writes a document into the test workspace and opens it in the first column. Use a name no other test
 * uses: a document still open from an earlier test would show its old text.
 */
export async function openNewDocument(name: string, text: string): Promise<vscode.TextEditor> {
  const uri = workspaceUri(name);
  written.push(uri.fsPath);
  await fs.mkdir(path.dirname(uri.fsPath), { recursive: true });
  await fs.writeFile(uri.fsPath, text);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
}

/** A new empty folder outside the workspace, and a link `linkName` to it inside the workspace. */
export async function linkOutside(linkName: string): Promise<{ outside: string; remove(): Promise<void> }> {
  const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-outside-'));
  const link = path.join(loadConfig().workspacePath, linkName);
  await fs.symlink(outside, link);
  return {
    outside,
    remove: async () => {
      await fs.rm(link, { force: true });
      await fs.rm(outside, { recursive: true, force: true });
    },
  };
}

export async function listFiles(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch(() => []);
}
