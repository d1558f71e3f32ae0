// Entry point: builds FluxStudio, registers the commands and the gallery, and resumes unfinished jobs.
import * as vscode from 'vscode';
import { GalleryEntry } from './shared/entry';
import { generateFromSelection, generateWithOptions, generateWithReference, showJobs } from './vscode/commands';
import { GalleryActions, GalleryDeps, GalleryPanel, galleryEntryCommands, registerGallerySerializer } from './vscode/galleryPanel';
import { readGenerationDefaults } from './vscode/settings';
import { FluxStudio } from './vscode/studio';

/** Handed to the in-host integration tests only (extension mode Test); not a public API. */
export interface FluxStudioTestApi {
  studio: FluxStudio;
}

export async function activate(context: vscode.ExtensionContext): Promise<FluxStudioTestApi | undefined> {
  const studio = new FluxStudio(context);
  context.subscriptions.push(studio);

  const actions: GalleryActions = {
    generate: async (options) => void (await studio.generate({ ...options, webhookUrl: readGenerationDefaults().value.webhookUrl })),
    rerun: async (entry) => void (await studio.generate(entry.options, entry.source)),
    vary: async (entry) => void (await studio.generate({ ...entry.options, seed: randomSeed() }, entry.source)),
    useAsReference: (entry: GalleryEntry) => generateWithReference(studio, entry),
    importFromAccount: async () => void (await studio.importFromAccount()),
  };
  const galleryDeps: GalleryDeps = {
    extensionUri: context.extensionUri,
    store: studio.store,
    log: studio.log,
    actions,
    getDefaults: () => readGenerationDefaults().value,
  };
  studio.revealGallery = (preserveFocus) =>
    GalleryPanel.createOrShow(galleryDeps, { preserveFocus, viewColumn: preserveFocus ? vscode.ViewColumn.Beside : undefined });
  registerGallerySerializer(context, galleryDeps);

  const entryCommands = galleryEntryCommands(galleryDeps);
  const commands: Record<string, (...args: any[]) => unknown> = {
    'fluxStudio.generateFromSelection': () => generateFromSelection(studio),
    'fluxStudio.generate': () => generateWithOptions(studio),
    'fluxStudio.generateWithReference': (uri?: vscode.Uri) => generateWithReference(studio, uri instanceof vscode.Uri ? uri : undefined),
    'fluxStudio.setApiKey': () => studio.promptForKey(),
    'fluxStudio.clearApiKey': () => studio.clearKey(),
    'fluxStudio.showJobs': () => showJobs(studio),
    'fluxStudio.openGallery': () => studio.revealGallery(false),
    'fluxStudio.importFromAccount': () => studio.importFromAccount(),
    // Used by notifications ("Image ready" → Insert into workspace); not in the palette.
    'fluxStudio.insertIntoWorkspace': (id: string) => entryCommands.insertIntoWorkspace(id),
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }

  await studio.start();
  return context.extensionMode === vscode.ExtensionMode.Test ? { studio } : undefined;
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

export function deactivate(): void {}
