// One gallery entry as the webview sees it: display fields and webview URIs, never file paths.
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import type { EntryView } from '../../protocol/gallery';
import type { GalleryEntry } from '../../shared/entry';
import { describeReason } from '../errorMessages';
import { l10n } from '../ui/text';

export function toEntryView(entry: GalleryEntry, webview: vscode.Webview, store: GalleryStore): EntryView {
  const o = entry.options;
  const view: EntryView = {
    id: entry.id,
    // An image imported from the account may come without its prompt.
    prompt: o.prompt || l10n.t('(imported image)'),
    aspectRatio: o.aspectRatio,
    outputFormat: o.outputFormat,
    outputQuality: o.outputQuality,
    raw: o.raw,
    state: entry.state,
    progress: Math.max(0, Math.min(100, Math.round(entry.progress || 0))),
    createdAt: entry.createdAt,
  };
  if (o.seed !== undefined) view.seed = o.seed;
  if (o.imagePrompt) view.imagePrompt = o.imagePrompt;
  if (o.imagePrompt && o.imagePromptStrength !== undefined) view.imagePromptStrength = o.imagePromptStrength;
  if (entry.reason && (entry.state === 'failed' || entry.state === 'paused')) view.error = describeReason(entry.reason);
  if (entry.completedAt) view.durationMs = Math.max(0, entry.completedAt - (entry.acceptedAt ?? entry.createdAt));
  if (entry.creditCost !== undefined) view.creditCost = entry.creditCost;
  if (entry.width) view.width = entry.width;
  if (entry.height) view.height = entry.height;
  if (entry.imported) view.imported = true;
  if (entry.groupId) view.groupId = entry.groupId;
  if (entry.variantIndex !== undefined) view.variantIndex = entry.variantIndex;
  if (entry.starred) view.starred = true;
  if (entry.originalPrompt) view.originalPrompt = entry.originalPrompt;
  if (entry.thumbFile) {
    view.thumbUri = webview.asWebviewUri(vscode.Uri.file(store.thumbPath(entry.thumbFile))).toString();
  } else if (entry.state === 'completed' && entry.imageFile) {
    view.imageUri = imageWebviewUri(entry.imageFile, webview, store);
  }
  return view;
}

/** The webview's URI of a stored image file. */
export function imageWebviewUri(imageFile: string, webview: vscode.Webview, store: GalleryStore): string {
  return webview.asWebviewUri(vscode.Uri.file(store.imagePath(imageFile))).toString();
}
