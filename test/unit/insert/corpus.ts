// Inputs of the parser table: hostile prompts, hostile paths, and per-language documents with the
// cursor (‸) at the start, middle and end of a line, on an indented line, in a list item, in a quote…

export const CURSOR = '‸';

export const HOSTILE_PROMPTS: readonly string[] = [
  'A red fox in the snow',
  'a {cat} on a mat',
  'curly { brace',
  '}{ closing first',
  '{{ mustache }} and {name} {set:x:y} {counter:c}',
  '`code` and ``more`` and a lone ` tick',
  'He said "hi" and \'bye\'',
  '<script>alert(1)</script> & <b>bold</b> &amp; &copy;',
  'back\\slash, trailing \\',
  '100% sure, 50%off',
  '# not a heading #hashtag',
  'ends with ]',
  'a ] b [ c ![x](y) [link](z)',
  'paren ) ( and )',
  '*stars* and **bold** * lone',
  '_under_ __score__ snake_case_name',
  'line one\nline two\r\nthree\ttab',
  'bidi \u202eevil\u202c and \u200f marks \u2066isolate\u2069',
  'emoji 🦊🌨️ fox 👨‍👩‍👧',
  '한국어 프롬프트: 눈 속의 붉은 여우',
  '| pipe | table |',
  '-- dash -> arrow (C) ... x=y, z',
  "a fox's den <-> <= => end--. (R) (TM) &#92; `'quoted'",
  ':alt: .. image:: x.png',
  '$x^2$ ~tilde~ ^sup^ #mark#',
  '<?php echo 1; ?> <% x %>',
  "'starts with a quote",
  '#id.role%option first attribute',
  '   leading and trailing spaces   ',
  `${'A very long prompt about a lighthouse on a basalt cliff at dawn, '.repeat(6)}end`,
  '',
];

export const DEFAULT_PATH = 'images/a-fox-42.png';

/** Folder and file names people do have (Windows forbids `"<>|?*:` in names, so those are left out). */
export const HOSTILE_PATHS: readonly string[] = [
  'my images/fox (1).png',
  '100% #1/a_b~c&d$e^f.png',
  '../이미지/여우 사진.png',
  "it's {x} [y]/a.png",
  'two  spaces/a.png',
];

export interface Template {
  name: string;
  /** The document, with CURSOR where the image goes. */
  document: string;
}

const lines = (...text: string[]) => `${text.join('\n')}\n`;

