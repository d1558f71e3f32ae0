// "Insert into workspace": copies the stored image into the workspace folder of the document the prompt
// came from (else the current editor's, else the one the user picks), under fluxStudio.saveFolder, then
// inserts a snippet for the document's language at the cursor — or replaces the original selection when
// fluxStudio.replaceSelection is on and it still holds the prompt — as one undoable edit.
import * as path from 'path';
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import { planInsertion, type InsertionPlan, type InsertionRequest } from '../../insert/insertion';
import { relativePosixPath } from '../../insert/paths';
import { promptFromSelection } from '../../insert/prompt';
import type { GalleryEntry } from '../../shared/entry';
import type { Log } from '../../shared/log';
import { flashStatus, showInfo, showWarning } from '../ui/show';
import { l10n } from '../ui/text';
import type { EditorTracker } from './editorTracker';
import { saveImageAs } from './saveAs';
import { chooseAltText } from './altText';
import { documentCopyOf } from './documentCopy';
import { chooseFileName, settingFileName } from './fileName';
import { rememberSavedPath, storedImageUri } from './storedImage';
import { readTemplates } from './templates';
import { imageDestination, prepareFolderInside, reportError, writeNewFile } from './workspaceFiles';

export interface EntryActionDeps {
  store: GalleryStore;
  log: Log;
  editors: EditorTracker;
}

export interface InsertResult {
  /** The new image file in the workspace. */
  file: vscode.Uri;
  /** The document the snippet went into, if any. */
  document?: vscode.TextDocument;
  snippet?: string;
}

/** Where a caller (the language model tool) wants the image, instead of where the prompt came from. */
export interface InsertTarget {
  /** The document to insert into (at its end unless it is visible); undefined only saves the file. */
  document: vscode.TextDocument | undefined;
}

/** Returns undefined when the user cancelled or an error was shown. */
export async function insertIntoWorkspace(entry: GalleryEntry, deps: EntryActionDeps, target?: InsertTarget): Promise<InsertResult | undefined> {
  try {
    const sourceDocument = target ? target.document : await openSourceDocument(entry);
    const editorDocument = target ? undefined : deps.editors.current()?.document;
    const document = sourceDocument ?? editorDocument;

    const folder = await chooseWorkspaceFolder([sourceDocument, editorDocument]);
    if (!folder) {
      if (!vscode.workspace.workspaceFolders?.length) await offerSaveAs(entry, deps);
      return undefined;
    }
    const saved = await saveIntoFolder(entry, deps, folder, document, { interactive: true });
    if (!saved) return undefined; // the user cancelled the alt text or file name question
    const { file } = saved;

    if (!document) {
      await vscode.commands.executeCommand('revealInExplorer', file);
      flashStatus(l10n.t('Saved {0}', vscode.workspace.asRelativePath(file, true)), 5000);
      return { file };
    }

    const visible = vscode.window.visibleTextEditors.some((e) => e.document === document);
    const editor = await editorFor(document, deps.editors);
    if (target && !visible) editor.selection = endOf(document);
    const snippet = await insertSnippet(editor, entry, saved, folder, deps.log);
    if (snippet === undefined) {
      void showWarning(
        l10n.t('Saved {0}, but could not insert it into {1}.', vscode.workspace.asRelativePath(file, true), path.posix.basename(document.uri.path)),
      );
    }
    return { file, document, snippet };
  } catch (error) {
    reportError(error, deps.log);
    return undefined;
  }
}

/**
 * Writes the document copy (sized and encoded for documents, record kept) under the save folder, with the alt
 * text and file name the settings choose; `interactive`: the "ask" settings may ask (undefined: cancelled).
 */
async function saveIntoFolder(
  entry: GalleryEntry,
  deps: EntryActionDeps,
  folder: vscode.WorkspaceFolder,
  document: vscode.TextDocument | undefined,
  { interactive }: { interactive: boolean },
): Promise<SavedImage | undefined> {
  const scope = document?.uri ?? folder.uri;
  const alt = document ? await chooseAltText(entry, document.uri, interactive, deps.log) : '';
  if (alt === undefined) return undefined;
  const copy = await documentCopyOf(entry, storedImageUri(entry, deps.store), scope, deps.log);
  const named = settingFileName(entry, copy.format, document, folder, deps.log);
  const fileName = interactive ? await chooseFileName(named, scope) : named;
  if (fileName === undefined) return undefined;
  const destination = imageDestination(folder, document, fileName, deps.log);
  await prepareFolderInside(folder, destination.folder);
  const file = await writeNewFile(destination.folder, destination.fileName, copy.bytes);
  await rememberSavedPath(entry, file, deps.store);
  deps.log.info(`Gallery: saved ${entry.id} as ${file.toString()}`);
  return { file, width: copy.width, height: copy.height, alt, prompt: entry.options.prompt };
}

/**
 * Saves the image and inserts its snippet at `offset()` of `document` (the end of the text it was made from,
 * read once the image is saved: the text may have moved meanwhile) as one undoable edit, without showing the
 * document or moving the user's cursor or focus. Resolves the result, or undefined when the document has no
 * workspace folder to save into (nothing was written).
 */
