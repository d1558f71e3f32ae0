// Named placeholders (`{credits}`) filled in a message. Free of Node and DOM APIs: both sides import it.

/** Fills `{name}` placeholders; unknown placeholders stay as they are. */
export function formatString(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match,
  );
}
