// Links to images that do not exist become one click: a quick fix "Generate Missing Image with Flux"
// on the link, and "Flux: Generate Missing Images in This File" for all of them after one confirmation.
// The document is never changed: the job's entry carries the target file (TargetFile), and
// TargetFileWriter writes the image there when the job completes, whichever window that happens in.
import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import { findImageReferences, IMAGE_LANGUAGES } from '../../insert/languages';
import type { ImageReference } from '../../insert/languages/family';
import { planMissingImage, type MissingImagePlan } from '../../insert/missing';
import type { Log } from '../../shared/log';
import { generationDefaults } from '../commands/prompts';
import type { GenerationService } from '../generation';
import { readGenerationDefaults } from '../settings';
import { creditsText } from '../prices';
import { askModal, showError, showInfo } from '../ui/show';
import { join, l10n, type SafeText } from '../ui/text';
import type { TargetFileWriter } from './targetFiles';
import { leadsOutside } from './workspaceFiles';

export interface MissingImageDeps {
  store: GalleryStore;
  generation: GenerationService;
  targets: TargetFileWriter;
  log: Log;
}

interface MissingImage {
  reference: ImageReference;
  plan: MissingImagePlan;
  target: vscode.Uri;
  folder: vscode.WorkspaceFolder;
}

export function registerMissingImages(deps: MissingImageDeps, ready: () => Promise<void>): vscode.Disposable {
  const selector = IMAGE_LANGUAGES.map((language) => ({ language }));
  const whenReady =
    <A extends unknown[]>(run: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      await ready();
      await run(...args);
    };
  return vscode.Disposable.from(
    trackMissingImageContext(deps.store),
    vscode.languages.registerCodeActionsProvider(selector, new MissingImageActions(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.commands.registerCommand('fluxStudio.generateMissingImage', whenReady((uri: unknown, offset: unknown) => generateOne(deps, uri, offset))),
    vscode.commands.registerCommand('fluxStudio.generateMissingImages', whenReady((uri: unknown) => generateAll(deps, uri))),
  );
}

/** The context key that offers "Generate Missing Images in This File" (menus and palette) only where it has work. */
const HAS_MISSING_KEY = 'fluxStudio.fileHasMissingImage';
/** Typing is let to settle this long before the active file is looked at again. */
const CONTEXT_DELAY_MS = 300;
/** A larger document is not scanned as the user types: the command stays offered and scans when run. */
const CONTEXT_SCAN_MAX_CHARS = 2_000_000;

/** Keeps HAS_MISSING_KEY true while the active editor's file links an image that does not exist. */
function trackMissingImageContext(store: GalleryStore): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const check = async (document: vscode.TextDocument | undefined): Promise<boolean> => {
    if (!document || !IMAGE_LANGUAGES.includes(document.languageId)) return false;
    const text = document.getText();
    if (text.length > CONTEXT_SCAN_MAX_CHARS) return true;
    return (await missingImages(document, findImageReferences(text, document.languageId))).missing.length > 0;
  };
  const update = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(async () => {
      const asked = ++latest;
      const has = await check(vscode.window.activeTextEditor?.document).catch(() => false);
      if (asked === latest) void vscode.commands.executeCommand('setContext', HAS_MISSING_KEY, has);
    }, CONTEXT_DELAY_MS);
  };
  update();
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((event) => event.document === vscode.window.activeTextEditor?.document && update()),
    vscode.workspace.onDidCreateFiles(update),
    vscode.workspace.onDidDeleteFiles(update),
    // A generated image landed at its link's path.
    store.onDidChange((change) => change.kind === 'upsert' && !!change.entry.targetFile && update()),
    { dispose: () => timer && clearTimeout(timer) },
  );
}

export class MissingImageActions implements vscode.CodeActionProvider {
  /** The references of the last document asked about: the light bulb asks again at every cursor move. */
  private last: { document: vscode.TextDocument; version: number; references: ImageReference[] } | undefined;

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): Promise<vscode.CodeAction[]> {
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    const here = this.references(document).filter((ref) => ref.start <= end && start <= ref.end);
    if (!here.length) return [];
    const { missing } = await missingImages(document, here);
    return missing.map(({ reference }) => {
      const action = new vscode.CodeAction(l10n.t('Generate Missing Image with Flux'), vscode.CodeActionKind.QuickFix);
      // The command finds the link again at its offset: nothing but the document says what to generate.
      action.command = { command: 'fluxStudio.generateMissingImage', title: action.title, arguments: [document.uri, reference.start] };
      return action;
    });
  }

  private references(document: vscode.TextDocument): ImageReference[] {
    if (this.last?.document !== document || this.last.version !== document.version) {
      this.last = { document, version: document.version, references: findImageReferences(document.getText(), document.languageId) };
    }
    return this.last.references;
  }
}

/**
 * The references of `document` whose images do not exist (no file under any name the link accepts),
 * and how many could not be generated because they do not name a file inside the workspace folder.
 */
