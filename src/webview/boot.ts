// What the page shell carries for the first screen (GalleryBoot), read once from its JSON block.
import type { GalleryBoot } from '../protocol/gallery';
import { parseGalleryBoot } from '../protocol/validate';

/** The boot data, or undefined when the page shell has none that is well-formed. */
export function readBoot(): GalleryBoot | undefined {
  const text = document.getElementById('gallery-boot')?.textContent;
  if (!text) return undefined;
  try {
    return parseGalleryBoot(JSON.parse(text));
  } catch {
    return undefined;
  }
}
