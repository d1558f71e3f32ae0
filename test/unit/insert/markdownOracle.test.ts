// Markdown references held against a reference parser: commonmark.js (the CommonMark reference
// implementation) on every example of the CommonMark spec, and on every example mutated — each `[`
// turned into `![` (a link or bracket becomes an image), and an image, then an `<img>`, appended to
// each line in turn. The finder must report exactly the local images of the page commonmark.js
// renders, as parse5 reads that page.
import * as assert from 'assert';
import { HtmlRenderer, Parser } from 'commonmark';
import { findImageReferences } from '../../../src/insert/languages';
import { htmlImages } from '../../../src/insert/languages/parsedHtml';
import { percentDecode } from '../../../src/insert/escape';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const spec: { tests: Array<{ markdown: string; number: number; section: string }> } = require('commonmark-spec');

/**
 * The local images of the page commonmark.js renders, read by parse5: an image inside another
 * image's description is alt text there, and raw HTML is read the way a browser reads it.
 */
function oracleImages(markdown: string): string[] {
  return htmlImages(new HtmlRenderer().render(new Parser().parse(markdown)), 'html').map((image) => image.path);
}

/**
 * Where markdown-it — the parser VS Code's Markdown preview uses, whose answer is ours — departs from
 * commonmark.js. Each is what the user sees in VS Code's preview; none makes a reference appear that
 * the preview does not show.
 */
const MARKDOWN_IT_DEPARTURES: Record<string, string> = {
  // A definition's title line that turns out not to be a title: commonmark.js keeps it as paragraph
  // text, markdown-it ends the definition before it and reads the indented line as code.
  "example 193, line 3 + ![m](m.png)": 'definition title line read as indented code',
  'example 193, line 3 + <img src="m.png">': 'definition title line read as indented code',
  // `![foo](not a link)` with `[foo]` defined: commonmark.js falls back to the reference, markdown-it
  // renders a link after a literal `!` (no image).
  'example 568, [ at 0 → ![': 'no fallback from a failed inline image to a reference',
};

/** The finder's paths; every reference's offsets must point at what it says was written. */
function foundImages(markdown: string): string[] {
  return findImageReferences(markdown, 'markdown').map((ref) => {
    assert.strictEqual(markdown.slice(ref.written.start, ref.written.end), ref.written.text, `written offsets in ${JSON.stringify(markdown)}`);
    return ref.path;
  });
}

/**
 * commonmark.js percent-encodes a destination (then we decode it): a `%` that starts no valid escape
 * is encoded as `%25` and comes back as `%`, so both sides are compared after that same round trip.
 */
const comparable = (paths: string[]) => paths.map((p) => percentDecode(encodeURI(p).replace(/%25([0-9A-Fa-f]{2})/g, '%$1')));

function disagreements(examples: Array<{ name: string; markdown: string }>): string[] {
  const failures: string[] = [];
  const departed = new Set<string>();
  for (const { name, markdown } of examples) {
    const expected = comparable(oracleImages(markdown));
    const actual = comparable(foundImages(markdown));
    if (JSON.stringify(expected) === JSON.stringify(actual)) continue;
    if (MARKDOWN_IT_DEPARTURES[name]) departed.add(name);
    else failures.push(`${name}: ${JSON.stringify(markdown)} commonmark.js ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`);
  }
  // A listed departure that no longer departs is a stale exception.
  for (const name of Object.keys(MARKDOWN_IT_DEPARTURES)) if (examples.some((e) => e.name === name) && !departed.has(name)) failures.push(`${name}: listed as a departure but agrees`);
  return failures;
}

function mutations(): Array<{ name: string; markdown: string }> {
  const out: Array<{ name: string; markdown: string }> = [];
  for (const test of spec.tests) {
    const { markdown, number } = test;
    for (let i = markdown.indexOf('['); i !== -1; i = markdown.indexOf('[', i + 1)) {
      if (markdown[i - 1] !== '!') out.push({ name: `example ${number}, [ at ${i} → ![`, markdown: `${markdown.slice(0, i)}!${markdown.slice(i)}` });
    }
    const lines = markdown.split('\n');
    lines.forEach((line, n) => {
      if (n === lines.length - 1 && line === '') return;
      for (const appended of [' ![m](m.png)', ' <img src="m.png">']) {
        const mutated = lines.map((l, k) => (k === n ? l + appended : l)).join('\n');
        out.push({ name: `example ${number}, line ${n + 1} + ${appended.trim()}`, markdown: mutated });
      }
    });
  }
  return out;
}

describe('Markdown references agree with commonmark.js', () => {
  it('on every CommonMark spec example', () => {
    const examples = spec.tests.map((t) => ({ name: `example ${t.number} (${t.section})`, markdown: t.markdown }));
    assert.strictEqual(examples.length, 652);
    const failures = disagreements(examples);
    console.log(`      spec examples: ${examples.length - failures.length}/${examples.length} agree`);
    assert.deepStrictEqual(failures, []);
  });

  it('on every spec example mutated (links made images; an image and an <img> appended to each line)', function () {
    this.timeout(120_000);
    const examples = mutations();
    const failures = disagreements(examples);
    const departures = Object.keys(MARKDOWN_IT_DEPARTURES).length;
    console.log(`      mutations: ${examples.length - failures.length - departures}/${examples.length} agree, ${departures} listed departures of markdown-it`);
    assert.deepStrictEqual(failures, []);
  });
});
