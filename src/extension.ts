// The composition root: builds the core (store, engine) and the features around it, and registers them.
//
// Activation (see CONTRIBUTING.md, "Activation"): after start-up in every window, reading one secret. Without an
// API key nothing else happens (no status bar item, no gallery read) until a command is used. With a key the
// gallery is loaded and unfinished jobs are collected in whichever window is open, so a paid image is saved
// before its result links expire even when the window that started it is gone.
import * as vscode from 'vscode';
import type { GalleryStore } from './gallery/store';
import type { JobEngine } from './jobs/engine';
import { registerChatParticipant } from './vscode/chat';
import { registerCommands } from './vscode/commands/register';
import { registerDropAndPaste } from './vscode/editor/dropPaste';
import { registerImageHover } from './vscode/editor/hover';
import { registerMissingImages } from './vscode/editor/missingImages';
import type { Placements } from './vscode/editor/placement';
import { createFeatures } from './vscode/features';
import { registerGallerySerializer } from './vscode/gallery/panel';
import type { GenerationService } from './vscode/generation';
import type { AccountImporter } from './vscode/importFromAccount';
import { registerJobEvents, startWindow } from './vscode/jobEvents';
import type { KeyService } from './vscode/keys';
import type { GenerateImageTool } from './vscode/lmTool';
import type { SpendingBudget } from './vscode/budget';
import type { PaymentGate } from './vscode/pay';
import { createCoreServices } from './vscode/services';

/** Handed to the in-host integration tests only (extension mode Test); not a public API. */
export interface FluxStudioTestApi {
  keys: KeyService;
  store: GalleryStore;
  engine: JobEngine;
  generation: GenerationService;
  importer: AccountImporter;
  imageTool: GenerateImageTool;
  payment: PaymentGate;
  budget: SpendingBudget;
  placements: Placements;
}

/** Stops the engine (giving its jobs' leases to the other windows at once) when the extension stops. */
let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FluxStudioTestApi | undefined> {
  const core = createCoreServices(context);
  shutdown = core.shutdown;
  const features = createFeatures(core);
  const { store, engine, keys, log, targets, ready } = core;
  const { generation, gallery, importer, imageTool, gate } = features;
  context.subscriptions.push(
    registerGallerySerializer(gallery),
    imageTool.registration,
    registerChatParticipant(context.extensionUri, features.chat),
    registerDropAndPaste(gallery, ready),
    registerImageHover({ log, store, prices: core.prices }),
    registerMissingImages({ store, generation, targets, log }, ready),
    registerJobEvents(core, features),
    registerCommands(core, features),
  );
  const starting = startWindow(core);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  await starting;
  await ready();
  return { keys, store, engine, generation, importer, imageTool: imageTool.tool, payment: gate, budget: core.budget, placements: features.placements };
}

export async function deactivate(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
