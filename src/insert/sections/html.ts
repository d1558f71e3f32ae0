// HTML sections as parse5 reads them (what browsers do): `<h1>`–`<h6>`, the first `<p>` after each, and
// every `<img>`, in document order. Text in `<script>`, comments and attributes is not a heading.
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import type { SectionScan } from './scan';

type Node = DefaultTreeAdapterMap['node'];

const HEADING = /^h([1-6])$/;

export function htmlSections(text: string): SectionScan {
  const scan: SectionScan = { headings: [], images: [] };
  const visit = (node: Node) => {
    if ('tagName' in node && node.sourceCodeLocation) {
      const { startOffset, endOffset } = node.sourceCodeLocation;
      const heading = HEADING.exec(node.tagName);
      const current = scan.headings[scan.headings.length - 1];
      if (heading) scan.headings.push({ level: Number(heading[1]), span: { start: startOffset, end: endOffset }, text: textOf(node) });
      else if (node.tagName === 'p' && current && !current.paragraph) current.paragraph = { start: startOffset, end: endOffset };
      else if (node.tagName === 'img') scan.images.push(startOffset);
      if (heading) return; // a heading's own children are its text
    }
    if ('content' in node && node.content) node.content.childNodes.forEach(visit); // <template>
    if ('childNodes' in node) node.childNodes.forEach(visit);
  };
  visit(parse(text, { sourceCodeLocationInfo: true, scriptingEnabled: false }));
  return scan;
}

function textOf(node: Node): string {
  if (node.nodeName === '#text' && 'value' in node) return node.value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}
