// "Copy link": a Markdown image link to the newest workspace copy of the image (relative to the current
// editor's folder when it is in the same workspace), else the stored file's URI.
import * as path from 'path';
import * as vscode from 'vscode';
import { relativePosixPath } from '../../insert/paths';
import { snippetFor } from '../../insert/snippets';
import type { GalleryEntry } from '../../shared/entry';
import { truncate } from '../../shared/truncate';
import { flashStatus } from '../ui/show';
import { l10n } from '../ui/text';
import type { EntryActionDeps } from './insertAction';
import { storedImageUri, type EntryWithSaves } from './storedImage';
import { reportError, statOrUndefined } from './workspaceFiles';

/** Returns the copied text, or undefined when an error was shown. */
export async function copyImageLink(entry: GalleryEntry, deps: EntryActionDeps): Promise<string | undefined> {
  try {
    const image = storedImageUri(entry, deps.store);
    let text = image.toString();
    const saved = await latestWorkspaceCopy(entry as EntryWithSaves);
    if (saved) {
      const document = deps.editors.current()?.document;
      const docFolder = document && vscode.workspace.getWorkspaceFolder(document.uri);
      const linkPath =
        document && docFolder?.uri.toString() === saved.folder.uri.toString() && document.uri.scheme === saved.file.scheme
          ? relativePosixPath(path.posix.dirname(document.uri.path), saved.file.path)
          : relativePosixPath(saved.folder.uri.path, saved.file.path);
      text = snippetFor({ languageId: 'markdown', path: linkPath, alt: entry.options.prompt });
    }
    await vscode.env.clipboard.writeText(text);
    flashStatus(l10n.t('Copied {0}', truncate(text, 80)), 4000);
    return text;
  } catch (error) {
    reportError(error, deps.log);
    return undefined;
  }
}

async function latestWorkspaceCopy(entry: EntryWithSaves): Promise<{ file: vscode.Uri; folder: vscode.WorkspaceFolder } | undefined> {
  const saved = Array.isArray(entry.savedPaths) ? entry.savedPaths : [];
  for (const raw of [...saved].reverse()) {
    if (typeof raw !== 'string') continue;
    let file: vscode.Uri;
    try {
      file = vscode.Uri.parse(raw, true);
    } catch {
      continue;
    }
    const folder = vscode.workspace.getWorkspaceFolder(file);
    if (folder && (await statOrUndefined(file).catch(() => undefined))) return { file, folder };
  }
  return undefined;
}
