// Gallery images into text editors by drag and drop and by copy and paste, for every language with an
// image syntax (IMAGE_LANGUAGES). A drop carries the entry id (src/webview/dragCopy.ts); a paste carries
// the stored image's file URI as text ("Copy Image" in the gallery's context menu, or "Copy link" before
// the image was saved into the workspace). Either way the edit is the one "Insert into workspace" makes —
// planInsertion's snippet, the file under the save folder with a free name — as ONE WorkspaceEdit that
// creates the file and inserts the text, so one Undo takes both back. Files dragged from the Explorer or
// the OS are not ours (no `text/uri-list`, no `files`): VS Code and its Markdown extension handle them.
import * as path from 'path';
import * as vscode from 'vscode';
import { IMAGE_LANGUAGES } from '../../insert/languages';
import { GALLERY_IMAGE_MIME, isEntryIdText } from '../../protocol/galleryTransfer';
import { COMMANDS } from '../../shared/commands';
import type { GalleryEntry } from '../../shared/entry';
import { flashStatus } from '../ui/show';
import { l10n } from '../ui/text';
import { offerSaveAs, planEntryInsertion, type EntryActionDeps } from './insertAction';
import { chooseAltText } from './altText';
import { documentCopyOf } from './documentCopy';
import { settingFileName } from './fileName';
import { storedImageUri } from './storedImage';
import { assertInside, freeFileUri, imageDestination, reportError } from './workspaceFiles';

const KIND = vscode.DocumentDropOrPasteEditKind.Empty.append('fluxStudio', 'image');
/** Clipboard text longer than this is not a stored image's URI (and is not parsed). */
const URI_TEXT_MAX_LENGTH = 4096;

/** `ready` loads the gallery (once); nothing here needs it before a paste or drop that is ours. */
export function registerDropAndPaste(deps: EntryActionDeps, ready: () => Promise<void>): vscode.Disposable {
  const provider = new GalleryImageEdits(deps, ready);
  const selector = IMAGE_LANGUAGES.map((language) => ({ language }));
  return vscode.Disposable.from(
    vscode.languages.registerDocumentDropEditProvider(selector, provider, { dropMimeTypes: [GALLERY_IMAGE_MIME], providedDropEditKinds: [KIND] }),
    vscode.languages.registerDocumentPasteEditProvider(selector, provider, { pasteMimeTypes: ['text/plain'], providedPasteEditKinds: [KIND] }),
    vscode.commands.registerCommand(COMMANDS.copyImage, async (context: unknown) => {
      await ready();
      await copyImage(context, deps);
    }),
  );
}

export class GalleryImageEdits implements vscode.DocumentDropEditProvider, vscode.DocumentPasteEditProvider {
  constructor(
    private readonly deps: EntryActionDeps,
    private readonly ready: () => Promise<void>,
  ) {}

  async provideDocumentDropEdits(
    document: vscode.TextDocument,
    position: vscode.Position,
    dataTransfer: vscode.DataTransfer,
    token: vscode.CancellationToken,
  ): Promise<vscode.DocumentDropEdit | undefined> {
    const id = (await dataTransfer.get(GALLERY_IMAGE_MIME)?.asString())?.trim();
    if (!isEntryIdText(id)) return undefined;
    await this.ready();
    const entry = this.deps.store.get(id);
    if (entry?.state !== 'completed' || token.isCancellationRequested) return undefined;
    const drop = new vscode.DocumentDropEdit('', l10n.t('Insert Image from the Flux Gallery'), KIND);
    drop.additionalEdit = await this.insertionEdit(document, entry, new vscode.Range(position, position));
    return drop;
  }

