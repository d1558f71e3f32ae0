// Glob patterns as VS Code's Markdown extension matches `markdown.copyFiles.destination` keys
// (picomatch with `dot: true`): `**`, `*`, `?`, `[…]`, `[!…]` and `{a,b}` over POSIX paths, in linear time.
import { UnsupportedPattern, compileGlob, matchesWhole } from './linearPattern';

/** The keys of `markdown.copyFiles.destination` as VS Code reads them (its copyFiles.ts `parseGlob`). */
export function anchoredGlobs(rawGlob: string, workspaceFolders: readonly string[]): string[] {
  // A leading `/` anchors the glob to each workspace folder; anything else may match at any depth.
  if (rawGlob.startsWith('/')) return workspaceFolders.map((folder) => `${folder.replace(/\/+$/, '')}${rawGlob}`);
  return [rawGlob.startsWith('**') ? rawGlob : `**/${rawGlob}`];
}

/** Whether `path` matches `glob` as a whole; false for a glob too long or too large to match (see linearPattern.ts). */
export function globMatches(glob: string, path: string): boolean {
  try {
    return matchesWhole(compileGlob(glob), path);
  } catch (error) {
    if (error instanceof UnsupportedPattern) return false;
    throw error;
  }
}
