// What the parser table compares: the image elements a real parser found in a document, and "the
// rest" — the parsed tree without them, written out so two trees compare as strings. Text is
// compared with whitespace collapsed (line breaks and indentation around an inserted block change
// the whitespace, never the words), and an element left empty by removing the image (the paragraph
// or block that held it) goes with it.

export interface ParsedImage {
  src: string;
  alt?: string;
}

export interface Parsed {
  images: ParsedImage[];
  rest: string;
  /** Errors and warnings the parser reported. */
  problems: string[];
}

/** Parses a batch of documents (external parsers run once per batch, not once per document). */
export type Analyzer = (documents: readonly string[]) => Promise<Parsed[]>;

export interface TreeShape<N> {
  children(node: N): readonly N[] | undefined;
  /** The text of a text node; undefined for any other node. */
  text(node: N): string | undefined;
  /** Type or tag of an element, with the attributes that matter. */
  label(node: N): string;
  /** The image when the node is one, else undefined. */
  image(node: N): ParsedImage | undefined;
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function imagesIn<N>(node: N, shape: TreeShape<N>): ParsedImage[] {
  const image = shape.image(node);
  if (image) return [image];
  return (shape.children(node) ?? []).flatMap((child) => imagesIn(child, shape));
}

/** The tree without its images, adjacent text merged and collapsed. */
export function restOf<N>(node: N, shape: TreeShape<N>): string {
  const parts: string[] = [];
  let text = '';
  const flush = () => {
    if (collapse(text)) parts.push(JSON.stringify(collapse(text)));
    text = '';
  };
  for (const child of shape.children(node) ?? []) {
    if (shape.image(child) || holdsOnlyImages(child, shape)) continue;
    const childText = shape.text(child);
    if (childText !== undefined) {
      text += childText;
      continue;
    }
    flush();
    parts.push(`${shape.label(child)}(${restOf(child, shape)})`);
  }
  flush();
  return parts.join(',');
}

function holdsOnlyImages<N>(node: N, shape: TreeShape<N>): boolean {
  const children = shape.children(node);
  if (!children?.length || shape.text(node) !== undefined) return false;
  let images = 0;
  for (const child of children) {
    if (shape.image(child) || holdsOnlyImages(child, shape)) images++;
    else if (shape.text(child) === undefined || collapse(shape.text(child)!) !== '') return false;
  }
  return images > 0;
}

export function parsedTree<N>(root: N, shape: TreeShape<N>, problems: string[] = []): Parsed {
  return { images: imagesIn(root, shape), rest: restOf(root, shape), problems };
}
