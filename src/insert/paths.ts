// POSIX path arithmetic on URI paths, without Node's `path` (the rules run in plain JavaScript).

export function segments(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/** Resolves `.` and `..` segments; undefined when `..` climbs above the root. */
export function normalizeSegments(parts: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const part of parts) {
    if (!part || part === '.') continue;
    if (part !== '..') out.push(part);
    else if (!out.pop()) return undefined;
  }
  return out;
}

export function dirname(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf('/'), 0)) || '/';
}

/** `.png` of `fox.png`; empty for `fox` and `.hidden`. */
export function extname(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot > name.lastIndexOf('/') + 1 ? name.slice(dot) : '';
}

/** Relative POSIX path from folder `fromDir` to file `to`; both absolute POSIX paths (URI paths). */
export function relativePosixPath(fromDir: string, to: string): string {
  return relativeParts(fromDir, to, 1);
}

/** Relative POSIX path from folder `fromDir` to folder `toDir` (empty when they are the same). */
export function relativeFolderPath(fromDir: string, toDir: string): string {
  return relativeParts(fromDir, toDir, 0);
}

/** `keep` trailing segments of `to` are never matched away: a file's own name always stays. */
function relativeParts(fromDir: string, to: string, keep: number): string {
  const from = segments(fromDir);
  const target = segments(to);
  let common = 0;
  while (common < from.length && common < target.length - keep && from[common] === target[common]) common++;
  return [...from.slice(common).map(() => '..'), ...target.slice(common)].join('/');
}
