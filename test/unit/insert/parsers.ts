// The real parsers of the languages Flux Studio inserts into, run in this process, each turned into
// "images found + the rest of the tree" (see trees.ts). Parsers that ship only as ES modules are
// loaded with a real dynamic import, resolved from the working directory (the repository root).
import type { Asciidoctor } from '@asciidoctor/core';
import * as vm from 'vm';
import MarkdownIt from 'markdown-it';
import postcss from 'postcss';
import valueParser from 'postcss-value-parser';
import ts from 'typescript';
import { collapse, parsedTree, type Analyzer, type Parsed, type TreeShape } from './trees';

const importModule = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;
const each = (analyze: (document: string) => Parsed | Promise<Parsed>): Analyzer => (documents) => Promise.all(documents.map(analyze));
const problem = (error: unknown) => [error instanceof Error ? error.message : String(error)];

// ---------------------------------------------------------------------------------------------------
// HTML (parse5): also what Markdown and AsciiDoc render to.

interface HtmlNode {
  nodeName: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: HtmlNode[];
  content?: { childNodes: HtmlNode[] };
  value?: string;
  data?: string;
}

const attribute = (node: HtmlNode, name: string) => node.attrs?.find((a) => a.name === name)?.value;

const htmlShape: TreeShape<HtmlNode> = {
  children: (node) => (node.nodeName === 'template' ? node.content?.childNodes : node.childNodes),
  text: (node) => (node.nodeName === '#text' ? node.value : undefined),
  label: (node) =>
    node.nodeName === '#comment'
      ? `#comment:${collapse(node.data ?? '')}`
      : `${node.nodeName}[${(node.attrs ?? []).map((a) => `${a.name}=${collapse(a.value)}`).sort().join(' ')}]`,
  image: (node) => (node.nodeName === 'img' ? { src: attribute(node, 'src') ?? '', alt: attribute(node, 'alt') } : undefined),
};

async function parse5() {
  return importModule<typeof import('parse5')>('parse5');
}

export async function htmlAnalyzer(): Promise<(html: string, problems?: string[]) => Parsed> {
  const { parse } = await parse5();
  return (html, problems = []) => {
    const errors: string[] = [];
    const tree = parse(html, { onParseError: (e) => errors.push(e.code) }) as unknown as HtmlNode;
    // Markdown-it and Asciidoctor write fragments; a fragment has no doctype, which is no problem.
    return parsedTree(tree, htmlShape, [...problems, ...errors.filter((code) => code !== 'missing-doctype')]);
  };
}

// ---------------------------------------------------------------------------------------------------
// Markdown: markdown-it as CommonMark, and as VS Code's preview configures it (HTML, linkify, GFM).

export function markdownAnalyzer(preset: 'commonmark' | 'vscode'): Analyzer {
  const md = preset === 'commonmark' ? new MarkdownIt('commonmark') : new MarkdownIt({ html: true, linkify: true });
  return async (documents) => {
    const html = await htmlAnalyzer();
    return documents.map((document) => html(md.render(document)));
  };
}

// ---------------------------------------------------------------------------------------------------
// MDX (@mdx-js/mdx): the mdast it parses, expressions and JSX included.

interface UnistNode {
  type: string;
  value?: string;
  url?: string;
  alt?: string | null;
  name?: string | null;
  attributes?: Array<{ name?: string; value?: unknown }>;
  children?: UnistNode[];
  [key: string]: unknown;
}

const mdastShape: TreeShape<UnistNode> = {
  children: (node) => node.children,
  text: (node) => (node.type === 'text' ? node.value : undefined),
  label: (node) => [node.type, node.name, node.value === undefined ? undefined : collapse(String(node.value)), node.depth, node.ordered].filter((x) => x !== undefined && x !== null).join(':'),
  image: (node) => {
    if (node.type === 'image') return { src: node.url ?? '', alt: node.alt ?? undefined };
    // `<img>` or a component such as `<Image>`: literal attribute values, as MDX decoded them.
    if (node.type.startsWith('mdxJsx') && (node.name === 'img' || node.name === 'Image')) return { src: jsxText(node, 'src'), alt: jsxText(node, 'alt') };
    return undefined;
  },
};

function jsxText(node: UnistNode, name: string): string {
  const value = node.attributes?.find((a) => a.name === name)?.value;
  return typeof value === 'string' ? value : '(expression)';
}

export const mdxAnalyzer: Analyzer = async (documents) => {
  const { createProcessor } = await importModule<typeof import('@mdx-js/mdx')>('@mdx-js/mdx');
  const processor = createProcessor({ format: 'mdx' });
  return documents.map((document) => {
    try {
      return parsedTree(processor.parse(document) as unknown as UnistNode, mdastShape);
    } catch (error) {
      return { images: [], rest: '', problems: problem(error) };
    }
  });
};

