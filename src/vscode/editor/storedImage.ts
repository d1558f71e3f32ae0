// The gallery's own copy of an entry's image, and the workspace copies made of it.
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import { imageFileName } from '../../insert/naming';
import type { GalleryEntry } from '../../shared/entry';
import type { OutputFormat } from '../../shared/options';
import { l10n } from '../ui/text';
import { UserFacingError, errorReason } from './workspaceFiles';

/** Workspace copies remembered per entry (for "Copy link"). */
const SAVED_PATHS_KEPT = 10;

/**
 * Where copies of an entry were saved (URI strings, newest last). Kept on the entry in the gallery
 * as an optional extra field, so "Copy link" can point at the workspace copy.
 */
export type EntryWithSaves = GalleryEntry & { savedPaths?: string[] };

export function storedImageUri(entry: GalleryEntry, store: GalleryStore): vscode.Uri {
  if (entry.state !== 'completed' || !entry.imageFile) throw new UserFacingError(l10n.t('This image is not ready yet.'));
  return vscode.Uri.file(store.imagePath(entry.imageFile));
}

export async function readStoredImage(image: vscode.Uri): Promise<Uint8Array> {
  try {
    return await vscode.workspace.fs.readFile(image);
  } catch (error) {
    throw new UserFacingError(l10n.t('The stored image could not be read ({0}). Try Re-run or Delete in the gallery.', errorReason(error)));
  }
}

export async function rememberSavedPath(entry: GalleryEntry, file: vscode.Uri, store: GalleryStore): Promise<void> {
  const current = (store.get(entry.id) ?? entry) as EntryWithSaves;
  const saved = (Array.isArray(current.savedPaths) ? current.savedPaths : []).filter((p) => p !== file.toString());
  saved.push(file.toString());
  const patch: Partial<EntryWithSaves> = { savedPaths: saved.slice(-SAVED_PATHS_KEPT) };
  try {
    await store.update(entry.id, patch as Partial<GalleryEntry>);
  } catch {
    // Only "Copy link" uses this; the copy itself succeeded.
  }
}

/** The file name a workspace copy of the entry's image starts from (before `-1`, `-2` for a free one). */
export function entryFileName(entry: GalleryEntry, format: OutputFormat = entry.options.outputFormat): string {
  return imageFileName({ prompt: entry.options.prompt, id: entry.id, seed: entry.options.seed, format });
}
