// What the user works with, built on the core services: generation, the gallery panel's dependencies,
// importing from the account, notifications and the language model tool. The gallery and generation refer
// to each other (the gallery's buttons generate; a generation may reveal the gallery), hence one builder.
import * as vscode from 'vscode';
import type { GalleryEntry } from '../shared/entry';
import type { ChatDeps } from './chat';
import { generateWithReference, uploadReference, type ReferenceDeps } from './commands/reference';
import { rerunFromImage } from './commands/rerunFromImage';
import { GalleryPanel, type GalleryDeps } from './gallery/panel';
import { GenerationService } from './generation';
import type { IllustrateDeps } from './illustrate/command';
import { PlanMemory } from './illustrate/planMemory';
import { AccountImporter } from './importFromAccount';
import { registerImageTool } from './lmTool';
import { Placements } from './editor/placement';
import { JobNotifier } from './notifier';
import { PaymentGate } from './pay';
import { PromptEnhancer } from './promptEnhancer';
import type { CoreServices } from './services';
import { readGenerationDefaults, readVariantCount } from './settings';
import { keepVariant } from './variants';

export interface Features {
  generation: GenerationService;
  gallery: GalleryDeps;
  importer: AccountImporter;
  notifier: JobNotifier;
  imageTool: ReturnType<typeof registerImageTool>;
  referenceDeps: ReferenceDeps;
  revealGallery(preserveFocus: boolean): void;
  /** Images made from a selection, waiting to land right after it. */
  placements: Placements;
  /** The one gate every paid request passes: price, spending limit, confirmation. */
  gate: PaymentGate;
  /** fluxStudio.prompt.enhance: a language model's rewrite of the prompt, before the gate. */
  enhancer: PromptEnhancer;
  /** What the @flux chat participant works with. */
  chat: ChatDeps;
  /** What Illustrate This Document plans and runs with. */
  illustrate: IllustrateDeps;
}

export function createFeatures(core: CoreServices): Features {
  const { store, engine, keys, log, editors } = core;
  const enhancer = new PromptEnhancer(log);
  const gallery: GalleryDeps = {
    extensionUri: core.context.extensionUri,
    store,
    log,
    editors,
    actions: {
      generate: async (options, count, originalPrompt) => (await generation.generateVariants(options, undefined, { count, originalPrompt }))[0],
      enhancePrompt: async (prompt) => {
        if (!enhancer.enabled()) return undefined; // the button is hidden then; a stale page's click sends nothing
        const rewrite = await enhancer.rewriteWithProgress(prompt);
        return rewrite.kind === 'rewritten' ? rewrite.prompt : undefined;
      },
      rerun: async (entry) => void (await generation.generate(entry.options, entry.source)),
      // Without a seed, the generation draws a new one.
      vary: async (entry) => void (await generation.generate({ ...entry.options, seed: undefined }, entry.source)),
      useAsReference: (entry: GalleryEntry) => generateWithReference(referenceDeps, entry),
      importFromAccount: async () => void (await importer.importFromAccount()),
      retry: (entry) => generation.retry(entry.id),
      remove: (entry) => engine.remove(entry.id),
      star: async (entry, starred) => void (await store.update(entry.id, { starred: starred || undefined })),
      keep: async (entry) => void (await keepVariant(entry, { store, log, remove: (id, onlyIf) => engine.remove(id, onlyIf) })),
      rerunFromImage: async (file) => void (await rerunFromImage(generation, file)),
    },
    apiKey: { isSet: async () => (await core.keyStore.get()) !== undefined, onDidChange: core.keyStore.onDidChange },
    getDefaults: () => {
      const { aspectRatio, outputFormat, outputQuality, raw, seed, imagePromptStrength } = readGenerationDefaults().value;
      return { aspectRatio, outputFormat, outputQuality, raw, seed, imagePromptStrength, variants: readVariantCount().value, enhancePrompt: enhancer.enabled() };
    },
    imageCost: () => core.prices.current().credits,
    whenLoaded: core.ready,
  };
  const revealGallery = (preserveFocus: boolean) =>
    void GalleryPanel.createOrShow(gallery, { preserveFocus, viewColumn: preserveFocus ? vscode.ViewColumn.Beside : undefined });
  const placements = new Placements(store, gallery, log);
  const gate = new PaymentGate(core.prices, core.context.globalStorageUri.fsPath, () => core.statusBar.credits(), {
    reserve: (credits, reason) => core.budget.ensureWithinSpendingLimit(credits, reason),
    release: (credits, reservedAt, reason) => core.budget.release(credits, reservedAt, reason),
  });
  const generation = new GenerationService(engine, store, keys, core.keyHolders, log, { gate, prices: core.prices, placements, revealGallery });
  const importer = new AccountImporter(keys, core.api, store, engine, () => core.statusBar.scheduleCreditRefresh());
  const referenceDeps: ReferenceDeps = { generation, keys, api: core.api, store };
  const notifier = new JobNotifier(generation, keys, revealGallery);
  const imageTool = registerImageTool({ generation, engine, store, log, editors });
  const illustrate: IllustrateDeps = { generation, gate, placements, store, log, editors, extensionUri: core.context.extensionUri, memory: new PlanMemory(core.context.workspaceState), ready: core.ready };
  const chat: ChatDeps = {
    editors,
    enhancer,
    tool: imageTool.tool,
    uploadReference: async (uri) => ((await keys.ensureKey()) ? uploadReference(core.api, uri) : undefined),
  };
  return { generation, gallery, importer, notifier, imageTool, referenceDeps, revealGallery, placements, gate, enhancer, chat, illustrate };
}
