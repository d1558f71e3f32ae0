// "Insert into workspace", "Save As…", "Copy link", "Open full size" and "Delete" for gallery entries.
// Thin `vscode` adapter over the pure rules in src/insert/: all file writes go through
// `vscode.workspace.fs` (so virtual and untrusted workspaces work), to a temporary name first and then
// renamed, never over an existing file.
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GalleryStore } from '../gallery/store';
import { chooseFreeName, imageFileName } from '../insert/naming';
import { isBlockLanguage, placeSnippet, relativePosixPath, snippetFor } from '../insert/snippets';
import type { GalleryEntry } from '../shared/entry';
import { ULTRA_SIZES } from '../shared/options';

export interface GalleryLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface InsertDeps {
  store: GalleryStore;
  log: GalleryLog;
}

/**
 * Where copies of an entry were saved (URI strings, newest last). Kept on the entry in the gallery
 * index as an optional extra field, so "Copy link" can point at the workspace copy.
 */
export type EntryWithSaves = GalleryEntry & { savedPaths?: string[] };

const SAVED_PATHS_KEPT = 10;
const DEFAULT_SAVE_FOLDER = 'images';
/** Schemes of documents that are not the user's text (output channels, diffs, SCM input). */
const NON_DOCUMENT_SCHEMES = new Set(['output', 'git', 'vscode-scm', 'comment', 'debug', 'vscode-settings']);

/** A failure already explained to the user in `message`. */
class UserFacingError extends Error {}

// ---------------------------------------------------------------------------------------------------
// The last text editor the user worked in: when the gallery has focus, `activeTextEditor` is undefined.

let lastTextEditor: vscode.TextEditor | undefined;

/** Follows the active text editor; call once from activate (done by registerGallerySerializer). */
export function trackActiveTextEditor(): vscode.Disposable {
  if (vscode.window.activeTextEditor) lastTextEditor = vscode.window.activeTextEditor;
  return vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor && isUserDocument(editor.document)) lastTextEditor = editor;
  });
}

function currentTextEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active && isUserDocument(active.document)) return active;
  if (lastTextEditor && !lastTextEditor.document.isClosed) {
    return vscode.window.visibleTextEditors.find((e) => e.document === lastTextEditor!.document) ?? lastTextEditor;
  }
  return vscode.window.visibleTextEditors.find((e) => isUserDocument(e.document));
}

function isUserDocument(document: vscode.TextDocument): boolean {
  return !NON_DOCUMENT_SCHEMES.has(document.uri.scheme);
}

// ---------------------------------------------------------------------------------------------------
// Insert into workspace

export interface InsertResult {
  /** The new image file in the workspace. */
  file: vscode.Uri;
  /** The document the snippet went into, if any. */
  document?: vscode.TextDocument;
  snippet?: string;
}

/**
 * Copies the stored image into the workspace folder of the document the prompt came from (else the
 * current editor's, else the one the user picks), under `fluxStudio.saveFolder`, then inserts a
 * snippet for the document's language at the cursor — or replaces the original selection when
 * `fluxStudio.replaceSelection` is on and it still holds the prompt — as one undoable edit.
 * Returns undefined when the user cancelled or an error was shown.
 */
export async function insertIntoWorkspace(entry: GalleryEntry, deps: InsertDeps): Promise<InsertResult | undefined> {
  try {
    const image = storedImageUri(entry, deps.store);
    const sourceDocument = await openSourceDocument(entry);
    const editorDocument = currentTextEditor()?.document;
    const document = sourceDocument ?? editorDocument;

    const folder = await chooseWorkspaceFolder([sourceDocument, editorDocument]);
    if (!folder) {
      if (!vscode.workspace.workspaceFolders?.length) {
        const saveAs = vscode.l10n.t('Save As…');
        const choice = await vscode.window.showInformationMessage(
          vscode.l10n.t('Open a folder to insert images into the workspace, or save this image somewhere else.'),
          saveAs,
        );
        if (choice === saveAs) await saveImageAs(entry, deps);
      }
      return undefined;
    }

    const targetDir = saveFolderUri(folder, deps.log);
    const file = await copyImage(image, targetDir, imageFileName({
      prompt: entry.options.prompt,
      id: entry.id,
      seed: entry.options.seed,
      format: entry.options.outputFormat,
    }));
    await rememberSavedPath(entry, file, deps.store);
    deps.log.info(`Gallery: saved ${entry.id} as ${file.toString()}`);

    if (!document) {
      await vscode.commands.executeCommand('revealInExplorer', file);
      vscode.window.setStatusBarMessage(
        vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(file, true)),
        5000,
      );
      return { file };
    }

    const editor = await editorFor(document);
    const snippet = await insertSnippet(editor, entry, file, folder);
    if (snippet === undefined) {
      vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Saved {0}, but could not insert it into {1}.',
          vscode.workspace.asRelativePath(file, true),
          path.posix.basename(document.uri.path),
        ),
      );
    }
    return { file, document, snippet };
  } catch (error) {
    reportError(error, deps.log);
    return undefined;
  }
}

