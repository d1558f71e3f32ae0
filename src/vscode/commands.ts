// The commands a user runs: they gather a prompt and options, then hand them to FluxStudio.
import * as path from 'path';
import * as vscode from 'vscode';
import { isHttpUrl } from '../api/validation';
import { sniffImage } from '../jobs/imageInfo';
import { GalleryEntry, PromptSource } from '../shared/entry';
import { ASPECT_RATIOS, AspectRatio, GenerationOptions, MIME_TYPES, PROMPT_MAX_LENGTH, ULTRA_SIZES } from '../shared/options';
import { describeError } from './errorMessages';
import { askForOptions, readGenerationDefaults } from './settings';
import { FluxStudio, shorten, stateLabel } from './studio';

const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** Settings with any hand-edited mistakes reported (once per command) and replaced by defaults. */
function defaults() {
  const reading = readGenerationDefaults();
  for (const problem of reading.problems) void vscode.window.showWarningMessage(problem);
  return reading.value;
}

/** The selected text (several selections joined) and where it came from. */
export function selectionPrompt(editor: vscode.TextEditor): { prompt: string; source: PromptSource } | undefined {
  const selections = editor.selections.filter((selection) => !selection.isEmpty);
  if (selections.length === 0) return undefined;
  const prompt = selections.map((selection) => editor.document.getText(selection).trim()).filter(Boolean).join('\n');
  if (!prompt) return undefined;
  const first = selections[0];
  return {
    prompt,
    source: {
      documentUri: editor.document.uri.toString(),
      languageId: editor.document.languageId,
      selection: selections.length === 1 ? { start: editor.document.offsetAt(first.start), end: editor.document.offsetAt(first.end) } : undefined,
    },
  };
}

function documentSource(editor: vscode.TextEditor | undefined): PromptSource | undefined {
  return editor ? { documentUri: editor.document.uri.toString(), languageId: editor.document.languageId } : undefined;
}

async function askPrompt(value: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Flux: describe the image'),
    prompt: vscode.l10n.t('What should Flux 1.1 Pro Ultra draw?'),
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const length = text.trim().length;
      if (length === 0) return vscode.l10n.t('The prompt is empty.');
      if (length > PROMPT_MAX_LENGTH) return vscode.l10n.t('{0} characters: Flux accepts at most {1}.', length, PROMPT_MAX_LENGTH);
      return undefined;
    },
  });
}

async function askAspectRatio(current: AspectRatio): Promise<AspectRatio | undefined> {
  const items = ASPECT_RATIOS.map((ratio) => ({
    label: ratio,
    description: `${ULTRA_SIZES[ratio].width} × ${ULTRA_SIZES[ratio].height}`,
    detail: ratio === current ? vscode.l10n.t('Default (fluxStudio.aspectRatio)') : undefined,
    ratio,
  }));
  const ordered = [...items.filter((i) => i.ratio === current), ...items.filter((i) => i.ratio !== current)];
  const picked = await vscode.window.showQuickPick(ordered, { title: vscode.l10n.t('Flux: aspect ratio'), ignoreFocusOut: true });
  return picked?.ratio;
}

export async function generateFromSelection(studio: FluxStudio): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && selectionPrompt(editor);
  if (selected) {
    await studio.generate({ ...defaults(), prompt: selected.prompt }, selected.source);
    return;
  }
  const currentLine = editor ? editor.document.lineAt(editor.selection.active.line).text.trim() : '';
  const prompt = await askPrompt(currentLine);
  if (prompt !== undefined) await studio.generate({ ...defaults(), prompt }, documentSource(editor));
}

/** Prompt (pre-filled from the selection), then the aspect ratio unless the user turned that off. */
async function askPromptAndOptions(initialPrompt?: string): Promise<GenerationOptions | undefined> {
  const editor = vscode.window.activeTextEditor;
  const prompt = await askPrompt(initialPrompt ?? (editor && selectionPrompt(editor)?.prompt) ?? '');
  if (prompt === undefined) return undefined;
  const options = { ...defaults(), prompt };
  if (askForOptions()) {
    const ratio = await askAspectRatio(options.aspectRatio);
    if (!ratio) return undefined;
    options.aspectRatio = ratio;
  }
  return options;
}

export async function generateWithOptions(studio: FluxStudio): Promise<void> {
  const options = await askPromptAndOptions();
  if (options) await studio.generate(options, documentSource(vscode.window.activeTextEditor));
}

type ReferenceChoice = 'url' | 'gallery' | 'file';

/**
 * Generate with a reference image: a URL, a gallery image, or a local file (uploaded first; uploads
 * expire after 1–2 h, so a file is uploaded again each time rather than reusing an old URL).
 */
export async function generateWithReference(studio: FluxStudio, target?: vscode.Uri | GalleryEntry): Promise<void> {
  let reference: ReferenceSource | undefined;
  if (target instanceof vscode.Uri) reference = { kind: 'file', uri: target };
  else if (target) reference = { kind: 'file', uri: vscode.Uri.file(studio.store.imagePath(target.imageFile!)) };
  else reference = await askReference(studio);
  if (!reference) return;
  const options = await askPromptAndOptions(target && !(target instanceof vscode.Uri) ? target.options.prompt : undefined);
  if (!options) return;
  const strength = await askStrength(options.imagePromptStrength ?? 0.5);
  if (strength === undefined) return;
  if (!(await studio.ensureKey())) return;
  const imagePrompt = reference.kind === 'url' ? reference.url : await uploadReference(studio, reference.uri);
  if (!imagePrompt) return;
  await studio.generate({ ...options, imagePrompt, imagePromptStrength: strength }, documentSource(vscode.window.activeTextEditor));
}

