// "Save As…": a copy of the stored image wherever the user chooses.
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GalleryEntry } from '../../shared/entry';
import { flashStatus } from '../ui/show';
import { l10n } from '../ui/text';
import type { EntryActionDeps } from './insertAction';
import { entryFileName, readStoredImage, rememberSavedPath, storedImageUri } from './storedImage';
import { UserFacingError, imageDestination, reportError, saveFailedMessage, writeThenRename } from './workspaceFiles';

export async function saveImageAs(entry: GalleryEntry, deps: EntryActionDeps): Promise<vscode.Uri | undefined> {
  try {
    const image = storedImageUri(entry, deps.store);
    const name = entryFileName(entry);
    const editorDocument = deps.editors.current()?.document;
    const folder = (editorDocument && vscode.workspace.getWorkspaceFolder(editorDocument.uri)) ?? vscode.workspace.workspaceFolders?.[0];
    const destination = folder ? imageDestination(folder, editorDocument, name, deps.log) : { folder: vscode.Uri.file(os.homedir()), fileName: name };
    const ext = path.posix.extname(name).slice(1);
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(destination.folder, destination.fileName),
      filters: { [l10n.t('Images')]: [ext] },
      title: l10n.t('Save Image As'),
    });
    if (!target) return undefined;
    const bytes = await readStoredImage(image);
    try {
      // The dialog already asked before replacing an existing file.
      await writeThenRename(bytes, target, true);
    } catch (error) {
      throw new UserFacingError(saveFailedMessage(vscode.Uri.joinPath(target, '..'), error));
    }
    await rememberSavedPath(entry, target, deps.store);
    flashStatus(l10n.t('Saved {0}', target.scheme === 'file' ? target.fsPath : target.toString()), 5000);
    return target;
  } catch (error) {
    reportError(error, deps.log);
    return undefined;
  }
}
