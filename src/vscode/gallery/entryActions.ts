// What each card button does, once the panel has checked the message: the entry must be in the gallery and
// its state must allow the action (the webview shows only those buttons; a stale click is ignored and logged).
import { isTerminal, type GalleryEntry } from '../../shared/entry';
import { confirmForget } from '../commands/jobs';
import { copyImageLink } from '../editor/copyLink';
import { deleteEntry } from '../editor/deleteEntry';
import { insertIntoWorkspace } from '../editor/insertAction';
import { openFullSize } from '../editor/openFullSize';
import { saveImageAs } from '../editor/saveAs';
import type { CommandMessage, GalleryDeps } from './panel';

/** The commands about one entry. */
export type EntryCommandMessage = Exclude<CommandMessage, { method: 'gallery/ready' | 'gallery/importFromAccount' | 'gallery/setApiKey' | 'gallery/dropImage' | 'entry/thumbnailFailed' }>;

export async function runEntryAction(msg: EntryCommandMessage, deps: GalleryDeps): Promise<void> {
  const { actions, store, log } = deps;
  const entry = store.get(msg.params.entryId);
  if (!entry) return log.warn(`Gallery: ignored ${msg.method} for an id that is not in the gallery`);
  if (!allowedIn(msg.method, entry)) return log.warn(`Gallery: ignored ${msg.method} for ${entry.id} in state ${entry.state}`);
  switch (msg.method) {
    case 'entry/insert':
      return void (await insertIntoWorkspace(entry, deps));
    case 'entry/saveAs':
      return void (await saveImageAs(entry, deps));
    case 'entry/copyLink':
      return void (await copyImageLink(entry, deps));
    case 'entry/openFullSize':
      return openFullSize(entry, deps);
    case 'entry/useAsReference':
      return actions.useAsReference(entry);
    case 'entry/vary':
      return actions.vary(entry);
    case 'entry/rerun':
      return actions.rerun(entry);
    case 'entry/delete':
      return void (await deleteEntry(entry, { log, remove: actions.remove }));
    case 'entry/retry':
      return actions.retry(entry);
    case 'entry/forget':
      return void ((await confirmForget(entry)) && (await actions.remove(entry)));
    case 'entry/star':
      return actions.star(entry, msg.params.starred);
    case 'entry/keep':
      return actions.keep(entry);
  }
}

/** Which card actions an entry's state allows (the webview shows only these; a stale click is ignored). */
function allowedIn(method: EntryCommandMessage['method'], entry: GalleryEntry): boolean {
  switch (method) {
    case 'entry/delete':
    case 'entry/star':
      return true;
    case 'entry/rerun':
      return isTerminal(entry.state);
    case 'entry/retry':
    case 'entry/forget':
      return entry.state === 'paused';
    default:
      return entry.state === 'completed' && !!entry.imageFile;
  }
}
