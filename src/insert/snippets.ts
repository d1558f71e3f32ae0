// The text "Insert into workspace" puts into a document, by language — the public face of the rules
// in ./languages (one module per language family). Pure string rules, free of `vscode` and Node;
// paths are POSIX (URI paths), relative to the document's folder.
import { truncate } from '../shared/truncate';
import { familyFor } from './languages';

/**
 * Alt text is cut to this many characters: screen readers read alt text in one go and guidance
 * (WebAIM, W3C) asks for it to be short; the whole prompt stays in the gallery.
 */
export const ALT_MAX_LENGTH = 120;

export interface SnippetInput {
  languageId: string;
  /** Relative POSIX path from the document's folder to the image, e.g. `images/fox-42.png`. */
  path: string;
  /** The prompt; made single-line and shortened here. */
  alt: string;
  width?: number;
  height?: number;
}

export function snippetFor(input: SnippetInput): string {
  const { languageId, path, width, height } = input;
  return familyFor(languageId).snippet({ path, alt: altText(input.alt), width, height }, languageId);
}

/**
 * The prompt as alt text — "the prompt's text" that the parser tests compare alt text with: control
 * characters and bidi embeddings, overrides and isolates become spaces (they would break a syntax or
 * visually reorder the rest of the line; RTL text and the LRM/RLM marks stay), whitespace runs become
 * one space, the ends are trimmed, and anything longer than ALT_MAX_LENGTH code points is cut at a
 * word boundary (when one is in the second half) and ends with `…`.
 */
export function altText(prompt: string, max = ALT_MAX_LENGTH): string {
  const single = prompt
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(single, max, true);
}
