// The copy of a gallery image that goes into a document: at most fluxStudio.insert.maxWidth pixels wide,
// in the format fluxStudio.insert.format asks for, with the generation record the original carries. The
// gallery keeps the full-size original (Save As… gives it). Every insert path — Insert into workspace,
// drag, paste, after-generate, the missing-image quick fix and the language model tool — writes this copy.
// Free of `vscode`; the codecs are loaded by the caller, on first use (they are a separate bundle).
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { embedMetadata, readMetadata } from '../metadata';
import { sniffImage } from '../shared/imageInfo';
import type { OutputFormat } from '../shared/options';
import type { Codecs } from './docImage/codecs';

/**
 * 1600 px: twice a typical 800 px content column (GitHub's README column is ~830 px, MkDocs and
 * Docusaurus ~700–900 px), so the image stays sharp on HiDPI screens at full column width.
 */
export const DEFAULT_MAX_WIDTH = 1600;
/** No document needs more; a larger setting is read as this. */
export const MAX_WIDTH_LIMIT = 16384;
export const DOCUMENT_FORMATS = ['original', 'jpeg', 'webp'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
/** Quality 82 for JPEG and WebP: the point where photos show no visible artefacts at a third of q95's size. */
export const DEFAULT_QUALITY = 82;

export interface DocumentCopySettings {
  /** 0 keeps the original width. */
  maxWidth: number;
  /** Also fits the height (the agent's picture, limited on its long side); documents limit the width alone. */
  maxHeight?: number;
  format: DocumentFormat;
  /** 1–100, for JPEG and WebP. */
  quality: number;
}

export const DEFAULT_DOCUMENT_COPY: DocumentCopySettings = { maxWidth: DEFAULT_MAX_WIDTH, format: 'original', quality: DEFAULT_QUALITY };

/**
 * The picture a language model agent gets back from the image tool: a JPEG at most 1024 px on its long side
 * (vision models scale larger images down anyway, and a 4-megapixel original would cost the agent's context
 * far more than it shows it), from an original of any format.
 */
export const AGENT_IMAGE_MAX_SIDE = 1024;
export const AGENT_IMAGE: DocumentCopySettings = { maxWidth: AGENT_IMAGE_MAX_SIDE, maxHeight: AGENT_IMAGE_MAX_SIDE, format: 'jpeg', quality: 80 };

/** The settings as read from a (possibly hand-edited) settings file: anything unusable falls back to its default. */
export function documentCopySettings(raw: { maxWidth?: unknown; format?: unknown; quality?: unknown }): DocumentCopySettings {
  const maxWidth = typeof raw.maxWidth === 'number' && Number.isFinite(raw.maxWidth) && raw.maxWidth >= 0 ? Math.min(Math.floor(raw.maxWidth), MAX_WIDTH_LIMIT) : DEFAULT_MAX_WIDTH;
  const format = DOCUMENT_FORMATS.find((f) => f === raw.format) ?? 'original';
  const quality = typeof raw.quality === 'number' && Number.isFinite(raw.quality) ? Math.min(100, Math.max(1, Math.round(raw.quality))) : DEFAULT_QUALITY;
  return { maxWidth, format, quality };
}

export interface DocumentImage {
  bytes: Uint8Array;
  format: OutputFormat;
  width: number;
  height: number;
}

/** What the copy of an image of this format and size will be (without decoding it). */
export function documentCopyPlan(source: { format: OutputFormat; width: number; height: number }, settings: DocumentCopySettings): { format: OutputFormat; width: number; height: number } {
  const format = settings.format === 'jpeg' ? 'jpg' : settings.format === 'webp' ? 'webp' : source.format;
  const scale = Math.min(1, settings.maxWidth ? settings.maxWidth / source.width : 1, settings.maxHeight ? settings.maxHeight / source.height : 1);
  if (scale === 1) return { format, width: source.width, height: source.height };
  return { format, width: Math.max(1, Math.round(source.width * scale)), height: Math.max(1, Math.round(source.height * scale)) };
}

export interface DocumentCopyDeps {
  codecs(): Promise<Codecs>;
  /** Written after "Flux Studio" in the Software tag of the copy's record. */
  appVersion: string;
}

/**
 * The document copy of the image file `sourcePath`; `format` forces the output format (a quick fix writes
 * to a path whose extension is already in the document). The original's bytes come back unchanged when
 * nothing needs to change. The copy carries the original's generation record, if it has one.
 */
export async function makeDocumentCopy(sourcePath: string, settings: DocumentCopySettings, deps: DocumentCopyDeps, format?: OutputFormat): Promise<DocumentImage> {
  const original = new Uint8Array(await fs.readFile(sourcePath));
  const info = sniffImage(original);
  if (!info?.width || !info.height) throw new Error('The stored image is not a PNG, JPEG or WebP image.');
  const plan = documentCopyPlan({ format: info.format, width: info.width, height: info.height }, settings);
  if (format) plan.format = format;
  if (plan.format === info.format && plan.width === info.width) return { bytes: original, ...plan };

  const codecs = await deps.codecs();
  let pixels = await codecs.decode(original, info.format);
  if (plan.width !== pixels.width) pixels = await codecs.resize(pixels, plan.width, plan.height);
  const encoded = await codecs.encode(pixels, plan.format, settings.quality);
  return { bytes: await withRecordOf(sourcePath, encoded, deps.appVersion), format: plan.format, width: pixels.width, height: pixels.height };
}

/** `encoded` with the generation record of the file at `sourcePath` (as it is when that file has none). */
async function withRecordOf(sourcePath: string, encoded: Uint8Array, appVersion: string): Promise<Uint8Array> {
  const record = await readMetadata(sourcePath).catch(() => undefined);
  if (!record) return encoded;
  // The metadata writer streams files (it never holds a 64 MB image twice); the copy is small.
  const temporary = path.join(os.tmpdir(), `flux-studio-copy-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await fs.writeFile(temporary, encoded, { mode: 0o600 });
    await embedMetadata(temporary, temporary, record, appVersion);
    return new Uint8Array(await fs.readFile(temporary));
  } finally {
    await fs.rm(temporary, { force: true });
  }
}