export async function insertAtOffset(
  entry: GalleryEntry,
  deps: EntryActionDeps,
  document: vscode.TextDocument,
  offset: () => number | undefined,
): Promise<InsertResult | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? (vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0] : undefined);
  if (!folder) return undefined;
  // Nothing is asked here: the image lands while the user writes on (the "ask" settings apply to Insert).
  const saved = await saveIntoFolder(entry, deps, folder, document, { interactive: false });
  if (!saved) return undefined;
  const { file } = saved;
  const cursor = document.isClosed ? undefined : offset();
  const plan = cursor === undefined ? undefined : planEntryInsertion(document, saved, folder, { cursor, replaceSelection: false }, deps.log);
  const edit = new vscode.WorkspaceEdit();
  if (plan) edit.replace(document.uri, new vscode.Range(document.positionAt(plan.edit.start), document.positionAt(plan.edit.end)), plan.edit.newText);
  const editors = vscode.window.visibleTextEditors.filter((editor) => editor.document === document);
  const selections = editors.map((editor) => editor.selections.map((s) => [document.offsetAt(s.anchor), document.offsetAt(s.active)] as const));
  if (!plan || !(await vscode.workspace.applyEdit(edit))) {
    void showWarning(l10n.t('Saved {0}, but could not insert it into {1}.', vscode.workspace.asRelativePath(file, true), path.posix.basename(document.uri.path)));
    return { file };
  }
  // Text inserted at the edge of a selection widens it: the user's selection (often the paragraph the image
  // was made from) would then hold the image, and the next keystroke would replace both.
  const added = plan.edit.newText.length - (plan.edit.end - plan.edit.start);
  const moved = (at: number) => document.positionAt(at > plan.edit.start ? at + added : at);
  editors.forEach((editor, i) => (editor.selections = selections[i].map(([anchor, active]) => new vscode.Selection(moved(anchor), moved(active)))));
  return { file, document, snippet: plan.snippet };
}

function endOf(document: vscode.TextDocument): vscode.Selection {
  const end = document.lineAt(document.lineCount - 1).range.end;
  return new vscode.Selection(end, end);
}

/** Without a workspace folder to copy into: say so, and offer "Save As…". */
export async function offerSaveAs(entry: GalleryEntry, deps: EntryActionDeps): Promise<void> {
  const saveAs = l10n.t('Save As…');
  const choice = await showInfo(l10n.t('Open a folder to insert images into the workspace, or save this image somewhere else.'), saveAs);
  if (choice === saveAs) await saveImageAs(entry, deps);
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

async function chooseWorkspaceFolder(documents: readonly (vscode.TextDocument | undefined)[]): Promise<vscode.WorkspaceFolder | undefined> {
  for (const document of documents) {
    const folder = document && vscode.workspace.getWorkspaceFolder(document.uri);
    if (folder) return folder;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: l10n.t('Choose the folder to save the image in'), ignoreFocusOut: true });
}

async function editorFor(document: vscode.TextDocument, editors: EditorTracker): Promise<vscode.TextEditor> {
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
  return vscode.window.showTextDocument(document, { viewColumn: viewColumn ?? editors.viewColumn(), preserveFocus: false, preview: false });
}

/**
 * Inserts the snippet as one undoable edit where the language's rules put it (src/insert/insertion.ts),
 * replacing the original selection when fluxStudio.replaceSelection is on and that selection still holds
 * the prompt. Returns the snippet, or undefined if the edit failed.
 */
async function insertSnippet(editor: vscode.TextEditor, entry: GalleryEntry, file: SavedImage, folder: vscode.WorkspaceFolder, log: Log): Promise<string | undefined> {
  const document = editor.document;
  const text = document.getText();
  const selection = entry.source?.documentUri === document.uri.toString() ? entry.source.selection : undefined;
  const replace = vscode.workspace.getConfiguration('fluxStudio', document.uri).get<boolean>('replaceSelection', false);
  const plan = planEntryInsertion(document, file, folder, {
    cursor: document.offsetAt(editor.selection.active),
    selection,
    replaceSelection: replace && !!selection && stillHoldsPrompt(text, selection, document.languageId, entry.options.prompt),
  }, log);;
  const range = new vscode.Range(document.positionAt(plan.edit.start), document.positionAt(plan.edit.end));
  if (!(await editor.edit((edit) => edit.replace(range, plan.edit.newText)))) return undefined;
  const end = document.positionAt(plan.snippetEnd);
  editor.selection = new vscode.Selection(end, end);
  editor.revealRange(new vscode.Range(range.start, end));
  return plan.snippet;
}

/** The document copy of an entry's image, as saved into the workspace, and its alt text. */
export interface SavedImage {
  file: vscode.Uri;
  width: number;
  height: number;
  alt: string;
  /** The whole prompt, for a template's `${prompt}`. */
  prompt: string;
}

/** Where an image, saved as `image.file`, goes into `document` (the language's rules in src/insert). */
export function planEntryInsertion(
  document: vscode.TextDocument,
  image: SavedImage,
  folder: vscode.WorkspaceFolder,
  at: Pick<InsertionRequest, 'cursor' | 'selection' | 'replaceSelection'>,
  log: Log,
): InsertionPlan {
  return planInsertion({
    ...at,
    text: document.getText(),
    languageId: document.languageId,
    image: { path: snippetPath(document, image.file, folder), prompt: image.alt, fullPrompt: image.prompt, width: image.width, height: image.height },
    templates: readTemplates(document.uri, log),
  });
}

/** The text at the recorded selection still reads as the prompt (the document was not changed there). */
function stillHoldsPrompt(text: string, selection: { start: number; end: number }, languageId: string, prompt: string): boolean {
  if (!(selection.start >= 0 && selection.start < selection.end && selection.end <= text.length)) return false;
  return promptFromSelection(text.slice(selection.start, selection.end), languageId) === prompt.trim();
}

/** Relative POSIX path from the document's folder; from the workspace folder for untitled documents. */
function snippetPath(document: vscode.TextDocument, file: vscode.Uri, folder: vscode.WorkspaceFolder): string {
  const sameRoot = document.uri.scheme === file.scheme && document.uri.authority === file.authority;
  const fromDir = sameRoot ? path.posix.dirname(document.uri.path) : folder.uri.path;
  return relativePosixPath(fromDir, file.path);
}
