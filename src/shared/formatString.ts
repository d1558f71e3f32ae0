// Named placeholders (`{credits}`) filled in a message. Free of Node and DOM APIs: both sides import it.
import { resolveParticles } from './koreanParticles';

/** Fills `{name}` placeholders (unknown ones stay as they are), then picks Korean particles by what was filled in. */
export function formatString(template: string, values: Readonly<Record<string, string | number>>): string {
  return resolveParticles(
    template.replace(/\{(\w+)\}/g, (match, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match)),
  );
}
