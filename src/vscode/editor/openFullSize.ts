// "Open full size": the stored image in an editor tab (VS Code's image preview), beside the user's text.
import * as vscode from 'vscode';
import type { GalleryEntry } from '../../shared/entry';
import type { EntryActionDeps } from './insertAction';
import { storedImageUri } from './storedImage';
import { reportError } from './workspaceFiles';

export async function openFullSize(entry: GalleryEntry, deps: EntryActionDeps): Promise<void> {
  try {
    const image = storedImageUri(entry, deps.store);
    await vscode.commands.executeCommand('vscode.open', image, { viewColumn: deps.editors.viewColumn(), preview: true });
  } catch (error) {
    reportError(error, deps.log);
  }
}
