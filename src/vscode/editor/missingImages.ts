// Links to images that do not exist become one click: a quick fix "Generate Missing Image with Flux"
// on the link (and on its entry in the Problems panel), and "Flux: Generate Missing Images in This File" for
// all of them after one confirmation.
// The document is never changed: the job's entry carries the target file (TargetFile), and
// TargetFileWriter writes the image there when the job completes, whichever window that happens in.
import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import { findImageReferences, IMAGE_LANGUAGES, isTooLongToRead, MAX_READ_LENGTH } from '../../insert/languages';
import type { ImageReference } from '../../insert/languages/family';
import { planMissingImage, type MissingImagePlan } from '../../insert/missing';
import { COMMANDS } from '../../shared/commands';
import type { GalleryEntry } from '../../shared/entry';
import type { Log } from '../../shared/log';
import { generationDefaults } from '../commands/prompts';
import type { GenerationService } from '../generation';
import { readGenerationDefaults, readMissingImageDiagnostics, type MissingImageDiagnostics } from '../settings';
import { creditsText } from '../prices';
import { askModal, showError, showInfo, showWarning } from '../ui/show';
import { join, l10n, shortPlain, type SafeText } from '../ui/text';
import type { TargetFileWriter } from './targetFiles';
import { leadsOutside } from './workspaceFiles';

/** The most images "Generate Missing Images in This File" starts at once (a file may link thousands). */
const MISSING_IMAGES_MAX = 50;
/** Targets whose job is being started in this window: a second click must not start a second job. */
const reservedTargets = new Set<string>();

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

/** How long after the last edit a document is read again: not on every keystroke. */
const READ_DELAY_MS = 300;

/**
 * The image references of open documents, read once per document version, after a pause in typing,
 * and only where that is safe: in a trusted workspace and under the reading cap (MAX_READ_LENGTH).
 * The quick fix, the bulk command and (through onDidChange) a context key share it.
 */
export class ImageReferenceIndex implements vscode.Disposable {
  private readonly read = new WeakMap<vscode.TextDocument, { version: number; references: ImageReference[] }>();
  private readonly pending = new Map<vscode.TextDocument, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<vscode.TextDocument>();
  readonly onDidChange = this.changed.event;
  private readonly listener = vscode.workspace.onDidChangeTextDocument(({ document }) => this.schedule(document));

  /** Whether `document` may be read at all. */
  static readable(document: vscode.TextDocument): boolean {
    return vscode.workspace.isTrusted && IMAGE_LANGUAGES.includes(document.languageId) && !isTooLongToRead(document.getText());
  }

  /** The references of the current version; undefined while an edit is waiting to be read or when it may not be read. */
  current(document: vscode.TextDocument): ImageReference[] | undefined {
    const known = this.read.get(document);
    if (known?.version === document.version) return known.references;
    if (this.pending.has(document)) return undefined;
    return this.now(document);
  }

  /** The references of the current version, read now if need be (a command the user asked for). */
  now(document: vscode.TextDocument): ImageReference[] | undefined {
    const known = this.read.get(document);
    if (known?.version === document.version) return known.references;
    if (!ImageReferenceIndex.readable(document)) return undefined;
    const references = findImageReferences(document.getText(), document.languageId);
    this.read.set(document, { version: document.version, references });
    return references;
  }

  private schedule(document: vscode.TextDocument): void {
    if (!IMAGE_LANGUAGES.includes(document.languageId)) return;
    clearTimeout(this.pending.get(document));
    this.pending.set(
      document,
      setTimeout(() => {
        this.pending.delete(document);
        if (document.isClosed) return;
        this.now(document);
        this.changed.fire(document);
      }, READ_DELAY_MS),
    );
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.listener.dispose();
    this.changed.dispose();
  }
}

