// The parser table: for every language, every document template (cursor at the start, middle and
// end of a line, on an indented line, in a list item, in a quote…) and every hostile prompt and path,
// the edit planInsertion makes — the same code the editor runs — is read back by that language's
// real parser. Each case must give exactly one image element, whose source is the relative path and
// whose alt text is altText(prompt) (where the language has alt text), while the rest of the document
// parses to the same tree as before.
import * as assert from 'assert';
import * as fs from 'fs';
import { parse as parseJsonc } from 'jsonc-parser';
import * as path from 'path';
import { percentDecode } from '../../../src/insert/escape';
import { planInsertion } from '../../../src/insert/insertion';
import { altText } from '../../../src/insert/snippets';
import { parseTemplate, TEMPLATE_KEYS, type TemplateKey, type TemplateSet } from '../../../src/insert/templates';
import { CURSOR, DEFAULT_PATH, HOSTILE_PATHS, HOSTILE_PROMPTS, TEMPLATES, wrapHtml, type Template } from './corpus';
import { latexAnalyzer, rstAnalyzer } from './externalParsers';
import {
  asciidocAnalyzer,
  astroAnalyzer,
  cssAnalyzer,
  htmlDocumentAnalyzer,
  jsxAnalyzer,
  markdownAnalyzer,
  mdxAnalyzer,
  phpAnalyzer,
  svelteAnalyzer,
  vueAnalyzer,
} from './parsers';
import { collapse, type Analyzer, type Parsed } from './trees';

interface Language {
  label: string;
  languageId: string;
  templates: readonly Template[];
  analyzer: Analyzer;
  /** CSS and LaTeX images have no alt text: one prompt is enough there. */
  alt: boolean;
  /** URL syntaxes are read back percent-decoded; reStructuredText and LaTeX name files as written. */
  url: boolean;
  wrap?: (body: string) => string;
}

const html = (languageId: string, label: string, analyzer: Analyzer): Language => ({
  label, languageId, templates: TEMPLATES.html, analyzer, alt: true, url: true, wrap: (body) => wrapHtml(languageId, body),
});

const LANGUAGES: Language[] = [
  { label: 'Markdown (markdown-it, CommonMark)', languageId: 'markdown', templates: TEMPLATES.markdown, analyzer: markdownAnalyzer('commonmark'), alt: true, url: true },
  { label: 'Markdown (markdown-it as VS Code previews it)', languageId: 'markdown', templates: TEMPLATES.markdown, analyzer: markdownAnalyzer('vscode'), alt: true, url: true },
  { label: 'MDX (@mdx-js/mdx)', languageId: 'mdx', templates: TEMPLATES.markdown, analyzer: mdxAnalyzer, alt: true, url: true },
  html('html', 'HTML (parse5)', htmlDocumentAnalyzer),
  html('php', 'PHP (php-parser, then parse5 for the HTML around the PHP)', phpAnalyzer),
  html('vue', 'Vue (@vue/compiler-sfc)', vueAnalyzer),
  html('svelte', 'Svelte (svelte/compiler)', svelteAnalyzer),
  html('astro', 'Astro (@astrojs/compiler)', astroAnalyzer),
  { label: 'JSX (TypeScript)', languageId: 'javascriptreact', templates: TEMPLATES.jsx, analyzer: jsxAnalyzer('page.jsx'), alt: true, url: true },
  { label: 'TSX (TypeScript)', languageId: 'typescriptreact', templates: TEMPLATES.jsx, analyzer: jsxAnalyzer('page.tsx'), alt: true, url: true },
  { label: 'CSS (postcss)', languageId: 'css', templates: TEMPLATES.css, analyzer: cssAnalyzer('css'), alt: false, url: true },
  { label: 'SCSS (sass)', languageId: 'scss', templates: TEMPLATES.css, analyzer: cssAnalyzer('scss'), alt: false, url: true },
  { label: 'Sass, indented (sass)', languageId: 'sass', templates: TEMPLATES.sass, analyzer: cssAnalyzer('sass'), alt: false, url: true },
  { label: 'Less (postcss-less)', languageId: 'less', templates: TEMPLATES.css, analyzer: cssAnalyzer('less'), alt: false, url: true },
  { label: 'LaTeX (pdflatex + graphicx)', languageId: 'latex', templates: TEMPLATES.latex, analyzer: latexAnalyzer([DEFAULT_PATH, ...HOSTILE_PATHS]), alt: false, url: false },
  { label: 'reStructuredText (docutils)', languageId: 'restructuredtext', templates: TEMPLATES.rst, analyzer: rstAnalyzer, alt: true, url: false },
  { label: 'AsciiDoc (Asciidoctor)', languageId: 'asciidoc', templates: TEMPLATES.asciidoc, analyzer: asciidocAnalyzer, alt: true, url: true },
];

interface Case {
  template: Template;
  /** A README example of fluxStudio.insert.templates, when the case runs one. */
  custom?: string;
  prompt: string;
  path: string;
  before: string;
  after: string;
}

