// The strings the webview shows: the English table (src/protocol/strings.ts, the one place they are
// defined) overlaid with the translated table the extension sends in the init notification.
import { GALLERY_STRINGS_EN, formatString, type GalleryStringKey, type GalleryStrings } from '../protocol/strings';

export { GALLERY_STRINGS_EN, type GalleryStringKey } from '../protocol/strings';

let current: GalleryStrings = { ...GALLERY_STRINGS_EN };

export function setStrings(strings: Partial<Record<string, unknown>>): void {
  const next: GalleryStrings = { ...GALLERY_STRINGS_EN };
  for (const key of Object.keys(GALLERY_STRINGS_EN) as GalleryStringKey[]) {
    const value = strings[key];
    if (typeof value === 'string' && value) next[key] = value;
  }
  current = next;
}

export function t(key: GalleryStringKey, values?: Record<string, string | number>): string {
  return values ? formatString(current[key], values) : current[key];
}
