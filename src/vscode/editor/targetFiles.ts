// Lands the images of "Generate Missing Image with Flux" at the paths their documents link to, once
// their jobs complete: in the window that finished the job, or — for a job that outlived its window —
// in the next window that loads the gallery. The target is re-checked with real paths (a link created
// since must not lead the write outside the workspace folder), and an existing file is never replaced.
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import type { GalleryEntry, TargetFile } from '../../shared/entry';
import type { Log } from '../../shared/log';
import { flashStatus, showError, showWarning } from '../ui/show';
import { l10n } from '../ui/text';
import { documentCopyOf, formatOfFileName } from './documentCopy';
import { rememberSavedPath, storedImageUri } from './storedImage';
import { leadsOutside, reportError, writeThenRename } from './workspaceFiles';

type Outcome = NonNullable<TargetFile['outcome']>;

export class TargetFileWriter {
  /** Entries being landed in this window (an event and the start-up scan may name the same one). */
  private readonly landing = new Set<string>();

  constructor(
    private readonly store: GalleryStore,
    private readonly log: Log,
  ) {}

  /** Lands every completed entry whose target is still open (jobs that finished while no window was). */
  landPending(): void {
    for (const entry of this.store.list()) if (isPending(entry)) void this.land(entry.id);
  }

  async land(id: string): Promise<void> {
    const entry = this.store.get(id);
    if (!entry || !isPending(entry) || this.landing.has(id)) return;
    this.landing.add(id);
    try {
      const outcome = await this.write(entry, entry.targetFile!);
      if (outcome) await this.record(id, outcome);
    } finally {
      this.landing.delete(id);
    }
  }

  /** Writes the file; the outcome, or undefined when this window should leave the entry as it is. */
  private async write(entry: GalleryEntry, target: TargetFile): Promise<Outcome | undefined> {
    let file: vscode.Uri;
    let folder: vscode.Uri;
    try {
      file = vscode.Uri.parse(target.uri, true);
      folder = vscode.Uri.parse(target.folder, true);
    } catch {
      return 'failed';
    }
    // A stored folder is data from disk: only a folder open in this window, that exists, may receive the file
    // (a window with another folder open leaves the entry to the window that has it).
    const openFolder = vscode.workspace.workspaceFolders?.some((open) => open.uri.toString() === folder.toString());
    if (!openFolder) return undefined;
    const shown = vscode.workspace.asRelativePath(file);
    try {
      if (!(await isFolder(folder))) return 'failed';
      if (file.scheme !== 'file' || folder.scheme !== 'file' || (await leadsOutside(folder, vscode.Uri.joinPath(file, '..')))) {
        void showError(l10n.t('Flux Studio did not write {0}: that path leads outside its workspace folder. The image is in the gallery.', shown));
        return 'refused';
      }
      // The document names the file already: its extension decides the format.
      const copy = await documentCopyOf(entry, storedImageUri(entry, this.store), file, this.log, formatOfFileName(file.path));
      const bytes = copy.bytes;
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
      try {
        await writeThenRename(bytes, file, false);
      } catch (error) {
        if (!(error instanceof vscode.FileSystemError && error.code === 'FileExists')) throw error;
        // Another window may have landed the same entry a moment ago; anything else is the user's file.
        if (await sameBytes(file, bytes)) return 'written';
        void showWarning(l10n.t('{0} exists now, so Flux Studio left it as it is. The generated image is in the gallery.', shown));
        return 'exists';
      }
      this.log.info(`Gallery: wrote ${entry.id} to ${file.toString()}`);
      await rememberSavedPath(entry, file, this.store);
      flashStatus(l10n.t('Generated {0}', shown), 8000);
      return 'written';
    } catch (error) {
      reportError(error, this.log);
      return 'failed';
    }
  }

  private async record(id: string, outcome: Outcome): Promise<void> {
    await this.store.update(id, (current) => (current.targetFile && !current.targetFile.outcome ? { targetFile: { ...current.targetFile, outcome } } : undefined));
  }
}

export function isPending(entry: GalleryEntry): boolean {
  return entry.state === 'completed' && !!entry.targetFile && !entry.targetFile.outcome;
}

async function sameBytes(file: vscode.Uri, bytes: Uint8Array): Promise<boolean> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(file)).equals(bytes);
  } catch {
    return false;
  }
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}