/** Registers the quick fix and the commands; the returned index tells which documents hold image references. */
export function registerMissingImages(deps: MissingImageDeps, ready: () => Promise<void>): vscode.Disposable & { index: ImageReferenceIndex } {
  const selector = IMAGE_LANGUAGES.map((language) => ({ language }));
  const whenReady =
    <A extends unknown[]>(run: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      await ready();
      await run(...args);
    };
  const index = new ImageReferenceIndex();
  const files = watchLinkTargets(deps.store);
  const disposable = vscode.Disposable.from(
    index,
    files,
    trackMissingImageContext(index, files.onDidChange),
    reportMissingImages(index, files.onDidChange),
    vscode.languages.registerCodeActionsProvider(selector, new MissingImageActions(index), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.commands.registerCommand(COMMANDS.generateMissingImage, whenReady((uri: unknown, offset: unknown) => generateOne(deps, index, uri, offset))),
    vscode.commands.registerCommand(COMMANDS.generateMissingImages, whenReady((uri: unknown) => generateAll(deps, index, uri))),
  );
  return Object.assign(disposable, { index });
}

/** A file appeared (only links that were missing can change) or went away (any link can). */
type LinkTargetChange = 'appeared' | 'removed';

/**
 * Fires when a file appears or goes away in the workspace (whoever made it: VS Code, a generated image landing,
 * a build), or a generated image was recorded as landed: what a link points at may have changed.
 */
function watchLinkTargets(store: GalleryStore): vscode.Disposable & { onDidChange: vscode.Event<LinkTargetChange> } {
  const changed = new vscode.EventEmitter<LinkTargetChange>();
  // Changes to a file's content do not make it exist or not: only creations and deletions are watched.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
  const disposable = vscode.Disposable.from(
    changed,
    watcher,
    watcher.onDidCreate(() => changed.fire('appeared')),
    watcher.onDidDelete(() => changed.fire('removed')),
    store.onDidChange((change) => change.kind === 'upsert' && !!change.entry.targetFile && changed.fire('appeared')),
  );
  return Object.assign(disposable, { onDidChange: changed.event });
}

/** The context key that offers "Generate Missing Images in This File" (menus and palette) only where it has work. */
const HAS_MISSING_KEY = 'fluxStudio.fileHasMissingImage';
/** Typing is let to settle this long before the active file is looked at again. */
const CONTEXT_DELAY_MS = 300;

/**
 * Keeps HAS_MISSING_KEY true while the active editor's file links an image that does not exist. The references
 * come from the index (read once per version, under the size cap).
 */
function trackMissingImageContext(index: ImageReferenceIndex, linkTargetsChanged: vscode.Event<LinkTargetChange>): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const check = async (document: vscode.TextDocument | undefined): Promise<boolean> => {
    if (!document || !IMAGE_LANGUAGES.includes(document.languageId)) return false;
    // Unread (untrusted, over the cap, or an edit still settling: the index reports it when read): not offered.
    const references = index.current(document);
    if (!references) return false;
    return (await missingImages(document, references)).missing.length > 0;
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
    index.onDidChange((document) => document === vscode.window.activeTextEditor?.document && update()),
    linkTargetsChanged(() => update()),
    { dispose: () => timer && clearTimeout(timer) },
  );
}

/** Where the diagnostics come from: the quick fix attaches itself to these. */
const DIAGNOSTIC_SOURCE = 'Flux Studio';
const SEVERITIES: Record<Exclude<MissingImageDiagnostics, 'off'>, vscode.DiagnosticSeverity> = {
  information: vscode.DiagnosticSeverity.Information,
  warning: vscode.DiagnosticSeverity.Warning,
};
/** Files appearing in bursts (a build, a checkout) are let to settle this long before links are checked again. */
const FILES_DELAY_MS = 300;

/**
 * Missing images in the Problems panel: one diagnostic per link the quick fix would generate, in open documents
 * only. Computed from the index's reads (once per version, after typing settles; nothing for documents over the
 * cap, untrusted workspaces or other languages) and again when files appear or go away — never per keystroke.
 */
function reportMissingImages(index: ImageReferenceIndex, linkTargetsChanged: vscode.Event<LinkTargetChange>): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('fluxStudio.missingImages');
  // The latest check per document: an older one that finishes later must not overwrite it.
  const checks = new Map<vscode.TextDocument, number>();
  let checked = 0;
  let filesTimer: ReturnType<typeof setTimeout> | undefined;
  let removedSinceCheck = false;
  const check = async (document: vscode.TextDocument) => {
    if (!IMAGE_LANGUAGES.includes(document.languageId)) return;
    const severity = readMissingImageDiagnostics(document.uri);
    if (severity === 'off') return collection.delete(document.uri);
    const references = index.current(document);
    if (!references) {
      // An edit still settling keeps what was shown: the index reports the document once it is read.
      if (!ImageReferenceIndex.readable(document)) collection.delete(document.uri);
      return;
    }
    const asked = ++checked;
    checks.set(document, asked);
    const { missing } = await missingImages(document, references);
    if (checks.get(document) !== asked || document.isClosed) return;
    checks.delete(document);
    collection.set(document.uri, missing.map((image) => missingImageDiagnostic(document, image.reference, SEVERITIES[severity])));
  };
  const checkAll = () => vscode.workspace.textDocuments.forEach((document) => void check(document));
  // Files only appearing (a build writing hundreds) can only clear diagnostics: just the documents that have some.
  const checkAfterFiles = () => {
    const reported = (document: vscode.TextDocument) => !!collection.get(document.uri)?.length;
    vscode.workspace.textDocuments.filter((document) => removedSinceCheck || reported(document)).forEach((document) => void check(document));
    removedSinceCheck = false;
  };
  checkAll();
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument((document) => void check(document)),
    index.onDidChange((document) => void check(document)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      checks.delete(document);
      collection.delete(document.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('fluxStudio.missingImages.diagnostics') && checkAll()),
    vscode.workspace.onDidGrantWorkspaceTrust(checkAll),
    linkTargetsChanged((change) => {
      removedSinceCheck ||= change === 'removed';
      clearTimeout(filesTimer);
      filesTimer = setTimeout(checkAfterFiles, FILES_DELAY_MS);
    }),
    { dispose: () => clearTimeout(filesTimer) },
  );
}