/** The source document, if the prompt came from one that still exists. */
async function openSourceDocument(entry: GalleryEntry): Promise<vscode.TextDocument | undefined> {
  const raw = entry.source?.documentUri;
  if (!raw) return undefined;
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(raw, true);
  } catch {
    return undefined;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open;
  if (uri.scheme === 'untitled') return undefined;
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch {
    return undefined; // deleted or moved since the prompt was taken
  }
}

async function chooseWorkspaceFolder(
  documents: readonly (vscode.TextDocument | undefined)[],
): Promise<vscode.WorkspaceFolder | undefined> {
  for (const document of documents) {
    const folder = document && vscode.workspace.getWorkspaceFolder(document.uri);
    if (folder) return folder;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({
    placeHolder: vscode.l10n.t('Choose the folder to save the image in'),
    ignoreFocusOut: true,
  });
}

/** `fluxStudio.saveFolder` inside `folder`; a value that is absolute or climbs out falls back to `images`. */
export function saveFolderUri(folder: vscode.WorkspaceFolder, log?: GalleryLog): vscode.Uri {
  const setting = vscode.workspace.getConfiguration('fluxStudio', folder.uri).get<string>('saveFolder', DEFAULT_SAVE_FOLDER);
  const segments = safeRelativeSegments(setting);
  if (!segments) {
    log?.warn(`Gallery: fluxStudio.saveFolder "${setting}" is not a relative folder; using "${DEFAULT_SAVE_FOLDER}"`);
    return vscode.Uri.joinPath(folder.uri, DEFAULT_SAVE_FOLDER);
  }
  return segments.length ? vscode.Uri.joinPath(folder.uri, ...segments) : folder.uri;
}

/** Path segments of a relative folder setting, or undefined when it is absolute or uses `..`. */
export function safeRelativeSegments(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^([a-zA-Z]:)?[\\/]/.test(trimmed) || /^[a-zA-Z]:/.test(trimmed) || trimmed.startsWith('~')) return undefined;
  const segments = trimmed.split(/[\\/]+/).filter((s) => s && s !== '.');
  if (segments.some((s) => s === '..' || /[\u0000-\u001f]/.test(s))) return undefined;
  return segments;
}

/**
 * Copies `image` into `dir` under a free name (`name`, `name-2`, …): written to a temporary sibling,
 * then renamed without overwrite; the temporary file is removed on any failure.
 */