  async provideDocumentPasteEdits(
    document: vscode.TextDocument,
    ranges: readonly vscode.Range[],
    dataTransfer: vscode.DataTransfer,
    _context: vscode.DocumentPasteEditContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.DocumentPasteEdit[] | undefined> {
    const entry = await this.entryForStoredUri(await dataTransfer.get('text/plain')?.asString());
    if (!entry || !ranges.length || token.isCancellationRequested) return undefined;
    // A refused copy still returns the (empty) edit: the clipboard's file URI is not pasted as text
    // behind the message; the paste widget offers plain text for whoever wants it.
    const paste = new vscode.DocumentPasteEdit('', l10n.t('Insert Image from the Flux Gallery'), KIND);
    paste.additionalEdit = await this.insertionEdit(document, entry, ranges[0]);
    return [paste];
  }

  /** The completed entry whose stored image `text` is the file URI of, if it is one. */
  private async entryForStoredUri(text: string | undefined): Promise<GalleryEntry | undefined> {
    const trimmed = text?.trim();
    if (!trimmed || trimmed.length > URI_TEXT_MAX_LENGTH || !trimmed.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = path.resolve(vscode.Uri.parse(trimmed, true).fsPath);
    } catch {
      return undefined;
    }
    await this.ready();
    return this.deps.store.list().find((entry) => entry.state === 'completed' && entry.imageFile && this.deps.store.imagePath(entry.imageFile) === file);
  }

  /**
   * The file and the snippet as one edit: the file under the save folder (checked with real paths),
   * never over an existing one; the snippet where the language's rules put it for `range`. Undefined,
   * with the reason shown, when the image cannot go into this document's workspace folder.
   */
  private async insertionEdit(document: vscode.TextDocument, entry: GalleryEntry, range: vscode.Range): Promise<vscode.WorkspaceEdit | undefined> {
    try {
      const image = storedImageUri(entry, this.deps.store);
      const folder = workspaceFolderOf(document);
      if (!folder) {
        void offerSaveAs(entry, this.deps);
        return undefined;
      }
      const copy = await documentCopyOf(entry, image, document.uri, this.deps.log);
      const destination = imageDestination(folder, document, settingFileName(entry, copy.format, document, folder, this.deps.log), this.deps.log);
      await assertInside(folder, destination.folder);
      const file = await freeFileUri(destination.folder, destination.fileName);
      const alt = (await chooseAltText(entry, document.uri, false, this.deps.log)) ?? '';
      const plan = planEntryInsertion(document, { file, width: copy.width, height: copy.height, alt, prompt: entry.options.prompt }, folder, {
        cursor: document.offsetAt(range.start),
        selection: { start: document.offsetAt(range.start), end: document.offsetAt(range.end) },
        replaceSelection: !range.isEmpty,
      }, this.deps.log);
      const edit = new vscode.WorkspaceEdit();
      edit.createFile(file, { contents: copy.bytes });
      edit.replace(document.uri, new vscode.Range(document.positionAt(plan.edit.start), document.positionAt(plan.edit.end)), plan.edit.newText);
      this.deps.log.info(`Gallery: ${entry.id} goes into ${document.uri.toString()} as ${file.toString()}`);
      return edit;
    } catch (error) {
      reportError(error, this.deps.log);
      return undefined;
    }
  }
}

/** The document's workspace folder; for an untitled document, the only folder open. */
function workspaceFolderOf(document: vscode.TextDocument): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return vscode.workspace.getWorkspaceFolder(document.uri) ?? (document.isUntitled && folders.length === 1 ? folders[0] : undefined);
}

/** "Copy Image" on a gallery card: the stored image's file URI as text, which the paste provider knows. */
async function copyImage(context: unknown, deps: EntryActionDeps): Promise<void> {
  const id = (context as { entryId?: unknown } | undefined)?.entryId;
  const entry = isEntryIdText(id) ? deps.store.get(id) : undefined;
  if (!entry) return;
  try {
    await vscode.env.clipboard.writeText(storedImageUri(entry, deps.store).toString());
    flashStatus(l10n.t('Copied the image. Paste it into a document to save it in the workspace and link it.'), 5000);
  } catch (error) {
    reportError(error, deps.log);
  }
}
