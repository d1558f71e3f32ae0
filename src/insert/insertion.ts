// Where an image goes in a document, as one text edit: the rule the VS Code adapter applies as it is,
// and the parser tests exercise as it is.
import { familyFor } from './languages';
import { altText } from './snippets';
import { fillTemplate, templateKeyOf, type TemplateSet } from './templates';
import { Lines, type TextEdit } from './text';

export interface InsertionRequest {
  /** The whole document. */
  text: string;
  languageId: string;
  /** The cursor (the selection's active end), as an offset. */
  cursor: number;
  /** The selection that holds the prompt, if any. */
  selection?: { start: number; end: number };
  /** `fluxStudio.replaceSelection`: the image takes the selection's place instead of going at the cursor. */
  replaceSelection: boolean;
  image: {
    /** Relative POSIX path from the document's folder (see relativePosixPath). */
    path: string;
    /** The prompt; altText makes it the alt text. */
    prompt: string;
    /** The whole prompt, for a template's `${prompt}`; `prompt` when not given. */
    fullPrompt?: string;
    width?: number;
    height?: number;
  };
  /** fluxStudio.insert.templates, read: the document family's template replaces the built-in snippet. */
  templates?: TemplateSet;
}

export interface InsertionPlan {
  edit: TextEdit;
  /** The image syntax alone, as inserted (without the line breaks and indentation around it). */
  snippet: string;
  /** Offset in the edited document just after the image syntax: where the cursor goes. */
  snippetEnd: number;
}

export function planInsertion(request: InsertionRequest): InsertionPlan {
  const { text, languageId, selection, image } = request;
  const clamp = (offset: number) => Math.max(0, Math.min(Math.trunc(offset) || 0, text.length));
  const replacing = request.replaceSelection && !!selection && clamp(selection.start) < clamp(selection.end);
  const start = replacing ? clamp(selection!.start) : clamp(request.cursor);
  const end = replacing ? clamp(selection!.end) : start;
  const documentFamily = familyFor(languageId);
  const family = documentFamily.embeddedAt?.(text, start) ?? documentFamily;
  const values = { path: image.path, alt: altText(image.prompt), width: image.width, height: image.height };
  // Code embedded in the document (CSS in a <style> element) keeps its own syntax.
  const key = family === documentFamily ? templateKeyOf(family, languageId) : undefined;
  const template = key && request.templates?.[key];
  const custom = template ? fillTemplate(template, { ...values, prompt: image.fullPrompt ?? image.prompt }, key, languageId) : undefined;
  const snippet = custom ?? family.snippet(values, languageId);
  const edit = family.place(snippet, { lines: new Lines(text), start, end, replacing, languageId });
  const lastLine = snippet.slice(snippet.lastIndexOf('\n') + 1);
  return { edit, snippet, snippetEnd: edit.start + edit.newText.lastIndexOf(lastLine) + lastLine.length };
}
