// What the gallery webview hands to the rest of VS Code when a picture is dragged out of it or its
// context menu is opened (src/webview/dragCopy.ts writes these; src/vscode/editor/dropPaste.ts and the
// `webview/context` menu in package.json read them).

/** Drag data type whose value is the id of a completed gallery entry (DataTransfer types are lowercase). */
export const GALLERY_IMAGE_MIME = 'application/vnd.flux-studio.gallery-image';

/** `webviewSection` of a completed card in `data-vscode-context`: the gallery's image context menu. */
export const GALLERY_IMAGE_SECTION = 'fluxStudio.galleryImage';

/** What the context menu's commands receive for a card (VS Code merges it with its own fields). */
export interface GalleryImageContext {
  webviewSection: typeof GALLERY_IMAGE_SECTION;
  entryId: string;
  /** Leaves out the webview's own Cut/Copy/Paste, which would copy nothing useful from a picture. */
  preventDefaultContextMenuItems: true;
}

/** A gallery entry id as the extension accepts it from a drag or a context menu (a UUID in practice). */
export function isEntryIdText(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(value);
}
