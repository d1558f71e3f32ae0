// "Delete": asks, then removes the entry and its stored files. Copies saved in the workspace are kept.
import type { GalleryEntry } from '../../shared/entry';
import { askModal } from '../ui/show';
import { l10n, plain } from '../ui/text';
import type { EntryActionDeps } from './insertAction';
import { reportError } from './workspaceFiles';

export async function deleteEntry(entry: GalleryEntry, deps: Pick<EntryActionDeps, 'store' | 'log'>, options: { confirm?: boolean } = {}): Promise<boolean> {
  if (options.confirm !== false) {
    const remove = l10n.t('Delete');
    const detail = l10n.t('“{0}”\n\nCopies saved in your workspace are kept.', plain(entry.options.prompt, 200));
    if ((await askModal(l10n.t('Delete this image from the gallery?'), detail, remove)) !== remove) return false;
  }
  try {
    await deps.store.remove(entry.id);
    return true;
  } catch (error) {
    reportError(error, deps.log);
    return false;
  }
}