function referenceRange(document: vscode.TextDocument, reference: ImageReference): vscode.Range {
  return new vscode.Range(document.positionAt(reference.start), document.positionAt(reference.end));
}

function missingImageDiagnostic(document: vscode.TextDocument, reference: ImageReference, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const message = l10n.t('The image file {0} does not exist. The quick fix "Generate Missing Image with Flux" can generate it.', reference.path);
  const diagnostic = new vscode.Diagnostic(referenceRange(document, reference), message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}

export class MissingImageActions implements vscode.CodeActionProvider {
  /**
   * The light bulb asks at every cursor move: the index answers from what it read for this version, nothing
   * while an edit settles. Ctrl+. is the user asking: read now, or a link typed a moment ago is not offered.
   */
  constructor(private readonly index: ImageReferenceIndex) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    const asked = context.triggerKind === vscode.CodeActionTriggerKind.Invoke;
    const references = asked ? this.index.now(document) : this.index.current(document);
    const here = (references ?? []).filter((ref) => ref.start <= end && start <= ref.end);
    if (!here.length) return [];
    const { missing } = await missingImages(document, here);
    const ours = context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
    // One action per link, whether asked on the link or on its diagnostic: the diagnostic is attached to it.
    return missing.map(({ reference }) => {
      const action = new vscode.CodeAction(l10n.t('Generate Missing Image with Flux'), vscode.CodeActionKind.QuickFix);
      const range = referenceRange(document, reference);
      action.diagnostics = ours.filter((diagnostic) => diagnostic.range.isEqual(range));
      // The command finds the link again at its offset: nothing but the document says what to generate.
      action.command = { command: COMMANDS.generateMissingImage, title: action.title, arguments: [document.uri, reference.start] };
      return action;
    });
  }
}

/**
 * The references of `document` whose images do not exist (no file under any name the link accepts),
 * and how many could not be generated because they do not name a file inside the workspace folder.
 */