// ---------------------------------------------------------------------------------------------------
// HTML (parse5), PHP (php-parser splits PHP from the HTML around it, which parse5 then reads, as
// the browser reads the page), Vue (@vue/compiler-sfc), Svelte (svelte/compiler), Astro (@astrojs/compiler).

export const htmlDocumentAnalyzer: Analyzer = async (documents) => {
  const html = await htmlAnalyzer();
  return documents.map((document) => html(document));
};

interface PhpNode {
  kind: string;
  raw?: string;
}

export const phpAnalyzer: Analyzer = async (documents) => {
  const PhpEngine = require('php-parser') as new (options: object) => { parseCode(code: string, file: string): { children: PhpNode[] } };
  const php = new PhpEngine({ parser: { suppressErrors: false }, ast: { withPositions: false } });
  const html = await htmlAnalyzer();
  return documents.map((document) => {
    try {
      // Each PHP statement stands in the page as a marker, so moving one would show.
      const page = php.parseCode(document, 'page.php').children.map((node) => (node.kind === 'inline' ? node.raw : `<!--php:${node.kind}-->`)).join('');
      return html(page);
    } catch (error) {
      return { images: [], rest: '', problems: problem(error) };
    }
  });
};

interface VueNode {
  type: number;
  tag?: string;
  content?: string | { content: string };
  props?: Array<{ type: number; name: string; value?: { content: string }; exp?: { content: string } }>;
  children?: VueNode[];
}

const vueShape: TreeShape<VueNode> = {
  children: (node) => node.children,
  text: (node) => (node.type === 2 ? (node.content as string) : undefined),
  label: (node) => {
    const props = (node.props ?? []).map((p) => `${p.name}=${p.value?.content ?? p.exp?.content ?? ''}`);
    const content = typeof node.content === 'object' ? node.content.content : node.content;
    return `${node.type}:${node.tag ?? collapse(content ?? '')}[${props.join(' ')}]`;
  },
  image: (node) => {
    if (node.type !== 1 || node.tag !== 'img') return undefined;
    const literal = (name: string) => node.props?.find((p) => p.type === 6 && p.name === name)?.value?.content;
    return { src: literal('src') ?? '(bound)', alt: literal('alt') };
  },
};

export const vueAnalyzer: Analyzer = each((document) => {
  const { parse } = require('@vue/compiler-sfc') as typeof import('@vue/compiler-sfc');
  const { descriptor, errors } = parse(document);
  const root = descriptor.template?.ast as unknown as VueNode | undefined;
  if (!root) return { images: [], rest: '', problems: ['no template', ...errors.map(String)] };
  return parsedTree(root, vueShape, errors.map((e) => e.message));
});

interface SvelteNode {
  type: string;
  name?: string;
  data?: string;
  attributes?: Array<{ type: string; name?: string; value?: true | SvelteNode | SvelteNode[] }>;
  fragment?: { nodes: SvelteNode[] };
  nodes?: SvelteNode[];
  expression?: { type: string; name?: string };
}

const svelteText = (value: true | SvelteNode | SvelteNode[] | undefined) =>
  Array.isArray(value) && value.every((part) => part.type === 'Text') ? value.map((part) => part.data).join('') : '(expression)';

const svelteShape: TreeShape<SvelteNode> = {
  children: (node) => node.fragment?.nodes ?? node.nodes,
  text: (node) => (node.type === 'Text' ? node.data : undefined),
  label: (node) => {
    const attributes = (node.attributes ?? []).map((a) => `${a.name}=${svelteText(a.value)}`);
    return `${node.type}:${node.name ?? node.expression?.name ?? ''}[${attributes.join(' ')}]`;
  },
  image: (node) => {
    if (node.type !== 'RegularElement' || node.name !== 'img') return undefined;
    const value = (name: string) => node.attributes?.find((a) => a.name === name)?.value;
    return { src: svelteText(value('src')), alt: value('alt') === undefined ? undefined : svelteText(value('alt')) };
  },
};

export const svelteAnalyzer: Analyzer = async (documents) => {
  const { parse } = await importModule<typeof import('svelte/compiler')>('svelte/compiler');
  return documents.map((document) => {
    try {
      return parsedTree(parse(document, { modern: true }) as unknown as SvelteNode, svelteShape);
    } catch (error) {
      return { images: [], rest: '', problems: problem(error) };
    }
  });
};

interface AstroNode {
  type: string;
  name?: string;
  value?: string;
  attributes?: Array<{ kind: string; name: string; value: string }>;
  children?: AstroNode[];
}

const astroShape: TreeShape<AstroNode> = {
  children: (node) => node.children,
  text: (node) => (node.type === 'text' ? node.value : undefined),
  label: (node) => `${node.type}:${node.name ?? collapse(node.value ?? '')}[${(node.attributes ?? []).map((a) => `${a.kind}:${a.name}=${a.value}`).join(' ')}]`,
  image: (node) => {
    if (node.type !== 'element' || node.name !== 'img') return undefined;
    // A quoted value is literal text; any other kind is an expression.
    const value = (name: string) => {
      const a = node.attributes?.find((x) => x.name === name);
      return a && (a.kind === 'quoted' ? a.value : `(${a.kind})`);
    };
    return { src: value('src') ?? '', alt: value('alt') };
  },
};

