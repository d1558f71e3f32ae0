// The document copy of an entry's stored image (src/insert/documentCopy.ts) with this window's settings.
// The codecs are a separate bundle (dist/codecs.js and its wasm files), loaded on the first copy that
// needs them, so activation never pays for them.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Codecs } from '../../insert/docImage/codecs';
import { wasmBaseName } from '../../insert/docImage/wasmFiles';
import { AGENT_IMAGE, documentCopySettings, makeDocumentCopy, type DocumentImage } from '../../insert/documentCopy';
import type { GalleryEntry } from '../../shared/entry';
import { sniffImage } from '../../shared/imageInfo';
import type { Log } from '../../shared/log';
import type { OutputFormat } from '../../shared/options';
import { ULTRA_SIZES } from '../../shared/options';
import { readStoredImage } from './storedImage';

const EXTENSION_ID = 'flux-studio.flux-studio';

/** Loaded once per window, on first use. */
let codecsLoading: Promise<Codecs> | undefined;

function loadCodecs(): Promise<Codecs> {
  const loading = (codecsLoading ??= (async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    if (!extension) throw new Error('the extension folder was not found');
    const dist = path.join(extension.extensionPath, 'dist');
    // A plain require of a file outside this bundle (esbuild leaves a computed path alone).
    const bundle = require(path.join(dist, 'codecs.js')) as typeof import('../../insert/docImage/codecs');
    return bundle.loadCodecs((file) => path.join(dist, 'codecs', wasmBaseName(file)));
  })());
  loading.catch(() => (codecsLoading = undefined)); // the next copy tries again
  return loading;
}

/**
 * The copy of `entry`'s stored `image` for a document under `scope`, sized and encoded by the
 * fluxStudio.insert settings; `format` forces the format (a path the document already links). When the
 * codecs fail, the original is used as it is (logged): the user still gets the image they paid for.
 */
export async function documentCopyOf(entry: GalleryEntry, image: vscode.Uri, scope: vscode.Uri | undefined, log: Log, format?: OutputFormat): Promise<DocumentImage> {
  const config = vscode.workspace.getConfiguration('fluxStudio.insert', scope);
  const settings = documentCopySettings({ maxWidth: config.get('maxWidth'), format: config.get('format'), quality: config.get('quality') });
  const appVersion = String(vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.version ?? '');
  const started = Date.now();
  try {
    const copy = await makeDocumentCopy(image.fsPath, settings, { codecs: loadCodecs, appVersion }, format);
    log.info(`Gallery: document copy of ${entry.id}: ${copy.width}×${copy.height} ${copy.format}, ${copy.bytes.length} bytes in ${Date.now() - started} ms`);
    return copy;
  } catch (error) {
    log.warn(`Gallery: the document copy of ${entry.id} could not be made (${error instanceof Error ? error.message : String(error)}); the original is used`);
    const bytes = await readStoredImage(image);
    const info = sniffImage(bytes);
    const size = info?.width && info.height ? { width: info.width, height: info.height } : ULTRA_SIZES[entry.options.aspectRatio];
    return { bytes, format: info?.format ?? entry.options.outputFormat, ...size };
  }
}

/** The image format a file name's extension asks for, if it names one. */
export function formatOfFileName(name: string): OutputFormat | undefined {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (extension === 'png') return 'png';
  if (extension === 'jpg' || extension === 'jpeg') return 'jpg';
  if (extension === 'webp') return 'webp';
  return undefined;
}

/** A small WebP of the image at `file` as a data: URI (for hovers), or undefined when it cannot be made. */
export async function documentThumbnail(file: vscode.Uri, width: number, log: Log): Promise<string | undefined> {
  try {
    const thumbnail = await makeDocumentCopy(file.fsPath, { maxWidth: width, format: 'webp', quality: 70 }, { codecs: loadCodecs, appVersion: '' });
    return `data:image/webp;base64,${Buffer.from(thumbnail.bytes).toString('base64')}`;
  } catch (error) {
    log.warn(`hover: no thumbnail for ${path.basename(file.fsPath)} (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

/** The JPEG an agent sees of the image at `file` (see AGENT_IMAGE); the codecs' errors are the caller's to report. */
export async function agentPicture(file: string): Promise<Uint8Array> {
  return (await makeDocumentCopy(file, AGENT_IMAGE, { codecs: loadCodecs, appVersion: '' })).bytes;
}
