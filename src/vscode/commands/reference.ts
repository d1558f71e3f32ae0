// "Generate with Reference Image…": a URL, a gallery image, or a local file (uploaded first; uploads
// expire after 1–2 h, so a file is uploaded again each time rather than reusing an old URL).
import * as path from 'path';
import * as vscode from 'vscode';
import { sniffImage } from '../../shared/imageInfo';
import type { GalleryStore } from '../../gallery/store';
import type { GalleryEntry } from '../../shared/entry';
import { IMAGE_FILE_EXTENSIONS } from '../../shared/media';
import { GENERATION_DEFAULTS, MIME_TYPES } from '../../shared/options';
import { checkOption, OPTION_LIMITS } from '../../shared/optionsSchema';
import { checkHttpUrl } from '../../shared/urls';
import type { ApiAccess } from '../apiAccess';
import { describeError } from '../errorMessages';
import { describeOptionRule } from '../optionRules';
import type { GenerationService } from '../generation';
import type { KeyService } from '../keys';
import { askText, pick, showError, showInfo, withNotificationProgress } from '../ui/show';
import { icon, join, l10n, plain, shortPlain } from '../ui/text';
import { askPromptAndOptions } from './generate';
import { documentSource } from './prompts';

/** Apiframe's upload limit for images. */
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export interface ReferenceDeps {
  generation: GenerationService;
  keys: KeyService;
  api: ApiAccess;
  store: GalleryStore;
}

type ReferenceSource = { kind: 'url'; url: string } | { kind: 'file'; uri: vscode.Uri };

export async function generateWithReference(deps: ReferenceDeps, target?: vscode.Uri | GalleryEntry): Promise<void> {
  let reference: ReferenceSource | undefined;
  if (target instanceof vscode.Uri) reference = { kind: 'file', uri: target };
  else if (target?.imageFile) reference = { kind: 'file', uri: vscode.Uri.file(deps.store.imagePath(target.imageFile)) };
  else reference = await askReference(deps.store);
  if (!reference) return;
  const options = await askPromptAndOptions(target && !(target instanceof vscode.Uri) ? target.options.prompt : undefined);
  if (!options) return;
  const strength = await askStrength(options.imagePromptStrength ?? GENERATION_DEFAULTS.imagePromptStrength);
  if (strength === undefined) return;
  if (!(await deps.keys.ensureKey())) return;
  const imagePrompt = reference.kind === 'url' ? reference.url : await uploadReference(deps.api, reference.uri);
  if (!imagePrompt) return;
  await deps.generation.generate({ ...options, imagePrompt, imagePromptStrength: strength }, documentSource(vscode.window.activeTextEditor));
}

async function askReference(store: GalleryStore): Promise<ReferenceSource | undefined> {
  const choices = [
    { label: join([icon('link'), l10n.t('Image URL…')]), detail: l10n.t('An https link to a JPEG, PNG or WebP image'), choice: 'url' as const },
    { label: join([icon('file-media'), l10n.t('From the gallery…')]), detail: l10n.t('An image you generated before'), choice: 'gallery' as const },
    { label: join([icon('folder-opened'), l10n.t('Local file…')]), detail: l10n.t('Uploaded to Apiframe for this generation'), choice: 'file' as const },
  ];
  const picked = await pick(choices, { title: l10n.t('Flux: reference image') });
  if (!picked) return undefined;
  if (picked.choice === 'url') {
    const url = await askText({
      title: l10n.t('Flux: reference image URL'),
      placeHolder: plain('https://example.com/reference.jpg'),
      validate: (value) => (checkHttpUrl(value).ok ? undefined : l10n.t('Enter an http(s) URL without a user name or password.')),
    });
    const check = checkHttpUrl(url);
    return check.ok ? { kind: 'url', url: check.url } : undefined;
  }
  if (picked.choice === 'gallery') {
    const items = store
      .list()
      .filter((entry) => entry.state === 'completed' && entry.imageFile)
      .map((entry) => ({ label: shortPlain(entry.options.prompt, 80), description: plain(entry.options.aspectRatio), entry }));
    if (items.length === 0) {
      void showInfo(l10n.t('The gallery has no finished images yet.'));
      return undefined;
    }
    const entry = (await pick(items, { title: l10n.t('Flux: pick a gallery image') }))?.entry;
    return entry?.imageFile ? { kind: 'file', uri: vscode.Uri.file(store.imagePath(entry.imageFile)) } : undefined;
  }
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [l10n.t('Images')]: [...IMAGE_FILE_EXTENSIONS] },
    title: l10n.t('Flux: pick a reference image'),
  });
  return files?.[0] ? { kind: 'file', uri: files[0] } : undefined;
}

async function askStrength(initial: number): Promise<number | undefined> {
  const value = await askText({
    title: l10n.t('Flux: reference strength'),
    prompt: l10n.t('How closely to follow the reference image, from {0} to {1}.', OPTION_LIMITS.strengthMin, OPTION_LIMITS.strengthMax),
    value: String(initial),
    validate: (text) => (text.trim() !== '' && checkOption('imagePromptStrength', Number(text)).ok ? undefined : describeOptionRule('imagePromptStrength')),
  });
  return value === undefined ? undefined : Number(value);
}

/** Uploads a local image for one generation; its Apiframe URL, or undefined with the reason shown. */
export async function uploadReference(api: ApiAccess, uri: vscode.Uri): Promise<string | undefined> {
  const name = path.posix.basename(uri.path);
  let data: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_UPLOAD_BYTES) {
      void showError(l10n.t('{0} is larger than 25 MB, the upload limit.', name));
      return undefined;
    }
    data = await vscode.workspace.fs.readFile(uri);
  } catch {
    void showError(l10n.t('Could not read {0}.', name));
    return undefined;
  }
  const info = sniffImage(data.subarray(0, 64 * 1024));
  if (!info) {
    void showError(l10n.t('{0} is not a JPEG, PNG or WebP image.', name));
    return undefined;
  }
  return withNotificationProgress(l10n.t('Flux: uploading the reference image'), false, async () => {
    try {
      return (await api.client().upload(data, name, MIME_TYPES[info.format])).url;
    } catch (error) {
      void showError(describeError(error));
      return undefined;
    }
  });
}
