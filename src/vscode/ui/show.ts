// The only calls into VS Code's text surfaces (notifications, modal dialogs, progress, quick picks, input
// boxes, status bar). Each takes SafeText (./text.ts), so outside text cannot reach them un-neutralised.
import * as vscode from 'vscode';
import type { SafeText } from './text';

export function showInfo<A extends SafeText>(message: SafeText, ...actions: A[]): Thenable<A | undefined> {
  return vscode.window.showInformationMessage(message, ...actions);
}

export function showWarning<A extends SafeText>(message: SafeText, ...actions: A[]): Thenable<A | undefined> {
  return vscode.window.showWarningMessage(message, ...actions);
}

export function showError<A extends SafeText>(message: SafeText, ...actions: A[]): Thenable<A | undefined> {
  return vscode.window.showErrorMessage(message, ...actions);
}

/** A modal question; resolves to the chosen action, undefined when dismissed. */
export function askModal<A extends SafeText>(message: SafeText, detail: SafeText, ...actions: A[]): Thenable<A | undefined> {
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
}

/** Shows `text` in the status bar for a few seconds. */
export function flashStatus(text: SafeText, milliseconds: number): vscode.Disposable {
  return vscode.window.setStatusBarMessage(text, milliseconds);
}

export interface ProgressReporter {
  report(message: SafeText, increment?: number): void;
}

/** A progress notification (optionally cancellable) for the duration of `task`. */
export function withNotificationProgress<R>(
  title: SafeText,
  cancellable: boolean,
  task: (progress: ProgressReporter, token: vscode.CancellationToken) => Thenable<R>,
): Thenable<R> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (progress, token) =>
    task({ report: (message, increment) => progress.report({ message, increment }) }, token),
  );
}

export interface SafeQuickPickItem {
  label: SafeText;
  description?: SafeText;
  detail?: SafeText;
}

export function pick<T extends SafeQuickPickItem>(
  items: readonly T[],
  options: { title: SafeText; placeHolder?: SafeText },
): Thenable<T | undefined> {
  return vscode.window.showQuickPick(items, { ...options, ignoreFocusOut: true });
}

export interface AskTextOptions {
  title: SafeText;
  prompt?: SafeText;
  placeHolder?: SafeText;
  /** Pre-filled value: an editable field, not rendered as markup. */
  value?: string;
  password?: boolean;
  validate?: (value: string) => SafeText | undefined;
}

export function askText(options: AskTextOptions): Thenable<string | undefined> {
  const { validate, ...rest } = options;
  return vscode.window.showInputBox({ ...rest, ignoreFocusOut: true, validateInput: validate });
}

/** A status bar item whose text and tooltip can only be SafeText. */
export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(id: string, name: SafeText, command: string) {
    this.item = vscode.window.createStatusBarItem(id, vscode.StatusBarAlignment.Right, 100);
    this.item.name = name;
    this.item.command = command;
  }

  set(text: SafeText, tooltip: SafeText, command?: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    if (command) this.item.command = command;
  }

  setVisible(visible: boolean): void {
    if (visible) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
