// What the gallery's requests answer, once the panel has checked the message: ids that are not in the
// gallery are left out of the answer, and a generation the extension declined is refused with its reason.
import * as vscode from 'vscode';
import type { RequestMethod, RequestResult, WebviewMessage } from '../../protocol/gallery';
import type { GalleryEntry } from '../../shared/entry';
import { imageWebviewUri } from './entryView';
import type { GalleryDeps } from './panel';
import type { ThumbnailStore } from './thumbnailStore';

export type RequestMessage = Extract<WebviewMessage, { method: RequestMethod }>;

/** A request the extension declined, with the reason to show in the webview (empty: nothing to show). */
export class RequestRefused extends Error {}

export async function answerRequest(
  msg: RequestMessage,
  deps: GalleryDeps,
  thumbnails: ThumbnailStore,
  webview: vscode.Webview,
): Promise<RequestResult<RequestMethod>> {
  const { store } = deps;
  switch (msg.method) {
    case 'gallery/generate': {
      const entry = await deps.actions.generate({ ...msg.params.options }, msg.params.variants, msg.params.originalPrompt);
      if (!entry) throw new RequestRefused('');
      return { entryId: entry.id };
    }
    case 'gallery/enhancePrompt': {
      const prompt = await deps.actions.enhancePrompt(msg.params.prompt);
      if (prompt === undefined) throw new RequestRefused('');
      return { prompt };
    }
    case 'entry/thumbnails': {
      const entries = msg.params.entryIds.map((id) => store.get(id)).filter((entry): entry is GalleryEntry => !!entry);
      return { thumbnails: await thumbnails.read(entries) };
    }
    case 'entry/thumbnail': {
      const entry = store.get(msg.params.entryId);
      return { stored: !!entry && (await thumbnails.save(entry, msg.params.dataUrl)) };
    }
    case 'entry/fullImages': {
      const stored = msg.params.entryIds
        .map((id) => store.get(id))
        .filter((entry): entry is GalleryEntry & { imageFile: string } => entry?.state === 'completed' && !!entry.imageFile);
      return { images: stored.map((entry) => ({ entryId: entry.id, uri: imageWebviewUri(entry.imageFile, webview, store) })) };
    }
  }
}