function casesOf(language: Language, custom?: { key: TemplateKey; template: string }): Case[] {
  const prompts = language.alt ? HOSTILE_PROMPTS : HOSTILE_PROMPTS.slice(0, 1);
  const cases: Case[] = [];
  const parsedTemplate = custom && parseTemplate(custom.template, custom.key);
  if (parsedTemplate && !parsedTemplate.ok) throw new Error(`README template for ${custom!.key} refused: ${parsedTemplate.problem}`);
  const templates: TemplateSet | undefined = custom && parsedTemplate?.ok ? { [custom.key]: parsedTemplate.parts } : undefined;
  for (const template of language.templates) {
    const inputs = [...prompts.map((prompt) => ({ prompt, path: DEFAULT_PATH })), ...HOSTILE_PATHS.map((path) => ({ prompt: HOSTILE_PROMPTS[1], path }))];
    for (const { prompt, path } of inputs) {
      const source = language.wrap ? language.wrap(template.document) : template.document;
      const before = source.replace(CURSOR, '');
      const { edit } = planInsertion({
        text: before,
        languageId: language.languageId,
        cursor: source.indexOf(CURSOR),
        replaceSelection: false,
        image: { path, prompt, width: 2752, height: 1536 },
        templates,
      });
      const after = before.slice(0, edit.start) + edit.newText + before.slice(edit.end);
      cases.push({ template, custom: custom?.template, prompt, path, before, after });
    }
  }
  return cases;
}

function failure(language: Language, c: Case, parsed: Parsed, original: Parsed): string | undefined {
  const image = parsed.images[0];
  const problems = [
    parsed.problems.length ? `parser reported: ${parsed.problems.join(' | ')}` : '',
    parsed.images.length !== 1 ? `${parsed.images.length} image elements` : '',
    image && (language.url ? percentDecode(image.src) : image.src) !== c.path ? `source ${JSON.stringify(image.src)}` : '',
    image && language.alt && (image.alt ?? '') !== altText(c.prompt) ? `alt ${JSON.stringify(image.alt)}` : '',
    c.custom ? customProblem(c, parsed) : parsed.rest !== original.rest ? `the rest changed:\n    before ${original.rest}\n    after  ${parsed.rest}` : '',
  ].filter(Boolean);
  if (!problems.length) return undefined;
  return `prompt ${JSON.stringify(c.prompt)}, path ${JSON.stringify(c.path)}: ${problems.join('; ')}\n  document:\n${c.after.replace(/^/gm, '    | ')}`;
}

/**
 * A template adds markup of its own (a `<figure>`, a caption), so the rest of the document is not compared
 * as it is: an `${alt}` outside the image (a caption) must read back as the alt text.
 */
function customProblem(c: Case, parsed: Parsed): string {
  const alt = collapse(altText(c.prompt));
  const captioned = c.custom!.split('${alt}').length > 2;
  // The rest is JSON text for the HTML and Markdown trees, docutils' own print for reStructuredText.
  const found = parsed.rest.includes(alt) || parsed.rest.includes(JSON.stringify(alt).slice(1, -1));
  return captioned && alt && !found ? `caption ${JSON.stringify(alt)} not in ${parsed.rest}` : '';
}

/** The README's example of fluxStudio.insert.templates: what it shows must parse. */
function readmeTemplates(): Record<TemplateKey, string> {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const block = /```jsonc\n(\{\n  "fluxStudio\.insert\.templates"[\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README has a jsonc block of fluxStudio.insert.templates');
  return parseJsonc(block[1])['fluxStudio.insert.templates'];
}

const timings: string[] = [];
let caseCount = 0;

describe('parser table: snippets read back by each language’s own parser', function () {
  this.timeout(300_000);
  after(() => console.log(`      parser table: ${caseCount} cases — ${timings.join(', ')}`));

  for (const language of LANGUAGES) {
    describe(language.label, () => {
      const cases = casesOf(language);
      const originals = new Map<string, Parsed>();
      const results = new Map<Case, Parsed>();

      before(async () => {
        const started = Date.now();
        const befores = [...new Set(cases.map((c) => c.before))];
        const parsed = await language.analyzer([...befores, ...cases.map((c) => c.after)]);
        befores.forEach((document, i) => originals.set(document, parsed[i]));
        cases.forEach((c, i) => results.set(c, parsed[befores.length + i]));
        caseCount += cases.length;
        timings.push(`${language.label} ${Date.now() - started} ms`);
      });

      for (const template of language.templates) {
        const mine = cases.filter((c) => c.template === template);
        it(`${template.name} (${mine.length} cases)`, () => {
          const original = originals.get(mine[0].before)!;
          assert.deepStrictEqual([original.images, original.problems], [[], []], 'the template itself must parse cleanly, without images');
          const failures = mine.map((c) => failure(language, c, results.get(c)!, original)).filter((f) => f !== undefined);
          assert.ok(failures.length === 0, `${failures.length} of ${mine.length} cases failed:\n${failures.slice(0, 6).join('\n')}`);
        });
      }
    });
  }
});

describe('parser table: the README’s fluxStudio.insert.templates read back by each language’s own parser', function () {
  this.timeout(300_000);
  const examples = readmeTemplates();
  for (const language of LANGUAGES) {
    const key = TEMPLATE_KEYS.find((k) => k === language.languageId);
    if (!key) continue;
    it(`${language.label}: ${examples[key]}`, async () => {
      // One document of the language is enough here: the placement rules are the table's above.
      const cases = casesOf({ ...language, templates: language.templates.slice(0, 1) }, { key, template: examples[key] });
      const [original, ...parsed] = await language.analyzer([cases[0].before, ...cases.map((c) => c.after)]);
      const failures = cases.map((c, i) => failure(language, c, parsed[i], original)).filter((f) => f !== undefined);
      assert.ok(failures.length === 0, `${failures.length} of ${cases.length} cases failed:\n${failures.slice(0, 6).join('\n')}`);
    });
  }
});
