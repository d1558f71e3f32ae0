// LaTeX and TeX: `\includegraphics[width=\linewidth]{…}` (the image is ~2700 px wide; at its natural
// size it would overflow the page). A cursor on a line of text puts it on a new line after that line,
// so it never splits a word or lands in a `%` comment; on a blank line it is a paragraph of its own;
// a selection it replaces keeps its place (the image is an inline box).
import { commentSyntax, stripComments } from '../comments';
import { withEscapesHidden } from '../escape';
import { collapseWhitespace, isBlank, isolateBlock, leadingWhitespace, mask } from '../text';
import { dimension, type ImageReference, type LanguageFamily } from './family';

/**
 * Characters of a path that graphicx (LaTeX 2020 or newer) cannot take as written, and the expl3
 * string constants that spell them: `\csname` reaches them without changing catcodes, and they
 * expand to plain characters when graphicx expands the file name. `~ _ & $ ^` and single spaces
 * work as written.
 */
const PATH_SPECIALS: Record<string, string> = {
  '%': 'c_percent_str',
  '#': 'c_hash_str',
  '{': 'c_left_brace_str',
  '}': 'c_right_brace_str',
  '\\': 'c_backslash_str',
  // TeX reads a run of spaces as one, and skips spaces after a command: such spaces are spelled out.
  ' ': 'c_space_tl',
};
const SPECIAL = /[%#{}\\]|(?<=[ %#{}\\]) /g;
/** A spelled character; the space after `\endcsname` ends the command name and is not part of the path. */
const SPELLED = /\\csname (\w+)\\endcsname ?/g;
const COMMENTS = /(?<!\\)%.*$/gm;
/**
 * An optional argument holds no `[` (LaTeX ends it at the first `]` anyway): each attempt then stops
 * at the next `[`, so a run of unclosed `\includegraphics[` is read in linear time.
 */
const INCLUDE = /\\includegraphics\*?\s*((?:\[[^[\]]*\]\s*)*)\{((?:[^{}]|\{[^{}]*\})*)\}/g;

/** A file name as graphicx reads it inside `\includegraphics{…}`. */
export function latexPath(path: string): string {
  return path.replace(SPECIAL, (c) => `\\csname ${PATH_SPECIALS[c]}\\endcsname `);
}

export const latex: LanguageFamily = {
  name: 'latex',
  snippet(image) {
    return `\\includegraphics[width=\\linewidth]{${latexPath(image.path)}}`;
  },
  place(snippet, at) {
    if (at.replacing) return { start: at.start, end: at.end, newText: snippet };
    const { lines } = at;
    const line = lines.lineOf(at.start);
    const text = lines.line(line);
    if (isBlank(text)) return isolateBlock(lines, at.start, at.end, text + snippet, { blankLine: '' });
    const end = lines.end(line);
    return { start: end, end, newText: lines.eol + leadingWhitespace(text) + snippet };
  },
  findImages(text) {
    const images: ImageReference[] = [];
    for (const m of mask(text, COMMENTS).matchAll(INCLUDE)) {
      const start = m.index! + m[0].length - 1 - m[2].length;
      const written = text.slice(start, start + m[2].length);
      const path = unquote(written.trim()).replace(SPELLED, (spelled, name: string) => specialFor(name) ?? spelled);
      const option = (key: string) => new RegExp(`(?:^|[,\\[])\\s*${key}\\s*=\\s*(\\{[^}]*\\}|[^,\\]]*)`).exec(m[1])?.[1];
      const alt = option('alt')?.replace(/^\{|\}$/g, '').trim();
      images.push({
        start: m.index!,
        end: m.index! + m[0].length,
        written: { text: written, start, end: start + written.length },
        path,
        alt: alt ? collapseWhitespace(cleanLatex(alt)) : undefined,
        width: dimension(option('width')),
        height: dimension(option('height')),
      });
    }
    return images.filter((image) => image.path !== '');
  },
  cleanSelection(text) {
    return cleanLatex(text);
  },
};

function specialFor(name: string): string | undefined {
  return Object.entries(PATH_SPECIALS).find(([, spelled]) => spelled === name)?.[0];
}

/** graphicx accepts `"file name.png"` in quotes. */
function unquote(path: string): string {
  return /^".*"$/.test(path) ? path.slice(1, -1) : path;
}

/** The words of LaTeX source: comments' text kept, commands and braces gone, escapes undone. */
function cleanLatex(text: string): string {
  return withEscapesHidden(text, /\\([%#&$_{}])/g, (hidden) =>
    stripComments(hidden, commentSyntax('latex'))
      .replace(/\\\\(?:\[[^\]]*\])?|~/g, ' ')
      .replace(/\\[A-Za-z@]+\*?(?:\s*\[[^\]]*\])?\s*/g, ' ')
      .replace(/[{}$]/g, ''),
  );
}
