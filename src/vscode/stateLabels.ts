// How a job's state is named in progress notifications and Show Jobs: the one table of state names
// (src/shared/entry.ts), which the gallery's cards use too.
import { STATE_NAMES_EN, STATE_NAME_KEYS, type GalleryEntry } from '../shared/entry';
import { l10n, type SafeText } from './ui/text';

export function stateLabel(entry: GalleryEntry): SafeText {
  return l10n.t(STATE_NAMES_EN[STATE_NAME_KEYS[entry.state]], { progress: entry.progress });
}
