import * as vscode from 'vscode';

// Temporary entry point so the test harness can package and activate the extension.
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('fluxStudio.openGallery', () => undefined),
  );
}

export function deactivate(): void {}
