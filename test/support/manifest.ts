// The extension manifest as tests read it: package.json's settings live in several sections
// (`contributes.configuration` is an array: Generation, Inserting, Account & privacy, Advanced).
export interface ConfigurationSection {
  id?: string;
  title: string;
  properties: Record<string, Record<string, unknown>>;
}

/**
 * Every setting a user sees, by its full id, from all sections, in the manifest's order. Renamed settings'
 * old names stay contributed with a deprecation message (so they can still be read, and VS Code says they
 * were renamed) but the Settings editor hides them: they are left out unless `withDeprecated`.
 */
export function configurationProperties<T = Record<string, unknown>>(
  pkg: { contributes: { configuration: ConfigurationSection | ConfigurationSection[] } },
  withDeprecated = false,
): Record<string, T> {
  const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  const all = Object.entries(Object.assign({}, ...sections.map((section) => section.properties)) as Record<string, Record<string, unknown>>);
  return Object.fromEntries(all.filter(([, p]) => withDeprecated || (p.deprecationMessage === undefined && p.markdownDeprecationMessage === undefined))) as Record<string, T>;
}
