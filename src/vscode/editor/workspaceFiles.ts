// Writing image files into the user's workspace. Every write goes through `vscode.workspace.fs` (so
// virtual workspaces work), to a temporary name first and then linked or renamed, never over an existing file, and
// only inside the workspace folder: a folder reached through a symbolic link that leads outside it is
// refused (a cloned repository can ship such a link together with a fluxStudio.saveFolder setting).
import { constants as fsConstants, promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { resolveDestination, type DestinationRefusal } from '../../insert/destination';
import { chooseFreeName } from '../../insert/naming';
import type { Log } from '../../shared/log';
import { showError, showWarning } from '../ui/show';
import { l10n, type SafeText } from '../ui/text';

/** A failure whose message was written for the user. */
export class UserFacingError extends Error {
  constructor(readonly userMessage: SafeText) {
    super(userMessage);
  }
}

const FALLBACK_FOLDER = 'images';

export interface ImageDestination {
  folder: vscode.Uri;
  fileName: string;
}

/**
 * Where a new image goes: `fluxStudio.saveFolder` (or, for Markdown, VS Code's own
 * `markdown.copyFiles.destination` when one of its globs matches), with their variables. A setting that
 * cannot be used (absolute, leading outside the workspace folder…) is explained and `images/` is used.
 */
export function imageDestination(folder: vscode.WorkspaceFolder, document: vscode.TextDocument | undefined, fileName: string, log: Log): ImageDestination {
  const documentUri = savedDocumentUri(folder, document);
  const destination = resolveDestination({
    documentPath: documentUri?.path,
    languageId: document?.languageId,
    workspaceFolder: folder.uri.path,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.path),
    fileName,
    saveFolder: vscode.workspace.getConfiguration('fluxStudio', folder.uri).get<unknown>('saveFolder', FALLBACK_FOLDER),
    markdownDestination: documentUri && markdownDestinationSetting(documentUri, log),
  });
  if (!destination.ok) {
    log.warn(`${destination.setting} refused (${destination.reason}); saving in ${FALLBACK_FOLDER}/`);
    void showWarning(refusalMessage(destination.setting, destination.reason));
    return { folder: vscode.Uri.joinPath(folder.uri, FALLBACK_FOLDER), fileName };
  }
  const parts = destination.path.split('/');
  return { folder: vscode.Uri.joinPath(folder.uri, ...parts.slice(0, -1)), fileName: parts[parts.length - 1] };
}

/** The document's URI when its path can name things in `folder` (saved, on the same file system). */
export function savedDocumentUri(folder: vscode.WorkspaceFolder, document: vscode.TextDocument | undefined): vscode.Uri | undefined {
  return document && document.uri.scheme === folder.uri.scheme && !document.isUntitled ? document.uri : undefined;
}

/** Settings whose ignored workspace value was already reported in this window. */
const ignoredWorkspaceValues = new Set<string>();

/**
 * `markdown.copyFiles.destination` is Markdown's setting, so our `restrictedConfigurations` cannot cover it:
 * in Restricted Mode the workspace's value is ignored and the user's is used, which is said once per window.
 */
export function markdownDestinationSetting(documentUri: vscode.Uri, log: Log, trusted = vscode.workspace.isTrusted): unknown {
  const setting = vscode.workspace.getConfiguration('markdown', documentUri);
  if (trusted) return setting.get<unknown>('copyFiles.destination');
  const values = setting.inspect<unknown>('copyFiles.destination');
  noteIgnoredWorkspaceValue('markdown.copyFiles.destination', values, log);
  return values?.globalLanguageValue ?? values?.globalValue ?? values?.defaultValue;
}

/** In Restricted Mode a workspace value of `setting` is not used: said once per window and setting. */
export function noteIgnoredWorkspaceValue(setting: string, values: ReturnType<vscode.WorkspaceConfiguration['inspect']>, log: Log): void {
  const fromWorkspace = [values?.workspaceValue, values?.workspaceFolderValue, values?.workspaceLanguageValue, values?.workspaceFolderLanguageValue];
  if (!fromWorkspace.some((value) => value !== undefined) || ignoredWorkspaceValues.has(setting)) return;
  ignoredWorkspaceValues.add(setting);
  log.warn(`Restricted Mode: the workspace value of ${setting} is ignored; the user value is used`);
  void showWarning(l10n.t('This workspace is not trusted, so Flux Studio ignores its {0} setting and uses yours.', setting));
}

function refusalMessage(setting: string, reason: DestinationRefusal): SafeText {
  switch (reason) {
    case 'not-a-string':
      return l10n.t('The setting {0} is not text, so the image is saved in the images folder instead.', setting);
    case 'absolute':
      return l10n.t('The setting {0} is an absolute path, so the image is saved in the images folder instead.', setting);
    case 'outside-workspace':
      return l10n.t('The setting {0} leads outside the workspace folder, so the image is saved in the images folder instead.', setting);
    case 'control-characters':
      return l10n.t('The setting {0} contains control characters, so the image is saved in the images folder instead.', setting);
    case 'unsafe-pattern':
      return l10n.t('The setting {0} uses a pattern that could take too long to apply, so the image is saved in the images folder instead.', setting);
  }
}

/**
 * Creates `dir` (inside `folder`) if needed, after checking with real paths (symbolic links followed)
 * that it stays inside the workspace folder; checks again once it exists.
 */
export async function prepareFolderInside(folder: vscode.WorkspaceFolder, dir: vscode.Uri): Promise<void> {
  await assertInside(folder, dir);
  try {
    await vscode.workspace.fs.createDirectory(dir);
  } catch (error) {
    throw new UserFacingError(saveFailedMessage(dir, error));
  }
  await assertInside(folder, dir);
}