export const astroAnalyzer: Analyzer = async (documents) => {
  const { parse } = require('@astrojs/compiler') as typeof import('@astrojs/compiler');
  return Promise.all(
    documents.map(async (document) => {
      const { ast, diagnostics } = await parse(document);
      return parsedTree(ast as unknown as AstroNode, astroShape, diagnostics.map((d) => d.text));
    }),
  );
};

// ---------------------------------------------------------------------------------------------------
// JSX and TSX (TypeScript): compiled with TypeScript's own JSX transform and run, so the props are
// what React would receive (character references decoded as TypeScript decodes them).

interface Element {
  type: string;
  props: Record<string, unknown>;
  children: Array<Element | string>;
}

const elementShape: TreeShape<Element | string> = {
  children: (node) => (typeof node === 'string' ? undefined : node.children),
  text: (node) => (typeof node === 'string' ? node : undefined),
  label: (node) => (typeof node === 'string' ? '' : `${node.type}[${JSON.stringify(node.props)}]`),
  image: (node) => (typeof node !== 'string' && node.type === 'img' ? { src: String(node.props.src), alt: node.props.alt as string | undefined } : undefined),
};

export function jsxAnalyzer(fileName: 'page.jsx' | 'page.tsx'): Analyzer {
  return each((document) => {
    const { outputText, diagnostics = [] } = ts.transpileModule(document, {
      fileName,
      reportDiagnostics: true,
      compilerOptions: { jsx: ts.JsxEmit.React, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    });
    const problems = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    if (problems.length) return { images: [], rest: '', problems };
    const createElement = (type: string, props: Record<string, unknown> | null, ...children: Array<Element | string>) => ({ type, props: props ?? {}, children: children.flat() });
    const exports: { Page?: () => Element } = {};
    vm.runInNewContext(outputText, { exports, React: { createElement } });
    return parsedTree({ type: 'root', props: {}, children: [exports.Page!()] }, elementShape);
  });
}

// ---------------------------------------------------------------------------------------------------
// CSS (postcss), SCSS and the indented Sass syntax (compiled by sass, then read by postcss), Less
// (postcss-less). Each `url()` is an image; the rest is every rule and declaration without it.

function cssTree(css: string, syntax?: postcss.Syntax): Parsed {
  const images: Parsed['images'] = [];
  const rest: string[] = [];
  const root = syntax ? syntax.parse!(css) : postcss.parse(css);
  root.walk((node) => {
    if (node.type === 'decl') {
      const value = valueParser(node.value);
      const withoutUrls = (parts: valueParser.Node[]): valueParser.Node[] =>
        parts.flatMap((part): valueParser.Node[] => {
          if (part.type !== 'function') return [part];
          if (part.value.toLowerCase() !== 'url') return [{ ...part, nodes: withoutUrls(part.nodes) }];
          images.push({ src: part.nodes[0]?.value ?? '' });
          return [];
        });
      value.nodes = withoutUrls(value.nodes);
      const remaining = collapse(valueParser.stringify(value.nodes));
      if (remaining) rest.push(`${node.prop}:${remaining}`);
    } else if (node.type === 'rule') rest.push(`rule:${collapse(node.selector)}`);
    else if (node.type === 'atrule') rest.push(`@${node.name}:${collapse(node.params)}`);
  });
  return { images, rest: rest.join(';'), problems: [] };
}

export function cssAnalyzer(syntax: 'css' | 'scss' | 'sass' | 'less'): Analyzer {
  return each((document) => {
    try {
      if (syntax === 'css') return cssTree(document);
      if (syntax === 'less') return cssTree(document, require('postcss-less') as postcss.Syntax);
      const sass = require('sass') as typeof import('sass');
      const { css } = sass.compileString(document, { syntax: syntax === 'sass' ? 'indented' : 'scss', charset: false });
      return cssTree(css);
    } catch (error) {
      return { images: [], rest: '', problems: problem(error) };
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// AsciiDoc (@asciidoctor/core): converted to HTML; warnings from its logger are problems.

export const asciidocAnalyzer: Analyzer = async (documents) => {
  const asciidoctor = (require('@asciidoctor/core') as () => Asciidoctor)();
  const html = await htmlAnalyzer();
  return documents.map((document) => {
    const logger = asciidoctor.MemoryLogger.create();
    asciidoctor.LoggerManager.setLogger(logger);
    const converted = asciidoctor.convert(document, { safe: 'safe' }) as string;
    return html(converted, logger.getMessages().map((m) => `${m.getSeverity()}: ${m.getText()}`));
  });
};
