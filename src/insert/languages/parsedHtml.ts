// Image references in HTML (and the HTML of Vue, Svelte, Astro and PHP files, and of Markdown) as
// parse5 reads them — the WHATWG tokenizer browsers use: the content of `<script>`, `<style>`,
// `<textarea>`, `<title>`, `<xmp>` and CDATA is text, comments (`<!-->` included) are not markup,
// every character reference decodes, unquoted attributes end where a browser ends them.
//
// What we decided: `<template>` content counts — it is what a component renders (a Vue single-file
// component is one `<template>`), and a native template is stamped into the page. `<noscript>`
// content counts too (parsed as with scripting off): it is what shows without JavaScript, usually the
// same image as a lazy-loading `<img>`, and the file it names must exist.
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { isLocalReference, percentDecode } from '../escape';
import { dimension, type ImageReference } from './family';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Languages that evaluate `{…}` inside quoted attribute values (Astro and Vue read them literally). */
export const BRACE_LANGUAGES = new Set(['svelte']);

/** `<img src>`, `<img srcset>` and `<source srcset>` naming local files, in document order. */
export function htmlImages(text: string, languageId: string): ImageReference[] {
  const images: ImageReference[] = [];
  const visit = (node: Node) => {
    if ('tagName' in node && (node.tagName === 'img' || node.tagName === 'source') && node.namespaceURI === 'http://www.w3.org/1999/xhtml') {
      images.push(...elementImages(text, node, languageId));
    }
    if ('content' in node && node.content) node.content.childNodes.forEach(visit); // <template>
    if ('childNodes' in node) node.childNodes.forEach(visit);
  };
  visit(parse(text, { sourceCodeLocationInfo: true, scriptingEnabled: false }));
  return images.filter((image) => isLocalReference(image.written.text)).sort((a, b) => a.start - b.start);
}

function elementImages(text: string, element: Element, languageId: string): ImageReference[] {
  const location = element.sourceCodeLocation;
  if (!location) return []; // made up by the parser (an implied element), not written
  const start = location.startTag?.startOffset ?? location.startOffset;
  const end = location.startTag?.endOffset ?? location.endOffset;
  const value = (name: string) => element.attrs.find((a) => a.name === name)?.value;
  const raw = (name: string) => rawValue(text, location.attrs?.[name], languageId);
  const common = {
    start,
    end,
    alt: element.tagName === 'img' ? value('alt') : undefined,
    width: element.tagName === 'img' ? dimension(value('width')) : undefined,
    height: element.tagName === 'img' ? dimension(value('height')) : undefined,
  };
  const images: ImageReference[] = [];
  const src = element.tagName === 'img' ? raw('src') : undefined;
  if (src) images.push({ ...common, written: src, path: percentDecode(value('src')!) });
  const srcset = raw('srcset');
  if (srcset) {
    for (const candidate of srcsetUrls(srcset.text)) {
      const written = { text: candidate.url, start: srcset.start + candidate.start, end: srcset.start + candidate.start + candidate.url.length };
      images.push({ ...common, written, path: percentDecode(decodeAttribute(candidate.url)) });
    }
  }
  return images;
}

/** An attribute's value as written, when it is literal text (not a `{…}` expression). */
function rawValue(text: string, span: { startOffset: number; endOffset: number } | undefined, languageId: string) {
  if (!span) return undefined;
  const attribute = text.slice(span.startOffset, span.endOffset);
  const equals = attribute.indexOf('=');
  if (equals === -1) return undefined;
  let start = equals + 1;
  while (/\s/.test(attribute[start] ?? '')) start++;
  let end = attribute.length;
  const quote = attribute[start];
  if (quote === '"' || quote === "'") {
    start++;
    end--;
  } else if (quote === '{') return undefined; // JSX, Svelte or Astro expression
  const written = attribute.slice(start, end);
  if (BRACE_LANGUAGES.has(languageId) && written.includes('{')) return undefined;
  return { text: written, start: span.startOffset + start, end: span.startOffset + end };
}

/** The URLs of a `srcset` and their offsets in it (HTML's "parse a srcset attribute", descriptors skipped). */
export function srcsetUrls(srcset: string): Array<{ url: string; start: number }> {
  const urls: Array<{ url: string; start: number }> = [];
  let i = 0;
  while (i < srcset.length) {
    while (i < srcset.length && /[\s,]/.test(srcset[i])) i++;
    if (i >= srcset.length) break;
    const start = i;
    while (i < srcset.length && !/\s/.test(srcset[i])) i++;
    let url = srcset.slice(start, i);
    const trailing = /,+$/.exec(url);
    if (trailing) url = url.slice(0, -trailing[0].length);
    else {
      // Descriptors run to the next comma outside parentheses.
      let depth = 0;
      while (i < srcset.length && (depth > 0 || srcset[i] !== ',')) {
        depth += srcset[i] === '(' ? 1 : srcset[i] === ')' ? -1 : 0;
        i++;
      }
    }
    if (url) urls.push({ url, start });
  }
  return urls;
}

/** Character references in an attribute value decoded as the parser decodes them. */
function decodeAttribute(value: string): string {
  if (!value.includes('&')) return value;
  const document = parse(`<img alt="${value.replace(/"/g, '&quot;')}">`);
  const body = (document.childNodes[0] as Element).childNodes[1] as Element;
  return (body.childNodes[0] as Element).attrs[0].value;
}