async function copyImage(image: vscode.Uri, dir: vscode.Uri, fileName: string): Promise<vscode.Uri> {
  const fs = vscode.workspace.fs;
  const bytes = await readStoredImage(image);
  try {
    await fs.createDirectory(dir);
  } catch (error) {
    throw new UserFacingError(saveFailedMessage(dir, error));
  }
  const exists = async (name: string) => (await statOrUndefined(vscode.Uri.joinPath(dir, name))) !== undefined;
  // Another writer may take the name between the check and the rename: then try the next one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const name = await chooseFreeName(fileName, exists);
    const target = vscode.Uri.joinPath(dir, name);
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

async function writeThenRename(bytes: Uint8Array, target: vscode.Uri, overwrite: boolean): Promise<void> {
  const fs = vscode.workspace.fs;
  const dir = vscode.Uri.joinPath(target, '..');
  const temp = vscode.Uri.joinPath(dir, `.${path.posix.basename(target.path)}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, target, { overwrite });
  } catch (error) {
    await fs.delete(temp, { useTrash: false }).then(undefined, () => undefined);
    throw error;
  }
}

async function readStoredImage(image: vscode.Uri): Promise<Uint8Array> {
  try {
    return await vscode.workspace.fs.readFile(image);
  } catch (error) {
    throw new UserFacingError(
      vscode.l10n.t('The stored image could not be read ({0}). Try Re-run or Delete in the gallery.', errorReason(error)),
    );
  }
}

async function statOrUndefined(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw error;
  }
}

async function editorFor(document: vscode.TextDocument): Promise<vscode.TextEditor> {
  const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
  if (visible) return visible;
  // Open it where it already has a tab, else where the user last edited text — not over the gallery.
  let viewColumn: vscode.ViewColumn | undefined;
  for (const group of vscode.window.tabGroups.all) {
    if (group.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === document.uri.toString())) {
      viewColumn = group.viewColumn;
      break;
    }
  }
  viewColumn ??= lastTextEditor?.viewColumn ?? vscode.ViewColumn.One;
  return vscode.window.showTextDocument(document, { viewColumn, preserveFocus: false, preview: false });
}

/** Inserts (or replaces the original selection with) the snippet as one edit; undefined if the edit failed. */
async function insertSnippet(
  editor: vscode.TextEditor,
  entry: GalleryEntry,
  file: vscode.Uri,
  folder: vscode.WorkspaceFolder,
): Promise<string | undefined> {
  const document = editor.document;
  const size = entry.width && entry.height ? { width: entry.width, height: entry.height } : ULTRA_SIZES[entry.options.aspectRatio];
  const snippet = snippetFor({
    languageId: document.languageId,
    path: snippetPath(document, file, folder),
    alt: entry.options.prompt,
    width: size?.width,
    height: size?.height,
  });

  let range: vscode.Range = new vscode.Range(editor.selection.active, editor.selection.active);
  const replace = vscode.workspace.getConfiguration('fluxStudio', document.uri).get<boolean>('replaceSelection', false);
  const selection = entry.source?.selection;
  if (replace && selection && entry.source?.documentUri === document.uri.toString()) {
    const length = document.getText().length;
    if (selection.start >= 0 && selection.start < selection.end && selection.end <= length) {
      const original = new vscode.Range(document.positionAt(selection.start), document.positionAt(selection.end));
      if (document.getText(original).includes(entry.options.prompt.trim())) range = original;
    }
  }
  // A block image at a cursor in the middle of a line would split that line (a paragraph, in
  // Markdown): it goes after the line instead.
  if (range.isEmpty && isBlockLanguage(document.languageId)) {
    const line = document.lineAt(range.start.line);
    if (line.text.slice(range.start.character).trim()) range = new vscode.Range(line.range.end, line.range.end);
  }
  const before = document.lineAt(range.start.line).text.slice(0, range.start.character);
  const after = document.lineAt(range.end.line).text.slice(range.end.character);
  // At the cursor a block syntax gets its own line; a replaced selection keeps its place in the text
  // (only a reStructuredText directive must stand on its own).
  const replacing = !range.isEmpty;
  const text =
    replacing && document.languageId !== 'restructuredtext'
      ? snippet
      : placeSnippet(snippet, document.languageId, before, after);
  const ok = await editor.edit((edit) => edit.replace(range, text));
  if (!ok) return undefined;
  const end = document.positionAt(document.offsetAt(range.start) + text.length);
  editor.selection = new vscode.Selection(end, end);
  editor.revealRange(new vscode.Range(range.start, end));
  return snippet;
}

/** Relative POSIX path from the document's folder; from the workspace folder for untitled documents. */
function snippetPath(document: vscode.TextDocument, file: vscode.Uri, folder: vscode.WorkspaceFolder): string {
  const sameRoot = document.uri.scheme === file.scheme && document.uri.authority === file.authority;
  const fromDir = sameRoot ? path.posix.dirname(document.uri.path) : folder.uri.path;
  return relativePosixPath(fromDir, file.path);
}

// ---------------------------------------------------------------------------------------------------
// Save As…, Copy link, Open full size, Delete

export async function saveImageAs(entry: GalleryEntry, deps: InsertDeps): Promise<vscode.Uri | undefined> {
  try {
    const image = storedImageUri(entry, deps.store);
    const name = imageFileName({ prompt: entry.options.prompt, id: entry.id, seed: entry.options.seed, format: entry.options.outputFormat });
    const editorDocument = currentTextEditor()?.document;
    const folder =
      (editorDocument && vscode.workspace.getWorkspaceFolder(editorDocument.uri)) ?? vscode.workspace.workspaceFolders?.[0];
    const baseDir = folder ? saveFolderUri(folder) : vscode.Uri.file(os.homedir());
    const ext = path.posix.extname(name).slice(1);
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(baseDir, name),
      filters: { [vscode.l10n.t('Images')]: [ext] },
      title: vscode.l10n.t('Save Image As'),
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
    vscode.window.setStatusBarMessage(vscode.l10n.t('Saved {0}', target.scheme === 'file' ? target.fsPath : target.toString()), 5000);
    return target;
  } catch (error) {
    reportError(error, deps.log);
    return undefined;
  }
}

/**
 * Copies a Markdown image link to the newest workspace copy of the image (relative to the current
 * editor's folder when it is in the same workspace), else the stored file's URI. Returns the text.
 */
export async function copyImageLink(entry: GalleryEntry, deps: InsertDeps): Promise<string | undefined> {
  try {
    const image = storedImageUri(entry, deps.store);
    let text = image.toString();
    const saved = await latestWorkspaceCopy(entry as EntryWithSaves);
    if (saved) {
      const document = currentTextEditor()?.document;
      const docFolder = document && vscode.workspace.getWorkspaceFolder(document.uri);
      const linkPath =
        document && docFolder?.uri.toString() === saved.folder.uri.toString() && document.uri.scheme === saved.file.scheme
          ? relativePosixPath(path.posix.dirname(document.uri.path), saved.file.path)
          : relativePosixPath(saved.folder.uri.path, saved.file.path);
      text = snippetFor({ languageId: 'markdown', path: linkPath, alt: entry.options.prompt });
    }
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', text.length > 80 ? `${text.slice(0, 79)}…` : text), 4000);
    return text;
  } catch (error) {
    reportError(error, deps.log);
    return undefined;
  }
}

async function latestWorkspaceCopy(
  entry: EntryWithSaves,
): Promise<{ file: vscode.Uri; folder: vscode.WorkspaceFolder } | undefined> {
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

/** Opens the stored full-size image in an editor tab (VS Code's image preview). */
export async function openFullSize(entry: GalleryEntry, deps: InsertDeps): Promise<void> {
  try {
    const image = storedImageUri(entry, deps.store);
    const viewColumn = lastTextEditor?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.commands.executeCommand('vscode.open', image, { viewColumn, preview: true });
  } catch (error) {
    reportError(error, deps.log);
  }
}

/** Asks, then removes the entry and its stored files. Copies saved in the workspace are kept. */
export async function deleteEntry(entry: GalleryEntry, deps: InsertDeps, options: { confirm?: boolean } = {}): Promise<boolean> {
  if (options.confirm !== false) {
    const remove = vscode.l10n.t('Delete');
    const prompt = entry.options.prompt;
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete this image from the gallery?'),
      {
        modal: true,
        detail: vscode.l10n.t(
          '“{0}”\n\nCopies saved in your workspace are kept.',
          prompt.length > 200 ? `${prompt.slice(0, 199)}…` : prompt,
        ),
      },
      remove,
    );
    if (choice !== remove) return false;
  }
  try {
    await deps.store.remove(entry.id);
    return true;
  } catch (error) {
    reportError(error, deps.log);
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function storedImageUri(entry: GalleryEntry, store: GalleryStore): vscode.Uri {
  if (entry.state !== 'completed' || !entry.imageFile) {
    throw new UserFacingError(vscode.l10n.t('This image is not ready yet.'));
  }
  return vscode.Uri.file(store.imagePath(entry.imageFile));
}

async function rememberSavedPath(entry: GalleryEntry, file: vscode.Uri, store: GalleryStore): Promise<void> {
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

function saveFailedMessage(dir: vscode.Uri, error: unknown): string {
  const where = dir.scheme === 'file' ? dir.fsPath : dir.toString();
  return vscode.l10n.t('Could not save the image in {0}: {1} The image is still in the gallery.', where, errorReason(error));
}

function errorReason(error: unknown): string {
  const code = error instanceof vscode.FileSystemError ? error.code : (error as { code?: string } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (/ENOSPC/.test(message) || code === 'ENOSPC') return vscode.l10n.t('the disk is full.');
  if (code === 'NoPermissions' || /EACCES|EPERM|EROFS/.test(message)) return vscode.l10n.t('the folder is not writable.');
  if (code === 'FileNotFound' || /ENOENT/.test(message)) return vscode.l10n.t('the file or folder does not exist.');
  if (code === 'Unavailable') return vscode.l10n.t('the file system is not available.');
  return message.endsWith('.') ? message : `${message}.`;
}

function reportError(error: unknown, log: GalleryLog): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UserFacingError) log.warn(`Gallery: ${message}`);
  else log.error(`Gallery: ${error instanceof Error && error.stack ? error.stack : message}`);
  void vscode.window.showErrorMessage(message);
}
