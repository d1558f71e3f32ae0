// Helpers shared by the in-host suites: the extension's test API, the simulator's control surface,
// polling, completed gallery entries, and opening a document with the cursor at its end.
import { randomBytes, randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FluxStudioTestApi } from '../../src/extension';
import type { GalleryStore } from '../../src/gallery/store';
import type { GalleryEntry, PromptSource } from '../../src/shared/entry';
import type { AspectRatio, OutputFormat } from '../../src/shared/options';
import { loadConfig } from './config';

export const EXTENSION_ID = 'flux-studio.flux-studio';

/** Activates the extension; in extension mode Test it hands its services to the tests. */
export async function activateForTests(): Promise<FluxStudioTestApi> {
  return (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as FluxStudioTestApi;
}

/** Activates the extension, points it at the simulator (user setting) and makes sure the good key is set. */
export async function readyForTests(): Promise<FluxStudioTestApi> {
  const api = await activateForTests();
  await vscode.workspace.getConfiguration('fluxStudio').update('apiBaseUrl', loadConfig().simulatorUrl, vscode.ConfigurationTarget.Global);
  if ((await api.keys.store.get()) !== loadConfig().apiKey && !(await api.keys.setKey(loadConfig().apiKey))) {
    throw new Error('the simulator refused the test key');
  }
  // As if the user had answered the first price question with "Don't ask again" (pay.test.ts asks it).
  await api.payment.agreeTo((await api.generation.refreshPrice()).credits);
  return api;
}

/** Drops the day-long price cache (global storage's image-price.json) and reads Apiframe's price list again. */
export async function forgetCachedPrice(api: FluxStudioTestApi): Promise<number> {
  await fs.rm(path.join(api.store.root, '..', 'image-price.json'), { force: true });
  return (await api.generation.refreshPrice()).credits;
}

/** GET (or POST with a body) on the simulator, e.g. `/__sim/stats`. */
export async function sim(pathname: string, body?: unknown): Promise<any> {
  const response = await fetch(`${loadConfig().simulatorUrl}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

/** What a job was asked for, as the simulator received it (the request body's prompt and fluxParams). */
export async function jobInput(jobId: string): Promise<any> {
  const response = await fetch(`${loadConfig().simulatorUrl}/v2/jobs/${jobId}`, { headers: { 'X-API-Key': loadConfig().apiKey } });
  return ((await response.json()) as { input: unknown }).input;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens a document in the first column with the cursor at its end. */
export async function openAtEnd(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
  const end = document.lineAt(document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

export interface SeedOptions {
  format?: OutputFormat;
  /** The stored image (any bytes do where only copies are compared). */
  bytes?: Buffer;
  seed?: number;
  aspectRatio?: AspectRatio;
  width?: number;
  height?: number;
  source?: PromptSource;
}

/** A completed entry with a stored image, as a finished job leaves it. */
export async function seedCompleted(store: GalleryStore, prompt: string, o: SeedOptions = {}): Promise<GalleryEntry> {
  const id = randomUUID();
  const format = o.format ?? 'jpg';
  const imageFile = `${id}.${format}`;
  await fs.writeFile(store.imagePath(imageFile), o.bytes ?? Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2048)]));
  const now = Date.now();
  return store.create({
    id,
    options: { prompt, aspectRatio: o.aspectRatio ?? '16:9', outputFormat: format, outputQuality: 90, raw: false, seed: o.seed ?? 7 },
    state: 'completed',
    progress: 100,
    createdAt: now,
    acceptedAt: now,
    completedAt: now + 1000,
    creditCost: 6,
    imageFile,
    width: o.width ?? 2752,
    height: o.height ?? 1536,
    ...(o.source ? { source: o.source } : {}),
  });
}
