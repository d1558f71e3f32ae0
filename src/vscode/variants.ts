// Variants in the UI: how many to make, what they cost (asked before more than one image is paid for),
// and Keep — one variant stays, the other finished, unstarred variants of its group go.
import type { GalleryEntry } from '../shared/entry';
import type { Log } from '../shared/log';
import type { ImagePrice } from '../api/prices';
import { VARIANTS_MAX, VARIANTS_MIN, mayBulkDelete, othersToDelete } from '../shared/variants';
import { reportError } from './editor/workspaceFiles';
import { creditsText } from './prices';
import { askModal, pick, showInfo } from './ui/show';
import { join, l10n, plain, type SafeText } from './ui/text';

/** "3 × 6 credits = 18 credits …": the cost of `count` images, saying where the per-image price comes from. */
export function variantCostText(count: number, price: ImagePrice): SafeText {
  const total = creditsText(price, count);
  return price.source === 'priceList'
    ? l10n.t('{0} × {1} = {2} (Apiframe’s published price per image).', count, creditsText(price), total)
    : l10n.t('{0} × {1} = {2} (Apiframe’s documented price per image; its price list could not be read).', count, creditsText(price), total);
}

/** Asks before `count` (> 1) images are paid for; resolves whether to go ahead. */
export async function confirmVariantCost(count: number, price: ImagePrice): Promise<boolean> {
  const go = l10n.t('Generate {0} Images', count);
  const detail = join([variantCostText(count, price), l10n.t('Each variant has its own seed, so any of them can be re-run exactly.')]);
  return (await askModal(l10n.t('Generate {0} variants for {1}?', count, creditsText(price, count)), detail, go)) === go;
}

/** The variant count, with the setting's value first; undefined when dismissed. */
export async function askVariantCount(current: number, cost: ImagePrice): Promise<number | undefined> {
  const counts = Array.from({ length: VARIANTS_MAX - VARIANTS_MIN + 1 }, (_, i) => VARIANTS_MIN + i);
  const items = [current, ...counts.filter((n) => n !== current)].map((count) => ({
    label: count === 1 ? l10n.t('1 image') : l10n.t('{0} variants', count),
    description: creditsText(cost, count),
    detail: count === current ? l10n.t('Default (fluxStudio.variants)') : undefined,
    count,
  }));
  return (await pick(items, { title: l10n.t('Flux: how many images?') }))?.count;
}

export interface KeepDeps {
  store: { list(): GalleryEntry[] };
  log: Log;
  /** Removes an entry when `onlyIf` still holds for it on disk (see JobEngine.remove). */
  remove(id: string, onlyIf: (current: GalleryEntry) => boolean): Promise<boolean>;
}

/**
 * Keep on one variant: offers to delete the other variants of its group. Starred and unfinished ones are
 * never deleted (checked again at the moment of deletion). Resolves how many were deleted.
 */
export async function keepVariant(kept: GalleryEntry, deps: KeepDeps): Promise<number> {
  const group = kept.groupId ? deps.store.list().filter((entry) => entry.groupId === kept.groupId && entry.id !== kept.id) : [];
  const deletable = othersToDelete(group, kept);
  if (deletable.length === 0) {
    void showInfo(group.length ? l10n.t('The other variants of this image are starred or unfinished, so none was deleted.') : l10n.t('This image has no other variants.'));
    return 0;
  }
  const spared = group.length - deletable.length;
  const detail = join([
    l10n.t('“{0}”', plain(kept.options.prompt, 200)),
    ...(spared === 1 ? [l10n.t('One starred or unfinished variant stays.')] : spared > 1 ? [l10n.t('{0} starred or unfinished variants stay.', spared)] : []),
    l10n.t('Copies saved in your workspace are kept.'),
  ]);
  const one = deletable.length === 1;
  const remove = one ? l10n.t('Delete the Other') : l10n.t('Delete {0} Others', deletable.length);
  const question = one ? l10n.t('Keep this variant and delete the other one of its group?') : l10n.t('Keep this variant and delete the {0} others of its group?', deletable.length);
  if ((await askModal(question, detail, remove)) !== remove) return 0;
  let removed = 0;
  try {
    for (const other of deletable) if (await deps.remove(other.id, mayBulkDelete)) removed++;
  } catch (error) {
    reportError(error, deps.log);
  }
  deps.log.info(`Gallery: kept ${kept.id}, deleted ${removed} other variants of its group`);
  return removed;
}
