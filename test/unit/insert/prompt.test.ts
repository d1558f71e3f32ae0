// promptFromSelection: the words people mean when they select text, per language.
import * as assert from 'assert';
import { promptFromFileName, promptFromSelection } from '../../../src/insert/prompt';

const cases: Record<string, Array<[string, string]>> = {
  markdown: [
    ['## A **red** lighthouse _at_ dusk ##', 'A red lighthouse at dusk'],
    ['> - [x] A *lighthouse*\n> - with `fog`', 'A lighthouse with fog'],
    ['1. A [lighthouse](https://x.com "t") and ![a gull](gull.png)', 'A lighthouse and a gull'],
    ['```text\nA lighthouse\n```', 'A lighthouse'],
    ['A ~~grey~~ lighthouse, snake_case_name and \\*not emphasis\\*', 'A grey lighthouse, snake_case_name and *not emphasis*'],
    ['A <em>red</em> &amp; white lighthouse<br>at dusk', 'A red & white lighthouse at dusk'],
    ['Title\n=====\n\nA lighthouse [on a cliff][ref]\n\n[ref]: https://x.com', 'Title A lighthouse on a cliff'],
  ],
  mdx: [['A <Highlight>red</Highlight> lighthouse {/* a note */}', 'A red lighthouse a note']],
  html: [
    ['<p>A red lighthouse <b>at</b> dusk</p>', 'A red lighthouse at dusk'],
    ['<!-- A lighthouse --> <div class="x">on a <em>cliff</em></div>', 'A lighthouse on a cliff'],
    ['<p>Fish &amp; chips &lt;3 &#x1F41F; &copy;</p>', 'Fish & chips <3 🐟 ©'],
  ],
  vue: [['<template>\n  <p>A {{ adjective }} lighthouse</p>\n</template>', 'A {{ adjective }} lighthouse']],
  php: [['<?php echo $x; ?><p>A lighthouse</p><?= $y ?>', 'echo $x; A lighthouse $y']],
  typescriptreact: [
    ['<p className="x">A red <b>lighthouse</b></p>', 'A red lighthouse'],
    ['{/* A lighthouse at dusk */}', 'A lighthouse at dusk'],
    ['/**\n * A lighthouse\n * on a cliff.\n */', 'A lighthouse on a cliff.'],
    ['"A lighthouse on a cliff",', 'A lighthouse on a cliff'],
  ],
  javascript: [['// A lighthouse\n// at dusk', 'A lighthouse at dusk'], ['/* A lighthouse */', 'A lighthouse']],
  typescript: [['/// A lighthouse   at\n///   dusk', 'A lighthouse at dusk']],
  python: [['# A lighthouse\n## at dusk', 'A lighthouse at dusk'], ["'A lighthouse'", 'A lighthouse']],
  shellscript: [['# A lighthouse', 'A lighthouse']],
  sql: [['-- A lighthouse\n/* at dusk */', 'A lighthouse at dusk']],
  lua: [['-- A lighthouse', 'A lighthouse']],
  css: [['/* A lighthouse\n   at dusk */', 'A lighthouse at dusk']],
  scss: [['// A lighthouse', 'A lighthouse']],
  latex: [
    ['\\section{A lighthouse} at \\emph{dusk}\\\\ with 50\\% fog~and \\& gulls', 'A lighthouse at dusk with 50% fog and & gulls'],
    ['% A lighthouse at dusk', 'A lighthouse at dusk'],
  ],
  restructuredtext: [
    ['A **red** *lighthouse* with ``code`` and `a link <https://x.com>`_', 'A red lighthouse with code and a link'],
    ['Title\n=====\n\n- A lighthouse\n- at :emphasis:`dusk`', 'Title A lighthouse at dusk'],
    ['.. note:: A lighthouse', 'A lighthouse'],
  ],
  asciidoc: [
    ['== A *red* _lighthouse_', 'A red lighthouse'],
    ['* A `lighthouse`\n* at https://x.com[dusk] and link:a.html[night]', 'A lighthouse at dusk and night'],
    ['// A lighthouse\n[.role]#highlighted# text', 'A lighthouse highlighted text'],
  ],
  plaintext: [['# Not a comment -- in plain text //', '# Not a comment -- in plain text //'], ['  A\n\n lighthouse\t at dusk ', 'A lighthouse at dusk']],
};

describe('promptFromSelection', () => {
  for (const [languageId, pairs] of Object.entries(cases)) {
    it(languageId, () => {
      for (const [selection, prompt] of pairs) assert.strictEqual(promptFromSelection(selection, languageId), prompt, selection);
    });
  }

  it('an unknown code language loses the common comment leaders', () => {
    assert.strictEqual(promptFromSelection('// A lighthouse\n# at\n-- dusk', 'some-new-language'), 'A lighthouse at dusk');
  });

  it('a prompt from a file name, for images without alt text', () => {
    assert.strictEqual(promptFromFileName('images/basalt-lighthouse_at.dawn.jpg'), 'basalt lighthouse at dawn');
    assert.strictEqual(promptFromFileName('a.png'), 'a');
  });
});
