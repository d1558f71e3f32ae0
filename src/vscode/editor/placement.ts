// Where the user was writing is where the picture lands: a job started from a selection is followed here.
// While it runs, the end of the selected text shows its progress as an after-line decoration (never an edit);
// when it completes, the image is saved and its snippet inserted right after that text, wherever the user's
// edits have moved it, as one undoable edit. If the text is gone or the document closed, nothing is guessed:
// the image stays in the gallery and one notification offers Insert.
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../shared/commands';
import { locateAnchor, shiftAnchor, type Anchor } from '../../insert/anchor';
import type { GalleryStore } from '../../gallery/store';
import { isRunning, type GalleryEntry } from '../../shared/entry';
import type { Log } from '../../shared/log';
import { showInfo } from '../ui/show';
import { l10n, shortPlain } from '../ui/text';
import { insertAtOffset, type EntryActionDeps } from './insertAction';
import { reportError } from './workspaceFiles';

interface Followed {
  document: vscode.TextDocument;
  anchor: Anchor;
}

export class Placements implements vscode.Disposable {
  private readonly followed = new Map<string, Followed>();
  /** Every job followed in this window, placed or not yet (ids only: a few per session). */
  private readonly owned = new Set<string>();
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private readonly subscriptions: vscode.Disposable[];
  /** Some editor shows a progress decoration. */
  private drawn = false;
  private readonly settled = new vscode.EventEmitter<{ id: string; placed: boolean }>();
  /** The placement going on, if any, and the completed jobs waiting for their turn (see settle). */
  private placing: Promise<unknown> = Promise.resolve();
  private readonly queued = new Set<string>();
  /** A followed image completed: placed after its text, or (text gone, document closed) left in the gallery. */
  readonly onDidPlace = this.settled.event;

  constructor(
    private readonly store: GalleryStore,
    private readonly deps: EntryActionDeps,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => this.track(event)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redraw()),
      store.onDidChange((change) => {
        if (change.kind === 'upsert' && this.followed.has(change.entry.id)) void this.settle(change.entry);
      }),
    ];
  }

  /** Follows the job `id`, made from the text at `anchor` in `document`. */
  follow(id: string, document: vscode.TextDocument, anchor: Anchor): void {
    this.followed.set(id, { document, anchor });
    this.owned.add(id);
    this.redraw();
    const entry = this.store.get(id);
    if (entry) void this.settle(entry); // it may have ended already
  }

  /** A completed job this window places itself (or placed already): no "Image ready" notification for it. */
  placesCompleted(event: { kind: string; entry: GalleryEntry }): boolean {
    return event.kind === 'completed' && this.owned.has(event.entry.id);
  }

  /** The engine finished `entry` in this window: place it now rather than on the store's change event. */
  completed(entry: GalleryEntry): void {
    if (this.followed.has(entry.id)) void this.settle(entry);
  }

  private track(event: vscode.TextDocumentChangeEvent): void {
    if (this.followed.size === 0) return;
    for (const followed of this.followed.values()) {
      if (followed.document !== event.document) continue;
      // Reported against the document before the event, from the end backwards, so offsets stay right.
      const changes = [...event.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
      for (const change of changes) {
        followed.anchor = shiftAnchor(followed.anchor, { start: change.rangeOffset, end: change.rangeOffset + change.rangeLength, newLength: change.text.length });
      }
    }
    this.redraw();
  }

  private async settle(entry: GalleryEntry): Promise<void> {
    if (isRunning(entry.state)) return this.redraw();
    const followed = this.followed.get(entry.id);
    if (!followed || this.queued.has(entry.id)) return;
    const done = () => {
      this.followed.delete(entry.id);
      this.queued.delete(entry.id);
      this.redraw();
    };
    // A failure or a pause is reported by the notifier; only a finished image is placed here.
    if (entry.state !== 'completed') return done();
    // One placement at a time: VS Code refuses an edit made against a version of the document that another
    // edit (an image landing at the same moment) has already changed. Its text is followed until it is placed.
    this.queued.add(entry.id);
    const placing = this.placing.then(() => this.place(entry, followed)).finally(done);
    this.placing = placing.catch(() => undefined);
    await placing;
  }

  private async place(entry: GalleryEntry, followed: Followed): Promise<void> {
    const started = Date.now();
    const locate = () => (followed.document.isClosed ? undefined : locateAnchor(followed.document.getText(), followed.anchor)?.end);
    try {
      const result = locate() !== undefined ? await insertAtOffset(entry, this.deps, followed.document, locate) : undefined;
      this.settled.fire({ id: entry.id, placed: !!result?.snippet });
      if (result?.snippet) {
        this.log.info(`placed ${entry.id} in ${path.posix.basename(followed.document.uri.path)} in ${Date.now() - started} ms`);
        return;
      }
      if (result) return; // saved, and the failed edit was reported
    } catch (error) {
      this.settled.fire({ id: entry.id, placed: false });
      reportError(error, this.log);
      return;
    }
    this.log.info(`placement of ${entry.id}: its text is gone or its document closed; it waits in the gallery`);
    const insert = l10n.t('Insert');
    const choice = await showInfo(
      l10n.t('The image for “{0}” is ready, but its text is no longer in {1}, so it waits in the gallery.', shortPlain(entry.options.prompt, 60), path.posix.basename(followed.document.uri.path)),
      insert,
    );
    if (choice === insert) void vscode.commands.executeCommand(COMMANDS.insertIntoWorkspace, entry.id);
  }

  /** "Flux · generating 40 %" after the last line of each followed text, in every visible editor of its document. */
  private redraw(): void {
    // Nothing followed and nothing drawn: leave the editors alone (a decoration update re-renders them).
    if (this.followed.size === 0 && !this.drawn) return;
    this.drawn = this.followed.size > 0;
    for (const editor of vscode.window.visibleTextEditors) {
      const options: vscode.DecorationOptions[] = [];
      for (const [id, followed] of this.followed) {
        if (followed.document !== editor.document) continue;
        const entry = this.store.get(id);
        const line = editor.document.positionAt(followed.anchor.end).line;
        const contentText = l10n.t('Flux · generating {0} %', Math.round(entry?.progress ?? 0));
        options.push({ range: editor.document.lineAt(line).range, renderOptions: { after: { contentText } } });
      }
      editor.setDecorations(this.decoration, options);
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.decoration.dispose();
    this.settled.dispose();
  }
}
