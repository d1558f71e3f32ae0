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
  /** A title-bar button that opens a web page (where API keys are created); the box stays open. */
  link?: { tooltip: SafeText; url: string };
}

export function askText(options: AskTextOptions): Thenable<string | undefined> {
  const { validate, link, ...rest } = options;
  if (!link) return vscode.window.showInputBox({ ...rest, ignoreFocusOut: true, validateInput: validate });
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, { title: rest.title, prompt: rest.prompt, placeholder: rest.placeHolder, value: rest.value ?? '', password: !!rest.password, ignoreFocusOut: true });
    box.buttons = [{ iconPath: new vscode.ThemeIcon('link-external'), tooltip: link.tooltip }];
    let answer: string | undefined;
    box.onDidTriggerButton(() => void vscode.env.openExternal(vscode.Uri.parse(link.url)));
    box.onDidChangeValue((value) => (box.validationMessage = validate?.(value)));
    box.onDidAccept(() => {
      box.validationMessage = validate?.(box.value);
      if (box.validationMessage) return;
      answer = box.value;
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(answer);
    });
    box.show();
  });
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