/** Refuses (with the message for a save folder) a folder that leads outside the workspace folder. */
export async function assertInside(folder: vscode.WorkspaceFolder, dir: vscode.Uri): Promise<void> {
  if (!(await leadsOutside(folder.uri, dir))) return;
  throw new UserFacingError(
    l10n.t(
      'Flux Studio did not save the image: the folder {0} leads outside the workspace folder (through a symbolic link). Choose a folder inside the workspace in the fluxStudio.saveFolder setting.',
      vscode.workspace.asRelativePath(dir, false),
    ),
  );
}

/**
 * Whether `dir` (existing or not) is outside the folder `root` once symbolic links are followed —
 * real paths on both sides. Virtual file systems have no links to follow: there it is never outside.
 */
export async function leadsOutside(root: vscode.Uri, dir: vscode.Uri): Promise<boolean> {
  if (root.scheme !== 'file' || dir.scheme !== 'file') return false;
  const realRoot = await nodeFs.realpath(root.fsPath).catch(() => path.resolve(root.fsPath));
  const relative = path.relative(realRoot, await realpathOfNearestExisting(dir.fsPath));
  return relative !== '' && (relative.startsWith('..') || path.isAbsolute(relative));
}

/** The real path of `target`, or of its nearest existing ancestor with the rest appended. */
async function realpathOfNearestExisting(target: string): Promise<string> {
  const rest: string[] = [];
  let current = path.resolve(target);
  for (;;) {
    try {
      return path.join(await nodeFs.realpath(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(target);
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/** The first name of `name`, `name-1`, `name-2`… that nothing in `dir` has yet. */
export async function freeFileUri(dir: vscode.Uri, fileName: string): Promise<vscode.Uri> {
  const exists = async (name: string) => (await statOrUndefined(vscode.Uri.joinPath(dir, name))) !== undefined;
  return vscode.Uri.joinPath(dir, await chooseFreeName(fileName, exists));
}

/** Writes `bytes` into `dir` under a free name (`name`, `name-1`, …); returns the new file. */
export async function writeNewFile(dir: vscode.Uri, fileName: string, bytes: Uint8Array): Promise<vscode.Uri> {
  // Another writer may take the name between the check and the rename: then try the next one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const target = await freeFileUri(dir, fileName);
    try {
      await writeThenRename(bytes, target, false);
      return target;
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileExists') continue;
      throw new UserFacingError(saveFailedMessage(dir, error));
    }
  }
  throw new UserFacingError(saveFailedMessage(dir, new Error('no free file name')));
}

/** Writes to a temporary sibling and renames it into place, so no reader sees half a file. */
export async function writeThenRename(bytes: Uint8Array, target: vscode.Uri, overwrite: boolean): Promise<void> {
  const fs = vscode.workspace.fs;
  const dir = vscode.Uri.joinPath(target, '..');
  const temp = vscode.Uri.joinPath(dir, `.${path.posix.basename(target.path)}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    await fs.writeFile(temp, bytes);
    if (overwrite || target.scheme !== 'file') await fs.rename(temp, target, { overwrite });
    else await linkExclusive(temp, target);
  } catch (error) {
    await fs.delete(temp, { useTrash: false }).then(undefined, () => undefined);
    throw error;
  }
}

/**
 * Puts the finished temporary file at `target` only if nothing is there, in one step: a hard link (or, where
 * links are not supported, a copy with COPYFILE_EXCL) fails when the name exists, where a check followed by
 * a rename could replace a file created in between. Throws FileSystemError.FileExists then.
 */
async function linkExclusive(temp: vscode.Uri, target: vscode.Uri): Promise<void> {
  try {
    try {
      await nodeFs.link(temp.fsPath, target.fsPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
      await nodeFs.copyFile(temp.fsPath, target.fsPath, fsConstants.COPYFILE_EXCL);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw vscode.FileSystemError.FileExists(target);
    throw error;
  }
  await vscode.workspace.fs.delete(temp, { useTrash: false });
}

export async function statOrUndefined(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw error;
  }
}

export function saveFailedMessage(dir: vscode.Uri, error: unknown): SafeText {
  const where = dir.scheme === 'file' ? dir.fsPath : dir.toString();
  return l10n.t('Could not save the image in {0}: {1} The image is still in the gallery.', where, errorReason(error));
}

export function errorReason(error: unknown): SafeText {
  const code = error instanceof vscode.FileSystemError ? error.code : (error as { code?: string } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (/ENOSPC/.test(message) || code === 'ENOSPC') return l10n.t('the disk is full.');
  if (code === 'NoPermissions' || /EACCES|EPERM|EROFS/.test(message)) return l10n.t('the folder is not writable.');
  if (code === 'FileNotFound' || /ENOENT/.test(message)) return l10n.t('the file or folder does not exist.');
  if (code === 'Unavailable') return l10n.t('the file system is not available.');
  if (code === 'FileNotADirectory' || /ENOTDIR/.test(message)) return l10n.t('a file is in the way of the folder.');
  return l10n.t('an unexpected file system error ({0}).', code ?? 'unknown');
}

/** Logs a failure and shows its message (never a stack trace to the user). */
export function reportError(error: unknown, log: Log): void {
  if (error instanceof UserFacingError) {
    log.warn(`Gallery: ${error.message}`);
    void showError(error.userMessage);
    return;
  }
  log.error(`Gallery: ${error instanceof Error && error.stack ? error.stack : String(error)}`);
  void showError(l10n.t('Something unexpected went wrong. Details are in the "Flux Studio" output.'));
}
