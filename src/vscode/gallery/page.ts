// The gallery's page shell as the panel sets it (see html.ts): the stylesheet and the script read from
// the extension's files, and the boot data — the newest entries, enough for a first screen, with their
// stored thumbnails — so the webview shows them without a request (while the store still loads, the
// newest entries as last written to the first-screen file).
import * as crypto from 'crypto';
import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import { BOOT_ENTRIES, BOOT_THUMBNAIL_BUDGET, type GalleryBoot } from '../../protocol/gallery';
import { GALLERY_STRINGS_EN, GALLERY_STRING_KEYS, type GalleryStrings } from '../../protocol/strings';
import { l10n } from '../ui/text';
import { toEntryView } from './entryView';
import { renderGalleryHtml } from './html';
import type { ThumbnailStore } from './thumbnailStore';

/** The English table run through l10n.t (English text is the key in l10n/bundle.l10n.*.json). */
export function localizedGalleryStrings(): GalleryStrings {
  const strings = {} as GalleryStrings;
  for (const key of GALLERY_STRING_KEYS) strings[key] = l10n.t(GALLERY_STRINGS_EN[key]);
  return strings;
}

export interface GalleryPageParams {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  store: GalleryStore;
  thumbnails: ThumbnailStore;
  settings: Pick<GalleryBoot, 'strings' | 'defaults' | 'imageCost'>;
  title: string;
}

export async function buildGalleryPage({ webview, extensionUri, store, thumbnails, settings, title }: GalleryPageParams): Promise<string> {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  // Before the store has loaded (a few hundred ms with 10,000 entries), the shell carries the newest entries
  // as the last window to change the gallery left them (store.firstScreen); the full list follows.
  const all = store.isLoaded ? store.list() : undefined;
  const first = (all ?? (await store.firstScreen.read())).slice(0, BOOT_ENTRIES);
  const [styles, script, firstThumbnails] = await Promise.all([
    fs.readFile(vscode.Uri.joinPath(extensionUri, 'media', 'gallery.css').fsPath, 'utf8'),
    fs.readFile(vscode.Uri.joinPath(dist, 'webview.js').fsPath, 'utf8'),
    thumbnails.read(first, BOOT_THUMBNAIL_BUDGET),
  ]);
  const boot: GalleryBoot = {
    ...settings,
    locale: vscode.env.language,
    totalCredits: store.totalCreditsSpent(),
    entries: first.map((entry) => toEntryView(entry, webview, store)),
    entryCount: all ? all.length : null,
    thumbnails: firstThumbnails.map(({ entryId, bytes }) => ({ entryId, webp: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64') })),
    codiconStylesheet: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
  };
  return renderGalleryHtml({
    cspSource: webview.cspSource,
    nonce: crypto.randomBytes(16).toString('base64'),
    styles,
    script,
    sourceMapUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js.map')).toString(),
    boot,
    title,
    lang: vscode.env.language,
  });
}
