// "Generate Missing Image with Flux": what to generate for an image reference whose file does not
// exist, and exactly where the result goes. Pure rules on URI paths (POSIX); the VS Code adapter
// (src/vscode/editor/missingImages.ts) checks the disk and real paths.
import { formatOfExtension } from '../shared/media';
import { ASPECT_RATIOS, PROMPT_MAX_LENGTH, ULTRA_SIZES, type AspectRatio, type OutputFormat } from '../shared/options';
import type { ImageReference } from './languages/family';
import { extname, normalizeSegments, segments } from './paths';
import { promptFromFileName } from './prompt';
import { collapseWhitespace } from './text';

const LATEX_LANGUAGES = new Set(['latex', 'tex']);
/** Characters that only code puts in a path: paying for such a file is paying for a doubt. */
const CODE_ONLY = /["'`+]|\$\{|\{\{/;
/**
 * The extensions graphicx tries, in pdfLaTeX's order, for a path written without one: any of these
 * files satisfies the link, so none of them may exist for the image to be missing.
 */
export const LATEX_GRAPHICS_EXTENSIONS = ['.pdf', '.png', '.jpg', '.mps', '.jpeg', '.jbig2', '.jb2', '.PDF', '.PNG', '.JPG', '.JPEG', '.JBIG2', '.JB2', '.eps'];

export interface MissingImageContext {
  languageId: string;
  /** URI path of the document's folder: references are relative to it. */
  documentDir: string;
  /** URI path of the document's workspace folder: nothing is written outside it. */
  workspaceFolder: string;
  /** fluxStudio.outputFormat, for a LaTeX path written without an extension. */
  defaultFormat: OutputFormat;
}

export interface MissingImagePlan {
  /** URI path of the file to write: exactly the file the reference names. */
  target: string;
  /** URI paths of every file that would satisfy the reference (the target first); missing only if none exists. */
  candidates: string[];
  prompt: string;
  format: OutputFormat;
  /** From the reference's width and height when it gives both; else the user's default. */
  aspectRatio?: AspectRatio;
}

export type MissingImageRefusal =
  /** `/…`, `C:…`, `~…`, backslashes or control characters: not a path inside the project. */
  | 'not-relative'
  /** `..` climbs out of the workspace folder. */
  | 'outside-workspace'
  /** A query or fragment (`x.png?v=2`, `x.png#center`): which file is meant is not certain. */
  | 'query-or-fragment'
  /** An extension Flux cannot write (`.gif`, `.svg`…), or none outside LaTeX. */
  | 'unsupported-format'
  /** Quotes, `+`, `${` or `{{`: text that code builds (`'icons/' + name + '.png'`), not a file name. */
  | 'code-like'
  | 'no-prompt';

export type MissingImageResult = ({ ok: true } & MissingImagePlan) | { ok: false; reason: MissingImageRefusal };

export function planMissingImage(reference: ImageReference, context: MissingImageContext): MissingImageResult {
  const written = reference.path;
  if (!written || /^[/~]|^[A-Za-z]:|[\\\u0000-\u001f\u007f]/.test(written)) return { ok: false, reason: 'not-relative' };
  if (!LATEX_LANGUAGES.has(context.languageId) && /[?#]/.test(reference.written.text)) return { ok: false, reason: 'query-or-fragment' };
  if (CODE_ONLY.test(reference.written.text) || CODE_ONLY.test(written)) return { ok: false, reason: 'code-like' };
  const resolved = normalizeSegments([...segments(context.documentDir), ...written.split('/')]);
  const workspace = segments(context.workspaceFolder);
  if (!resolved || resolved.length <= workspace.length || !workspace.every((s, i) => resolved[i] === s) || written.endsWith('/')) {
    return { ok: false, reason: 'outside-workspace' };
  }
  const file = `/${resolved.join('/')}`;
  const ext = extname(file);
  let format = ext ? formatOfExtension(ext) : undefined;
  let candidates = [file];
  if (!ext && LATEX_LANGUAGES.has(context.languageId)) {
    // graphicx reads JPEG and PNG, not WebP.
    format = context.defaultFormat === 'webp' ? 'jpg' : context.defaultFormat;
    candidates = [`${file}.${format}`, ...LATEX_GRAPHICS_EXTENSIONS.map((e) => file + e)];
  }
  if (!format) return { ok: false, reason: 'unsupported-format' };
  const prompt = collapseWhitespace(reference.alt || promptFromFileName(file)).slice(0, PROMPT_MAX_LENGTH).trim();
  if (!prompt) return { ok: false, reason: 'no-prompt' };
  const aspectRatio = reference.width && reference.height ? nearestAspectRatio(reference.width, reference.height) : undefined;
  return { ok: true, target: candidates[0], candidates: [...new Set(candidates)], prompt, format, aspectRatio };
}

/** The Ultra ratio closest to width:height (compared as logarithms, so 2:1 and 1:2 are equally far from 1:1). */
export function nearestAspectRatio(width: number, height: number): AspectRatio {
  const wanted = Math.log(width / height);
  const distance = (ratio: AspectRatio) => Math.abs(Math.log(ULTRA_SIZES[ratio].width / ULTRA_SIZES[ratio].height) - wanted);
  return ASPECT_RATIOS.reduce((best, ratio) => (distance(ratio) < distance(best) ? ratio : best));
}
