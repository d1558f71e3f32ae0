// How a job's state is named in progress notifications and Show Jobs.
import type { GalleryEntry } from '../shared/entry';
import { l10n, type SafeText } from './ui/text';

export function stateLabel(entry: GalleryEntry): SafeText {
  switch (entry.state) {
    case 'submitting':
      return l10n.t('Sending');
    case 'queued':
      return l10n.t('Queued');
    case 'processing':
      return l10n.t('Generating {0}%', entry.progress);
    case 'downloading':
      return l10n.t('Saving the image');
    case 'paused':
      return l10n.t('Paused');
    case 'completed':
      return l10n.t('Done');
    case 'failed':
      return l10n.t('Failed');
  }
}
