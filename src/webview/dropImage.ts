// Dropping an image file onto the gallery offers Re-run with the settings recorded in it. A drag from VS
// Code's Explorer reaches a webview only while Shift is held (otherwise the editor area takes the drop, as
// for text editors); its drag data then carries the file's URI — `file:` on the desktop, `vscode-remote:` in
// a remote window such as code-server. Only drags that carry a URI list are claimed: anything else (text,
// a file from the operating system without a URI) is left to VS Code.
import { DropImageCommand } from '../protocol/gallery';
import { isDroppedImageUri } from '../protocol/validate';
import { h, icon } from './dom';
import { t } from './strings';
import { send } from './vscodeApi';

/** VS Code's own list of every dragged resource first, then the standard one (which may hold only the first). */
const URI_LIST_TYPES = ['application/vnd.code.uri-list', 'text/uri-list'];
const NOTICE_MS = 8000;

export class ImageDropTarget {
  /** Covers the gallery while a droppable drag is over it. */
  readonly overlay: HTMLElement;
  /** Says why a drop was refused. */
  readonly notice: HTMLElement;
  /** dragenter/dragleave pairs: the overlay goes when the drag has left every element. */
  private depth = 0;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.overlay = h('div', { class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' }, icon('debug-restart'), h('span', { text: t('dropToRerun') }));
    this.notice = h('p', { class: 'drop-notice', role: 'status' });
    // Handled before VS Code's own listeners on the window: a prevented dragenter keeps its drop overlay away.
    document.addEventListener('dragenter', (e) => this.onDragEnter(e));
    document.addEventListener('dragover', (e) => {
      if (!carriesUris(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = 'copy';
    });
    document.addEventListener('dragleave', () => this.leave());
    document.addEventListener('drop', (e) => this.onDrop(e));
  }

  private onDragEnter(e: DragEvent): void {
    if (!carriesUris(e)) return;
    e.preventDefault();
    this.depth++;
    this.overlay.hidden = false;
  }

  private leave(): void {
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth === 0) this.overlay.hidden = true;
  }

  private onDrop(e: DragEvent): void {
    if (!carriesUris(e)) return;
    e.preventDefault();
    this.depth = 0;
    this.overlay.hidden = true;
    const uri = droppedUris(e.dataTransfer!).find(isDroppedImageUri);
    if (uri) send(DropImageCommand, { uri });
    else this.refuse();
  }

  private refuse(): void {
    this.notice.textContent = t('dropRefused');
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice.textContent = ''), NOTICE_MS);
  }
}

function carriesUris(e: DragEvent): boolean {
  const types = e.dataTransfer?.types ?? [];
  return URI_LIST_TYPES.some((type) => types.includes(type));
}

/** The URIs of a drop (RFC 2483 text/uri-list: one a line, `#` lines are comments). */
function droppedUris(data: DataTransfer): string[] {
  for (const type of URI_LIST_TYPES) {
    const uris = data
      .getData(type)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    if (uris.length) return uris;
  }
  return [];
}