async function missingImages(document: vscode.TextDocument, references: readonly ImageReference[]): Promise<{ missing: MissingImage[]; outside: number }> {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  if (!folder || document.isUntitled || folder.uri.scheme !== document.uri.scheme) return { missing: [], outside: 0 };
  const context = {
    languageId: document.languageId,
    documentDir: path.posix.dirname(document.uri.path),
    workspaceFolder: folder.uri.path,
    // Read quietly: this runs as the cursor moves; a bad setting is reported when a generation starts.
    defaultFormat: readGenerationDefaults().value.outputFormat,
  };
  const missing: MissingImage[] = [];
  let outside = 0;
  for (const reference of references) {
    const plan = planMissingImage(reference, context);
    if (!plan.ok) {
      if (plan.reason === 'not-relative' || plan.reason === 'outside-workspace') outside++;
      continue;
    }
    const exists = await Promise.all(plan.candidates.map((candidate) => anythingAt(folder.uri.with({ path: candidate }))));
    if (!exists.includes(true)) missing.push({ reference, plan, target: folder.uri.with({ path: plan.target }), folder });
  }
  return { missing, outside };
}

/** A file, folder or link (even a dangling one) is at `uri`. */
async function anythingAt(uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme === 'file') return nodeFs.lstat(uri.fsPath).then(() => true, () => false);
  return Promise.resolve(vscode.workspace.fs.stat(uri)).then(() => true, () => false);
}

async function openDocument(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (!(uri instanceof vscode.Uri)) return vscode.window.activeTextEditor?.document;
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? vscode.workspace.openTextDocument(uri).then(undefined, () => undefined);
}

async function generateOne(deps: MissingImageDeps, uri: unknown, offset: unknown): Promise<void> {
  const document = await openDocument(uri);
  if (!document || typeof offset !== 'number') return;
  const reference = findImageReferences(document.getText(), document.languageId).find((ref) => ref.start === offset);
  const [image] = reference ? (await missingImages(document, [reference])).missing : [];
  if (image) await startGeneration(deps, document, image, false);
}

async function generateAll(deps: MissingImageDeps, uri: unknown): Promise<void> {
  const document = await openDocument(uri);
  if (!document) return;
  const { missing, outside } = await missingImages(document, findImageReferences(document.getText(), document.languageId));
  // A file linked twice is generated once.
  const images = [...new Map(missing.map((image) => [image.target.toString(), image])).values()];
  const name = path.posix.basename(document.uri.path);
  const leftOut: SafeText[] = [];
  if (outside) leftOut.push(outside === 1 ? l10n.t('1 link leads outside the workspace folder and is left out.') : l10n.t('{0} links lead outside the workspace folder and are left out.', outside));
  if (!images.length) {
    void showInfo(join([l10n.t('{0} has no missing images that Flux can generate.', name), ...leftOut]));
    return;
  }
  const price = await deps.generation.refreshPrice();
  const generate = l10n.t('Generate');
  const question = images.length === 1 ? l10n.t('Generate 1 missing image in {0} with Flux?', name) : l10n.t('Generate {0} missing images in {1} with Flux?', images.length, name);
  const detail = join([l10n.t('This costs {0} ({1} per image). Each image is written to the path its link names; the document is not changed.', creditsText(price, images.length), creditsText(price)), ...leftOut]);
  if ((await askModal(question, detail, generate)) !== generate) return;
  for (const image of images) {
    if (!(await startGeneration(deps, document, image, true))) return;
  }
}

/**
 * Starts the job and records its target; false when nothing was started (and the reason shown). `costConfirmed`:
 * the user agreed to this image's price in the question for all of the file's images.
 */
async function startGeneration(deps: MissingImageDeps, document: vscode.TextDocument, image: MissingImage, costConfirmed: boolean): Promise<boolean> {
  const shown = vscode.workspace.asRelativePath(image.target);
  const target = image.target.toString();
  if (deps.store.list().some((entry) => entry.targetFile?.uri === target && !entry.targetFile.outcome && entry.state !== 'failed')) {
    void showInfo(l10n.t('Flux is already generating {0}.', shown));
    return true;
  }
  // Checked before anything is paid for, and again when the image is written.
  if (await leadsOutside(image.folder.uri, vscode.Uri.joinPath(image.target, '..'))) {
    void showError(l10n.t('Flux Studio did not generate {0}: that path leads outside the workspace folder (through a symbolic link).', shown));
    return false;
  }
  const { plan } = image;
  const defaults = generationDefaults();
  const entry = await deps.generation.generate(
    { ...defaults, prompt: plan.prompt, aspectRatio: plan.aspectRatio ?? defaults.aspectRatio, outputFormat: plan.format },
    { documentUri: document.uri.toString(), languageId: document.languageId },
    { costConfirmed },
  );
  if (!entry) return false;
  await deps.store.update(entry.id, { targetFile: { uri: target, folder: image.folder.uri.toString() } });
  deps.log.info(`generation ${entry.id} will be written to ${target}`);
  void deps.targets.land(entry.id); // in case the job finished before its target was recorded
  return true;
}
