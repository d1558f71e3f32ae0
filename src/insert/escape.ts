// Escaping and unescaping shared by the language modules: HTML character references, percent
// encoding and backslash escapes. Each language module says which characters it needs escaped.
import { escapeHtmlAttribute } from '../shared/escapeHtml';

/** The named character references people actually type; numeric ones (`&#123;`, `&#x7B;`) all decode. */
const NAMED_REFERENCES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«',
  raquo: '»', middot: '·', bull: '•', deg: '°', times: '×', divide: '÷', euro: '€', pound: '£', yen: '¥',
  cent: '¢', sect: '§', para: '¶', lbrace: '{', rbrace: '}', lbrack: '[', rbrack: ']', num: '#', percnt: '%',
};

/** `&`, `"`, `<` and `>` as character references; `{` and `}` too where the language evaluates them. */
export function escapeAttribute(value: string, braces = false): string {
  const escaped = escapeHtmlAttribute(value);
  return braces ? escaped.replace(/\{/g, '&#123;').replace(/\}/g, '&#125;') : escaped;
}

export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g, (match, dec, hex, name) => {
    if (name) return NAMED_REFERENCES[name] ?? match;
    const code = dec !== undefined ? Number(dec) : parseInt(hex, 16);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** Percent-encodes (as UTF-8) every character of `path` that matches `chars`, a one-character RegExp. */
export function percentEncode(path: string, chars: RegExp): string {
  return Array.from(path, (c) => (chars.test(c) ? encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`) : c)).join('');
}

/** Decodes the valid `%XX` UTF-8 sequences of `text`; anything else stays as written. */
export function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * A URL path as HTML, CSS and AsciiDoc read it: percent-encodes only what would end or change the
 * reference (whitespace, `#`, `?`, `%`, `"`, `<>`, `\`, braces, brackets), so it stays readable.
 */
export function urlPath(path: string): string {
  return percentEncode(path, /[\s#?%"<>\\{}[\]]/);
}

/** Prefixes every character matched by `chars` (a one-character RegExp) with a backslash. */
export function backslashEscape(text: string, chars: RegExp): string {
  return Array.from(text, (c) => (chars.test(c) ? `\\${c}` : c)).join('');
}

/** Private Use Area base where `withEscapesHidden` parks escaped ASCII characters. */
const HIDDEN = 0xe000;

/**
 * Applies `transform` (which removes syntax) while the characters escaped in `text` are hidden from
 * it, then puts them back without their escapes. `escaped` matches an escape, the ASCII character in
 * its first group.
 */
export function withEscapesHidden(text: string, escaped: RegExp, transform: (text: string) => string): string {
  const hidden = text.replace(escaped, (_, c: string) => String.fromCharCode(HIDDEN + c.charCodeAt(0)));
  return transform(hidden).replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - HIDDEN));
}

/** Removes the backslash of `\x` where x is ASCII punctuation (CommonMark's rule, used elsewhere too). */
export function unescapeBackslashes(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** `text` as a RegExp source that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A reference to a file rather than a URL with a scheme (`https:`, `data:`…) or a fragment. */
export function isLocalReference(target: string): boolean {
  const trimmed = target.trim();
  if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('//')) return false;
  // One letter before the colon is a Windows drive, not a scheme.
  return !/^[A-Za-z][A-Za-z0-9+.-]+:/.test(trimmed);
}