async function missingImages(document: vscode.TextDocument, references: readonly ImageReference[]): Promise<{ missing: MissingImage[]; outside: number; codeLike: string[] }> {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  if (!folder || document.isUntitled || folder.uri.scheme !== document.uri.scheme) return { missing: [], outside: 0, codeLike: [] };
  const context = {
    languageId: document.languageId,
    documentDir: path.posix.dirname(document.uri.path),
    workspaceFolder: folder.uri.path,
    // Read quietly: this runs as the cursor moves; a bad setting is reported when a generation starts.
    defaultFormat: readGenerationDefaults().value.outputFormat,
  };
  const missing: MissingImage[] = [];
  let outside = 0;
  const codeLike: string[] = [];
  for (const reference of references) {
    const plan = planMissingImage(reference, context);
    if (!plan.ok) {
      if (plan.reason === 'not-relative' || plan.reason === 'outside-workspace') outside++;
      if (plan.reason === 'code-like') codeLike.push(reference.written.text);
      continue;
    }
    const exists = await Promise.all(plan.candidates.map((candidate) => anythingAt(folder.uri.with({ path: candidate }))));
    if (!exists.includes(true)) missing.push({ reference, plan, target: folder.uri.with({ path: plan.target }), folder });
  }
  return { missing, outside, codeLike };
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

async function generateOne(deps: MissingImageDeps, index: ImageReferenceIndex, uri: unknown, offset: unknown): Promise<void> {
  const document = await openDocument(uri);
  if (!document || typeof offset !== 'number') return;
  const reference = index.now(document)?.find((ref) => ref.start === offset);
  const [image] = reference ? (await missingImages(document, [reference])).missing : [];
  if (image) await startGeneration(deps, document, image);
}

async function generateAll(deps: MissingImageDeps, index: ImageReferenceIndex, uri: unknown): Promise<void> {
  const document = await openDocument(uri);
  if (!document) return;
  const references = index.now(document);
  if (!references) {
    void showInfo(unreadable(document));
    return;
  }
  const { missing, outside, codeLike } = await missingImages(document, references);
  // A file linked twice is generated once.
  const images = [...new Map(missing.map((image) => [image.target.toString(), image])).values()];
  const name = path.posix.basename(document.uri.path);
  const leftOut: SafeText[] = [];
  if (outside) leftOut.push(outside === 1 ? l10n.t('1 link leads outside the workspace folder and is left out.') : l10n.t('{0} links lead outside the workspace folder and are left out.', outside));
  leftOut.push(...listed(codeLike, (written) => l10n.t('Skipped {0}: it looks like code that builds a path (quotes, +, ${ or {{), not a file name.', written)));
  if (!images.length) {
    void showInfo(join([l10n.t('{0} has no missing images that Flux can generate.', name), ...leftOut]));
    return;
  }
  if (images.length > MISSING_IMAGES_MAX) {
    void showWarning(l10n.t('{0} links {1} missing images; Flux generates at most {2} at once. Use the quick fix on the links you want, or split the file.', name, images.length, MISSING_IMAGES_MAX));
    return;
  }
  const price = await deps.generation.refreshPrice();
  const generate = l10n.t('Generate');
  const question = images.length === 1 ? l10n.t('Generate 1 missing image in {0} with Flux?', name) : l10n.t('Generate {0} missing images in {1} with Flux?', images.length, name);
  const toGenerate = listed(
    images.map((image) => `${vscode.workspace.asRelativePath(image.target)} — “${image.plan.prompt}”`),
    (line) => l10n.t('Will generate {0}', line),
  );
  const detail = join([l10n.t('This costs {0} ({1} per image). Each image is written to the path its link names; the document is not changed.', creditsText(price, images.length), creditsText(price)), ...toGenerate, ...leftOut], '\n');
  if ((await askModal(question, detail, generate)) !== generate) return;
  // A few at a time under one cancellable progress, not one notification per image.
  await deps.generation.runBatch(
    images,
    (image) => startGeneration(deps, document, image, { followProgress: false, costConfirmed: true }),
    l10n.t('Flux: generating {0} missing images of {1}', images.length, name),
  );
}

/** How many items a modal lists by name; the rest are counted. */
const LISTED = 10;

/** The first LISTED items, each as one shortened line put into `line`, then a count of the rest. */
function listed(items: readonly string[], line: (item: string) => SafeText): SafeText[] {
  const lines = items.slice(0, LISTED).map((item) => line(shortPlain(item, 120)));
  if (items.length > LISTED) lines.push(l10n.t('… and {0} more', items.length - LISTED));
  return lines;
}

/** Why a document's images were not looked for. */
function unreadable(document: vscode.TextDocument): SafeText {
  if (!vscode.workspace.isTrusted) return l10n.t('Flux Studio does not look for missing images in a workspace you have not trusted.');
  if (isTooLongToRead(document.getText())) return l10n.t('{0} is too long to look for missing images in (over {1} characters).', path.posix.basename(document.uri.path), MAX_READ_LENGTH);
  return l10n.t('Flux Studio cannot look for missing images in this kind of file.');
}

/**
 * Starts the job and records its target: the entry, undefined when the target is already being generated,
 * false when nothing was started (and the reason shown). The target is reserved before anything is paid,
 * so a second click on the same quick fix makes no second job. `costConfirmed`: the user agreed to this
 * image's price in the question for all of the file's images.
 */
async function startGeneration(
  deps: MissingImageDeps,
  document: vscode.TextDocument,
  image: MissingImage,
  { followProgress = true, costConfirmed = false } = {},
): Promise<GalleryEntry | undefined | false> {
  const shown = vscode.workspace.asRelativePath(image.target);
  const target = image.target.toString();
  if (reservedTargets.has(target) || deps.store.list().some((entry) => entry.targetFile?.uri === target && !entry.targetFile.outcome && entry.state !== 'failed')) {
    void showInfo(l10n.t('Flux is already generating {0}.', shown));
    return undefined;
  }
  reservedTargets.add(target);
  try {
    // Checked before anything is paid for, and again when the image is written.
    if (await leadsOutside(image.folder.uri, vscode.Uri.joinPath(image.target, '..'))) {
      void showError(l10n.t('Flux Studio did not generate {0}: that path leads outside the workspace folder (through a symbolic link).', shown));
      return false;
    }
    const { plan } = image;
    const defaults = generationDefaults();
    const [entry] = await deps.generation.generateVariants(
      { ...defaults, prompt: plan.prompt, aspectRatio: plan.aspectRatio ?? defaults.aspectRatio, outputFormat: plan.format },
      { documentUri: document.uri.toString(), languageId: document.languageId },
      { followProgress, costConfirmed },
    );
    if (!entry) return false;
    await deps.store.update(entry.id, { targetFile: { uri: target, folder: image.folder.uri.toString() } });
    deps.log.info(`generation ${entry.id} will be written to ${target}`);
    void deps.targets.land(entry.id); // in case the job finished before its target was recorded
    return entry;
  } finally {
    reservedTargets.delete(target); // from here on the entry's targetFile says it
  }
}