type ReferenceSource = { kind: 'url'; url: string } | { kind: 'file'; uri: vscode.Uri };

async function askReference(studio: FluxStudio): Promise<ReferenceSource | undefined> {
  const choices: Array<vscode.QuickPickItem & { choice: ReferenceChoice }> = [
    { label: `$(link) ${vscode.l10n.t('Image URL…')}`, detail: vscode.l10n.t('An https link to a JPEG, PNG or WebP image'), choice: 'url' },
    { label: `$(file-media) ${vscode.l10n.t('From the gallery…')}`, detail: vscode.l10n.t('An image you generated before'), choice: 'gallery' },
    { label: `$(folder-opened) ${vscode.l10n.t('Local file…')}`, detail: vscode.l10n.t('Uploaded to Apiframe for this generation'), choice: 'file' },
  ];
  const picked = await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Flux: reference image'), ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.choice === 'url') {
    const url = await vscode.window.showInputBox({
      title: vscode.l10n.t('Flux: reference image URL'),
      placeHolder: 'https://example.com/reference.jpg',
      ignoreFocusOut: true,
      validateInput: (value) => (isHttpUrl(value.trim()) ? undefined : vscode.l10n.t('Enter an http(s) URL.')),
    });
    return url ? { kind: 'url', url: url.trim() } : undefined;
  }
  if (picked.choice === 'gallery') {
    const items = studio.store
      .list()
      .filter((entry) => entry.state === 'completed' && entry.imageFile)
      .map((entry) => ({ label: shorten(entry.options.prompt, 80), description: entry.options.aspectRatio, entry }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The gallery has no finished images yet.'));
      return undefined;
    }
    const entry = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Flux: pick a gallery image'), ignoreFocusOut: true }))?.entry;
    return entry ? { kind: 'file', uri: vscode.Uri.file(studio.store.imagePath(entry.imageFile!)) } : undefined;
  }
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp'] },
    title: vscode.l10n.t('Flux: pick a reference image'),
  });
  return files?.[0] ? { kind: 'file', uri: files[0] } : undefined;
}

async function askStrength(initial: number): Promise<number | undefined> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Flux: reference strength'),
    prompt: vscode.l10n.t('How closely to follow the reference image, from 0 to 1.'),
    value: String(initial),
    ignoreFocusOut: true,
    validateInput: (text) => {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? undefined : vscode.l10n.t('Enter a number from 0 to 1.');
    },
  });
  return value === undefined ? undefined : Number(value);
}

async function uploadReference(studio: FluxStudio, uri: vscode.Uri): Promise<string | undefined> {
  let data: Uint8Array;
  try {
    data = await vscode.workspace.fs.readFile(uri);
  } catch {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}.', path.basename(uri.path)));
    return undefined;
  }
  const info = sniffImage(data.subarray(0, 64 * 1024));
  if (!info) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a JPEG, PNG or WebP image.', path.basename(uri.path)));
    return undefined;
  }
  if (data.byteLength > MAX_UPLOAD_BYTES) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} is larger than 25 MB, the upload limit.', path.basename(uri.path)));
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Flux: uploading the reference image') },
    async () => {
      try {
        return (await studio.client().upload(data, path.basename(uri.path), MIME_TYPES[info.format])).url;
      } catch (error) {
        void vscode.window.showErrorMessage(describeError(error));
        return undefined;
      }
    },
  );
}

/** What is running, with "Stop waiting" / "Resume waiting" per job. */
export async function showJobs(studio: FluxStudio): Promise<void> {
  const unfinished = studio.store.list().filter((entry) => entry.state !== 'completed' && !(entry.state === 'failed' && entry.jobId));
  const openGallery = { label: `$(file-media) ${vscode.l10n.t('Open Gallery')}`, entry: undefined as GalleryEntry | undefined };
  const items = unfinished.map((entry) => ({
    label: shorten(entry.options.prompt, 70),
    description: studio.engine.isActive(entry.id) ? stateLabel(entry) : vscode.l10n.t('Not waiting'),
    entry,
  }));
  const picked = await vscode.window.showQuickPick([openGallery, ...items], {
    title: items.length ? vscode.l10n.t('Flux: jobs') : vscode.l10n.t('Flux: no jobs running'),
  });
  if (!picked) return;
  if (!picked.entry) return void vscode.commands.executeCommand('fluxStudio.openGallery');
  const entry = picked.entry;
  const stop = vscode.l10n.t('Stop waiting');
  const resume = vscode.l10n.t('Resume waiting');
  const action = await vscode.window.showQuickPick(studio.engine.isActive(entry.id) ? [stop] : [resume], { title: shorten(entry.options.prompt, 70) });
  if (action === stop) await studio.engine.stopWaiting(entry.id);
  if (action === resume) await studio.retry(entry.id);
}
