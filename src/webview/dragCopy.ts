// Taking a picture out of the gallery: drag a completed card's picture into a text editor, or
// right-click it for "Copy Image". Both hand over only the entry id; the extension looks the entry up
// and writes the file and the snippet (src/vscode/editor/dropPaste.ts).
//
// Kept apart from the card rendering on purpose: the attributes are set when the gesture starts, on
// whatever card the pointer is on, so the list can render cards however it likes.
import { GALLERY_IMAGE_MIME, GALLERY_IMAGE_SECTION, type GalleryImageContext } from '../protocol/galleryTransfer';

/** The completed card that `target` belongs to, the frame around its picture, and its entry id. */
function completedCard(target: EventTarget | null): { card: HTMLElement; picture: HTMLElement; id: string } | undefined {
  const card = target instanceof Element ? target.closest<HTMLElement>('article.card.state-completed[data-id]') : null;
  const picture = card?.querySelector<HTMLElement>('.thumb');
  const id = card?.dataset.id;
  return card && picture?.querySelector('img') && id ? { card, picture, id } : undefined;
}

export function installDragCopy(root: HTMLElement): void {
  // The frame around the picture is what is dragged, not the <img> (cards render it draggable="false"):
  // an image drag would also carry the thumbnail as a file, which VS Code would open instead.
  root.addEventListener('pointerdown', (event) => {
    const card = completedCard(event.target);
    if (card?.picture.contains(event.target as Node)) card.picture.draggable = true;
  });
  root.addEventListener('dragstart', (event) => {
    const card = completedCard(event.target);
    if (!card || !event.dataTransfer) return;
    // Only the id: no text or link, so a drop anywhere that does not know Flux Studio inserts nothing.
    event.dataTransfer.clearData();
    event.dataTransfer.setData(GALLERY_IMAGE_MIME, card.id);
    event.dataTransfer.effectAllowed = 'copy';
  });
  // VS Code reads `data-vscode-context` in its own contextmenu listener on the window, after this one.
  window.addEventListener(
    'contextmenu',
    (event) => {
      const card = completedCard(event.target);
      if (!card) return;
      const context: GalleryImageContext = { webviewSection: GALLERY_IMAGE_SECTION, entryId: card.id, preventDefaultContextMenuItems: true };
      card.card.dataset.vscodeContext = JSON.stringify(context);
    },
    { capture: true },
  );
}
