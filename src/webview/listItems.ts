// What the gallery list shows, free of the DOM (unit-tested in Node): which entries pass the Show filter,
// and how the shown entries form the list's items — one card each, except the variants of one request,
// which form one group item (one block spanning the grid, the shared prompt once) while the gallery holds
// more than one of them.
import type { EntryView } from '../protocol/gallery';
import { isRunning } from '../shared/entry';

export type StateFilter = 'all' | 'completed' | 'running' | 'paused' | 'failed' | 'starred';
export const STATE_FILTERS: readonly StateFilter[] = ['all', 'completed', 'running', 'paused', 'failed', 'starred'];

export interface ListItem {
  /** The entry's id, or groupKey(groupId) for a group. */
  key: string;
  /** The entries shown, in order (a group's by variant). */
  entries: readonly EntryView[];
  /** A group only: how many variants the gallery holds (some may be filtered out). */
  groupSize?: number;
}

/** Group keys cannot clash with entry ids: ids never contain a space. */
export function groupKey(groupId: string): string {
  return `group ${groupId}`;
}

export function passesFilter(entry: EntryView, filter: StateFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'running':
      return isRunning(entry.state);
    case 'starred':
      return entry.starred === true;
    default:
      return entry.state === filter;
  }
}

/** How many entries each group holds. */
export function groupSizes(entries: Iterable<EntryView>): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const entry of entries) if (entry.groupId) sizes.set(entry.groupId, (sizes.get(entry.groupId) ?? 0) + 1);
  return sizes;
}

/**
 * The items for the entries `shown` (newest first): a group's item takes the place of its newest shown
 * variant. An item whose entries are those of the same item in `previous` is that object, so that its
 * card is not built again.
 */
export function buildItems(shown: readonly EntryView[], sizes: ReadonlyMap<string, number>, previous: ReadonlyMap<string, ListItem>): ListItem[] {
  const items: ListItem[] = [];
  const groups = new Map<string, EntryView[]>();
  for (const entry of shown) {
    const size = entry.groupId ? sizes.get(entry.groupId) ?? 0 : 0;
    if (size < 2) {
      items.push({ key: entry.id, entries: [entry] });
      continue;
    }
    const key = groupKey(entry.groupId!);
    const members = groups.get(key);
    if (members) {
      members.push(entry);
      continue;
    }
    const entries = [entry];
    groups.set(key, entries);
    items.push({ key, entries, groupSize: size });
  }
  for (const members of groups.values()) members.sort(byVariant);
  return items.map((item) => {
    const old = previous.get(item.key);
    return old && old.groupSize === item.groupSize && sameEntries(old.entries, item.entries) ? old : item;
  });
}

function byVariant(a: EntryView, b: EntryView): number {
  return (a.variantIndex ?? Number.MAX_SAFE_INTEGER) - (b.variantIndex ?? Number.MAX_SAFE_INTEGER) || a.createdAt - b.createdAt;
}

function sameEntries(a: readonly EntryView[], b: readonly EntryView[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry === b[i]);
}
