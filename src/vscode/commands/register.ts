// The palette's and menus' commands, each waiting for the gallery to load before it runs — except Open
// Gallery, whose panel opens at once and sets its page once the gallery has loaded (GalleryPanel.render),
// and Illustrate This Document, whose plan needs only the document (its Generate waits; see PlanPanel).
import * as vscode from 'vscode';
import { COMMANDS } from '../../shared/commands';
import { insertIntoWorkspace } from '../editor/insertAction';
import type { Features } from '../features';
import { illustrateDocument } from '../illustrate/command';
import { whenReady, type CoreServices } from '../services';
import { generateFromSelection, generateWithOptions } from './generate';
import { showJobs } from './jobs';
import { generateWithReference } from './reference';
import { rerunFromImage } from './rerunFromImage';

export function registerCommands(core: CoreServices, features: Features): vscode.Disposable {
  const { keys, store, engine } = core;
  const { generation, importer, referenceDeps, revealGallery, enhancer, illustrate } = features;
  const fileArgument = (uri: unknown) => (uri instanceof vscode.Uri ? uri : undefined);
  const commands: Record<string, (...args: any[]) => unknown> = {
    [COMMANDS.generateFromSelection]: () => generateFromSelection(generation, enhancer),
    [COMMANDS.generate]: () => generateWithOptions(generation),
    [COMMANDS.generateWithReference]: (uri?: unknown) => generateWithReference(referenceDeps, fileArgument(uri)),
    [COMMANDS.setApiKey]: () => keys.promptForKey(),
    [COMMANDS.clearApiKey]: () => keys.clearKey(),
    [COMMANDS.showJobs]: () => showJobs({ store, engine, generation }),
    [COMMANDS.openGallery]: () => revealGallery(false),
    [COMMANDS.importFromAccount]: () => importer.importFromAccount(),
    [COMMANDS.rerunFromImage]: (uri?: unknown) => rerunFromImage(generation, fileArgument(uri)),
    [COMMANDS.illustrateDocument]: (uri?: unknown) => illustrateDocument(illustrate, fileArgument(uri)),
    // The image hover's Vary; not in the palette.
    [COMMANDS.varyFromImage]: (uri?: unknown) => rerunFromImage(generation, fileArgument(uri), { newSeed: true }),
    // Used by notifications ("Image ready" → Insert into workspace); not in the palette.
    [COMMANDS.insertIntoWorkspace]: (id: unknown) => {
      const entry = typeof id === 'string' ? store.get(id) : undefined;
      return entry ? insertIntoWorkspace(entry, features.gallery) : undefined;
    },
  };
  const atOnce = (id: string) => id === COMMANDS.openGallery || id === COMMANDS.illustrateDocument;
  return vscode.Disposable.from(
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, atOnce(id) ? handler : whenReady(core, handler))),
  );
}
