// "Delete": asks, then removes the entry in any state. Copies saved in the workspace are kept; an
// unfinished paid job goes on at Apiframe (the question says so).
import { isTerminal, type GalleryEntry } from '../../shared/entry';
import type { Log } from '../../shared/log';
import { confirmForget } from '../commands/jobs';
import { askModal } from '../ui/show';
import { l10n, plain } from '../ui/text';
import { reportError } from './workspaceFiles';

export interface DeleteDeps {
  log: Log;
  /** Removes the entry (stopping any work on it first). */
  remove(entry: GalleryEntry): Promise<boolean>;
}

export async function deleteEntry(entry: GalleryEntry, deps: DeleteDeps, options: { confirm?: boolean } = {}): Promise<boolean> {
  if (options.confirm !== false && !(await confirmDelete(entry))) return false;
  try {
    return await deps.remove(entry);
  } catch (error) {
    reportError(error, deps.log);
    return false;
  }
}

async function confirmDelete(entry: GalleryEntry): Promise<boolean> {
  if (!isTerminal(entry.state)) return confirmForget(entry);
  const remove = l10n.t('Delete');
  const detail = l10n.t('“{0}”\n\nCopies saved in your workspace are kept.', plain(entry.options.prompt, 200));
  return (await askModal(l10n.t('Delete this image from the gallery?'), detail, remove)) === remove;
}
