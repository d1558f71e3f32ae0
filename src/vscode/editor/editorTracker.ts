// The text editor the user last worked in. While the gallery has focus `activeTextEditor` is undefined,
// yet "Insert into workspace" must go where the user was writing.
import * as vscode from 'vscode';

/** Schemes of documents that are not the user's text (output channels, diffs, SCM input). */
const NON_DOCUMENT_SCHEMES = new Set(['output', 'git', 'vscode-scm', 'comment', 'debug', 'vscode-settings']);

export function isUserDocument(document: vscode.TextDocument): boolean {
  return !NON_DOCUMENT_SCHEMES.has(document.uri.scheme);
}

export class EditorTracker implements vscode.Disposable {
  private last: vscode.TextEditor | undefined;
  private readonly subscription: vscode.Disposable;

  constructor() {
    const active = vscode.window.activeTextEditor;
    if (active && isUserDocument(active.document)) this.last = active;
    this.subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor && isUserDocument(editor.document)) this.last = editor;
    });
  }

  /** The active text editor, else the last one the user worked in (if its document is still open). */
  current(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && isUserDocument(active.document)) return active;
    const last = this.last;
    if (last && !last.document.isClosed) return vscode.window.visibleTextEditors.find((e) => e.document === last.document) ?? last;
    return vscode.window.visibleTextEditors.find((e) => isUserDocument(e.document));
  }

  /** Where to open something next to the user's text (not over the gallery). */
  viewColumn(): vscode.ViewColumn {
    return this.last?.viewColumn ?? vscode.ViewColumn.One;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
