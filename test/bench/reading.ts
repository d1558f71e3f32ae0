// Reading references vs the reference parser alone, side by side on the same input (issue 27: at most
// 1.5×): 1 MB of Markdown with many fenced blocks against markdown-it, 1 MB of HTML against parse5.
// The readers are called directly: findImageReferences does not read documents past MAX_READ_LENGTH.
// Run: node out/test/bench/reading.js  (prints one JSON line per input).
import MarkdownIt from 'markdown-it';
import { parse } from 'parse5';
import { markdownImages } from '../../src/insert/languages/parsedMarkdown';
import { htmlImages } from '../../src/insert/languages/parsedHtml';

const SIZE = 1_000_000;
const ROUNDS = 7;

function fill(unit: (i: number) => string): string {
  let text = '';
  for (let i = 0; text.length < SIZE; i++) text += unit(i);
  return text;
}

const markdown = fill((i) => `## Section ${i}\n\nSome *text* with ![an image](images/pic-${i}.png) and a [link](https://example.com/${i}).\n\n\`\`\`js\nconst a = ${i}; // ![not](code.png)\n\`\`\`\n\n`);
const html = fill((i) => `<div class="c${i}"><p>Text &amp; more <img src="img/p${i}.png" alt="Pic ${i}" srcset="img/p${i}@2x.png 2x"></p><script>var s = '<img src="x${i}.png">';</script><!-- <img src="c.png"> --></div>\n`);
const markdownIt = new MarkdownIt('default', { html: true });

function sideBySide(name: string, parser: () => unknown, reader: () => unknown[]): void {
  const parserMs: number[] = [];
  const readerMs: number[] = [];
  let found = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let start = process.hrtime.bigint();
    parser();
    parserMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    start = process.hrtime.bigint();
    found = reader().length;
    readerMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const ratio = median(readerMs) / median(parserMs);
  console.log(JSON.stringify({ input: name, chars: SIZE, found, parserMs: +median(parserMs).toFixed(1), readerMs: +median(readerMs).toFixed(1), ratio: +ratio.toFixed(2), target: 1.5 }));
}

sideBySide('1 MB Markdown, fenced blocks', () => markdownIt.parse(markdown, {}), () => markdownImages(markdown, 'markdown'));
sideBySide('1 MB HTML', () => parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: false }), () => htmlImages(html, 'html'));
