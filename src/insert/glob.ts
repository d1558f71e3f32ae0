// Glob patterns as VS Code's Markdown extension matches `markdown.copyFiles.destination` keys
// (picomatch with `dot: true`): `**`, `*`, `?`, `[…]`, `[!…]` and `{a,b}` over POSIX paths.
import { escapeRegExp } from './escape';

/** The keys of `markdown.copyFiles.destination` as VS Code reads them (its copyFiles.ts `parseGlob`). */
export function anchoredGlobs(rawGlob: string, workspaceFolders: readonly string[]): string[] {
  // A leading `/` anchors the glob to each workspace folder; anything else may match at any depth.
  if (rawGlob.startsWith('/')) return workspaceFolders.map((folder) => `${folder.replace(/\/+$/, '')}${rawGlob}`);
  return [rawGlob.startsWith('**') ? rawGlob : `**/${rawGlob}`];
}

export function globMatches(glob: string, path: string): boolean {
  return globToRegExp(glob).test(path);
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const wholeSegment = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
      if (wholeSegment && glob[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[' && glob.indexOf(']', i + 2) !== -1) {
      const close = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
      source += `[${body}]`;
      i = close;
    } else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) source += '|';
    else source += escapeRegExp(c === '\\' && i + 1 < glob.length ? glob[++i] : c);
  }
  return new RegExp(`^${source}${')'.repeat(braces)}$`);
}
