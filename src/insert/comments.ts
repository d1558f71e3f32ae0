// Comment syntax of code files, so that a selected comment becomes the words in it.
import { escapeRegExp } from './escape';

interface CommentSyntax {
  /** Line comment leaders, longest first where one starts another. */
  line: readonly string[];
  /** Whether `/* … *\/` (and JSDoc's ` * ` leaders) are comments. */
  block: boolean;
}

const C_LIKE: CommentSyntax = { line: ['//'], block: true };
const HASH: CommentSyntax = { line: ['#'], block: false };
const DASHES: CommentSyntax = { line: ['--'], block: false };
const SEMICOLON: CommentSyntax = { line: [';'], block: false };
const PERCENT: CommentSyntax = { line: ['%'], block: false };
/** For code languages not listed: the common leaders. */
const ANY_CODE: CommentSyntax = { line: ['//', '#', '--'], block: true };
const NONE: CommentSyntax = { line: [], block: false };

const BY_LANGUAGE: Record<string, CommentSyntax> = {
  plaintext: NONE,
  css: { line: [], block: true },
  sql: { line: ['--'], block: true },
  ini: { line: [';', '#'], block: false },
  vb: { line: ["'"], block: false },
  bat: { line: ['::', 'rem '], block: false },
  ...Object.fromEntries(
    ['c', 'cpp', 'csharp', 'java', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'go', 'rust',
      'swift', 'kotlin', 'dart', 'scala', 'groovy', 'objective-c', 'objective-cpp', 'php', 'jsonc', 'scss', 'less', 'zig']
      .map((id) => [id, C_LIKE]),
  ),
  ...Object.fromEntries(
    ['python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell',
      'coffeescript', 'julia', 'elixir', 'nim', 'properties', 'cmake', 'graphql', 'nix', 'tcl']
      .map((id) => [id, HASH]),
  ),
  ...Object.fromEntries(['lua', 'haskell', 'elm', 'ada', 'purescript'].map((id) => [id, DASHES])),
  ...Object.fromEntries(['clojure', 'lisp', 'scheme', 'racket'].map((id) => [id, SEMICOLON])),
  ...Object.fromEntries(['erlang', 'matlab', 'prolog', 'latex', 'tex', 'bibtex'].map((id) => [id, PERCENT])),
};

export function commentSyntax(languageId: string): CommentSyntax {
  return BY_LANGUAGE[languageId] ?? ANY_CODE;
}

/** `text` with the comment delimiters and leaders of `syntax` removed; the words in the comments stay. */
export function stripComments(text: string, syntax: CommentSyntax): string {
  let out = text;
  if (syntax.block) out = out.replace(/\/\*+!?|\*+\//g, ' ').replace(/^[ \t]*\*(?![*/])[ \t]?/gm, '');
  for (const leader of syntax.line) {
    // `//` also takes `///`, `#` also `##`; other leaders (`rem `) are matched as written.
    const pattern = [...leader].every((c) => c === leader[0]) ? `${escapeRegExp(leader[0])}{${leader.length},}` : escapeRegExp(leader);
    // Leaders at a line's start, or after code on the line.
    out = out.replace(new RegExp(`(^|[ \\t])${pattern}[ \\t]?`, 'gim'), '$1');
  }
  return out.replace(/<!--|-->/g, ' ');
}

/** The text inside quotes when the whole selection is one string literal (`"a red fox",`). */
export function unwrapStringLiteral(text: string): string {
  const literal = /^\s*(["'`])([\s\S]*)\1[\s,;]*$/.exec(text);
  return literal && !literal[2].includes(literal[1]) ? literal[2] : text;
}
