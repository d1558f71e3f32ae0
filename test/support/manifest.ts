// The extension manifest as tests read it: package.json's settings live in several sections
// (`contributes.configuration` is an array: Generation, Inserting, Account & privacy, Advanced).
export interface ConfigurationSection {
  id?: string;
  title: string;
  properties: Record<string, Record<string, unknown>>;
}

/** Every contributed setting by its full id, from all sections, in the manifest's order. */
export function configurationProperties<T = Record<string, unknown>>(pkg: { contributes: { configuration: ConfigurationSection | ConfigurationSection[] } }): Record<string, T> {
  const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  return Object.assign({}, ...sections.map((section) => section.properties)) as Record<string, T>;
}