export const TEMPLATES: Record<string, readonly Template[]> = {
  markdown: [
    { name: 'start of a line', document: lines('# Title', '', '‸First paragraph with `inline code` and *emphasis*.', 'Its second line.', '', 'Second paragraph.') },
    { name: 'middle of a line', document: lines('# Title', '', 'First paragraph with `inline ‸code`.', 'A second line with `more code` and a ` tick.', '', 'Second.') },
    { name: 'end of a line', document: lines('Intro text.‸', '`code` on the next line, _emphasis_ too.', '', '| a | b |', '|---|---|', '| 1 | 2 |') },
    { name: 'indented line', document: lines('Intro.', '', '  An indented‸ paragraph line.', '  Its second line.', '', 'Next.') },
    { name: 'list item', document: lines('Intro.', '', '- first ‸item', '- second item', '  - nested item', '', '1. one', '2. two') },
    { name: 'nested list item', document: lines('- a', '  - nested ‸b', '  - nested c', '- d') },
    { name: 'blockquote', document: lines('> A quoted ‸line', '> and more.', '>', '> - quoted list', '', 'After.') },
    { name: 'blank line between paragraphs', document: lines('Para one.', '‸', 'Para two.') },
    { name: 'fenced code', document: lines('Text.', '', '```js', 'const a = 1; ‸', '', 'const b = 2;', '```', '', 'After.') },
    { name: 'table row', document: lines('| a | b |', '|---|---|', '| 1 ‸| 2 |', '', 'After.') },
    { name: 'setext heading', document: lines('Title‸', '=====', '', 'Text.') },
    { name: 'indented code', document: lines('Para.', '', '    code ‸line', '', 'After.') },
  ],
  /** HTML bodies; wrapHtml puts them in each language's file layout. */
  html: [
    { name: 'start of a line', document: lines('‸<p>First paragraph with <code>code</code>.</p>') },
    { name: 'middle of a line', document: lines('<p>First para‸graph.</p>') },
    { name: 'end of a line', document: lines('<p>First paragraph.</p>‸', '<p>Second.</p>') },
    { name: 'indented line', document: lines('<div>', '  <p>Indented ‸text.</p>', '</div>') },
    { name: 'list item', document: lines('<ul>', '  <li>first ‸item</li>', '  <li>second</li>', '</ul>') },
    { name: 'blockquote', document: lines('<blockquote><p>Quoted ‸text.</p></blockquote>') },
    { name: 'inside a tag', document: lines('<p class="le‸ad">Text.</p>') },
  ],
  jsx: [
    { name: 'start of a line', document: lines('export const Page = () => (', '  <article>', '‸    <p>First paragraph.</p>', '  </article>', ');') },
    { name: 'middle of a line', document: lines('export const Page = () => (', '  <article>', '    <p>First para‸graph.</p>', '  </article>', ');') },
    { name: 'end of a line', document: lines('export const Page = () => (', '  <article>', '    <p>First paragraph.</p>‸', '  </article>', ');') },
    { name: 'indented line', document: lines('export const Page = () => (', '  <article>', '      <p>Deeply ‸indented.</p>', '  </article>', ');') },
    { name: 'list item', document: lines('export const Page = () => (', '  <ul>', '    <li>first ‸item</li>', '    <li>second</li>', '  </ul>', ');') },
    { name: 'blockquote', document: lines('export const Page = () => (', '  <blockquote>Quoted ‸text.</blockquote>', ');') },
    { name: 'inside a tag', document: lines('export const Page = () => (', '  <p className="le‸ad">Text.</p>', ');') },
  ],
  css: [
    { name: 'start of a value', document: lines('.hero {', '  background: ‸no-repeat center;', '  color: red;', '}') },
    { name: 'middle of a value', document: lines('.hero {', '  background: no-repeat ‸center;', '}') },
    { name: 'end of a value', document: lines('.hero {', '  background: no-repeat‸;', '}') },
    { name: 'own line in a rule', document: lines('.hero {', '  color: red;', '  ‸', '}') },
    { name: 'indented (nested) rule', document: lines('.a {', '  .b {', '    color: red;‸', '  }', '}') },
  ],
  /** The indented Sass syntax: no braces, no semicolons. */
  sass: [
    { name: 'start of a value', document: lines('.hero', '  background: ‸no-repeat center', '  color: red') },
    { name: 'middle of a value', document: lines('.hero', '  background: no-repeat ‸center') },
    { name: 'end of a value', document: lines('.hero', '  background: no-repeat‸', '  color: red') },
    { name: 'own line in a rule', document: lines('.hero', '  color: red', '  ‸') },
    { name: 'indented (nested) rule', document: lines('.a', '  .b', '    color: red', '    ‸') },
  ],
  latex: [
    { name: 'start of a line', document: lines('\\section{Intro}', '‸Some text with \\emph{emphasis} and $x^2$.', 'More text.') },
    { name: 'middle of a line', document: lines('Some text with \\emph{empha‸sis} % a comment', 'More text.') },
    { name: 'end of a line', document: lines('First paragraph.‸', '', 'Second paragraph.') },
    { name: 'indented line', document: lines('\\begin{center}', '  Centered ‸text.', '\\end{center}') },
    { name: 'list item', document: lines('\\begin{itemize}', '  \\item first ‸item', '  \\item second', '\\end{itemize}') },
    { name: 'quote', document: lines('\\begin{quote}', 'Quoted ‸text.', '\\end{quote}') },
    { name: 'blank line between paragraphs', document: lines('Para one.', '‸', 'Para two.') },
  ],
  rst: [
    { name: 'start of a line', document: lines('Title', '=====', '', '‸First paragraph with *emphasis*.', 'Its second line.', '', 'Second.') },
    { name: 'middle of a line', document: lines('First paragraph with ``code ‸here``.', '', 'Second.') },
    { name: 'end of a line', document: lines('First paragraph.‸', 'Its second line.', '', 'Second.') },
    { name: 'indented line (block quote)', document: lines('Intro.', '', '   Quoted ‸paragraph.', '', '   Second quoted.', '', 'After.') },
    { name: 'list item', document: lines('Intro.', '', '- first ‸item', '- second item', '', '#. auto one', '#. auto two') },
    { name: 'nested list item', document: lines('- a', '', '  - nested ‸b', '  - nested c', '', '- d') },
    { name: 'before a literal block', document: lines('Example ‸here::', '', '    literal text', '', 'After.') },
    { name: 'inside a literal block', document: lines('Example::', '', '    literal ‸text', '', 'After.') },
    { name: 'inside a code directive', document: lines('.. code::', '', '   x = 1 ‸', '', 'After.') },
    { name: 'definition list', document: lines('term', '   Definition ‸text.', '', 'After.') },
    { name: 'blank line between paragraphs', document: lines('Para one.', '', '‸', '', 'Para two.') },
  ],
  asciidoc: [
    { name: 'start of a line', document: lines('= Title', '', '‸First paragraph with *bold*.', 'Its second line.', '', 'Second.') },
    { name: 'middle of a line', document: lines('First para‸graph.', 'Its second line.', '', 'Second.') },
    { name: 'end of a line', document: lines('First paragraph.‸', 'Its second line.', '', 'Second.') },
    { name: 'indented line (literal)', document: lines('Intro.', '', '  indented ‸literal', '', 'After.') },
    { name: 'list item', document: lines('Intro.', '', '* first ‸item', '* second item', '** nested') },
    { name: 'ordered list item', document: lines('. one', '. two ‸here', '. three') },
    { name: 'quote block', document: lines('[quote]', '____', 'Quoted ‸text.', '____', '', 'After.') },
    { name: 'listing block', document: lines('[source,js]', '----', 'const a = ‸1;', '', 'const b = 2;', '----', 'After.') },
    { name: 'blank line between paragraphs', document: lines('Para one.', '', '‸', '', 'Para two.') },
  ],
};

/** An HTML body in the file layout of HTML, PHP, Vue, Svelte or Astro. */
export function wrapHtml(languageId: string, body: string): string {
  switch (languageId) {
    case 'html':
      return `<!doctype html>\n<html><head><title>t</title></head><body>\n${body}</body></html>\n`;
    case 'php':
      return `<?php $title = 'x'; ?>\n<!doctype html>\n<html><body>\n${body}<p><?= $title ?></p>\n</body></html>\n`;
    case 'vue':
      return `<template>\n  <main>\n${body}  </main>\n</template>\n\n<script setup>\nconst name = 'x';\n</script>\n`;
    case 'svelte':
      return `<script>\n  let name = 'x';\n</script>\n\n<main>\n${body}</main>\n`;
    case 'astro':
      return `---\nconst name = 'x';\n---\n<main>\n${body}</main>\n`;
    default:
      throw new Error(`no HTML layout for ${languageId}`);
  }
}
