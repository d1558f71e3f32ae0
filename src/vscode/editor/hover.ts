// The record one hover away: hovering an image link whose file carries a Flux Studio generation record shows
// a small thumbnail (a data: URI — file URIs do not render in remote hovers), the prompt, seed, ratio, date and
// cost, and command links for Re-run, Vary and Open in Gallery. The file and its record are untrusted: every
// string from them is escaped, and only our own commands may run from the hover. Images without a record add
// nothing.
import * as path from 'path';
import * as vscode from 'vscode';
import type { GalleryStore } from '../../gallery/store';
import { COMMANDS, type CommandId } from '../../shared/commands';
import { findImageReferences, IMAGE_LANGUAGES } from '../../insert/languages';
import { readMetadata, type GenerationRecord } from '../../metadata';
import type { Log } from '../../shared/log';
import { creditsText, type PriceBook } from '../prices';
import { l10n, type SafeText } from '../ui/text';
import { documentThumbnail } from './documentCopy';
import { leadsOutside } from './workspaceFiles';

/** Documents larger than this get no image hovers (the references are found by a full scan). */
const HOVER_DOCUMENT_MAX_CHARS = 512 * 1024;
const THUMBNAIL_WIDTH = 240;
const HOVER_COMMANDS: CommandId[] = [COMMANDS.rerunFromImage, COMMANDS.varyFromImage, COMMANDS.openGallery];

export interface ImageHoverDeps {
  log: Log;
  /** The gallery knows what Apiframe charged for its entries' jobs. */
  store: GalleryStore;
  /** The one price source, for images whose job the gallery does not know. */
  prices: PriceBook;
}

export function registerImageHover(deps: ImageHoverDeps): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    IMAGE_LANGUAGES.map((language) => ({ language })),
    { provideHover: (document, position, token) => imageHover(document, position, token, deps) },
  );
}

export async function imageHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken, deps: ImageHoverDeps): Promise<vscode.Hover | undefined> {
  const text = document.getText();
  if (text.length > HOVER_DOCUMENT_MAX_CHARS || document.uri.scheme !== 'file') return undefined;
  const offset = document.offsetAt(position);
  const reference = findImageReferences(text, document.languageId).find((r) => r.start <= offset && offset <= r.end);
  if (!reference || /^[a-z][a-z0-9+.-]*:/i.test(reference.path)) return undefined; // a URL, not a file here
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  if (!folder) return undefined;
  const file = vscode.Uri.file(path.resolve(path.dirname(document.uri.fsPath), reference.path));
  if (await leadsOutside(folder.uri, file)) return undefined;
  const record = await readMetadata(file.fsPath).catch(() => undefined);
  if (!record || token.isCancellationRequested) return undefined;

  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
  markdown.supportHtml = false;
  const thumbnail = await documentThumbnail(file, THUMBNAIL_WIDTH, deps.log);
  if (thumbnail) markdown.appendMarkdown(`![${escapeMarkdown(l10n.t('Thumbnail'))}](${thumbnail})\n\n`);
  markdown.appendMarkdown(`**${escapeMarkdown(l10n.t('Flux Studio'))}** — `);
  markdown.appendText(record.prompt.slice(0, 500));
  if (record.originalPrompt) {
    markdown.appendMarkdown('\n\n');
    markdown.appendText(l10n.t('Rewritten from: {0}', record.originalPrompt));
  }
  const facts = [
    record.seed !== undefined ? l10n.t('Seed {0}', record.seed) : undefined,
    l10n.t('Ratio {0}', record.aspectRatio),
    record.createdAt ? new Date(record.createdAt).toLocaleString() : undefined,
    l10n.t('Cost {0}', costOf(record, deps)),
  ].filter((fact): fact is string => !!fact);
  markdown.appendMarkdown('\n\n');
  markdown.appendText(facts.join(' · '));
  const links = [
    commandLink(l10n.t('Re-run'), COMMANDS.rerunFromImage, [file]),
    commandLink(l10n.t('Vary'), COMMANDS.varyFromImage, [file]),
    commandLink(l10n.t('Open in Gallery'), COMMANDS.openGallery),
  ];
  markdown.appendMarkdown(`\n\n${links.join(' · ')}`);
  const range = new vscode.Range(document.positionAt(reference.start), document.positionAt(reference.end));
  return new vscode.Hover(markdown, range);
}

/** What Apiframe charged for the record's job when the gallery knows it, else today's price of one image. */
function costOf(record: GenerationRecord, { store, prices }: ImageHoverDeps): SafeText {
  const charged = record.jobId === undefined ? undefined : store.list().find((entry) => entry.jobId === record.jobId)?.creditCost;
  return charged === undefined ? creditsText(prices.current()) : l10n.t('{0} credits', charged);
}

/** A link that runs one of HOVER_COMMANDS (the only ones the hover enables) with `args`. */
function commandLink(label: SafeText, command: (typeof HOVER_COMMANDS)[number], args?: unknown[]): string {
  const query = args ? `?${encodeURIComponent(JSON.stringify(args))}` : '';
  return `[${escapeMarkdown(label)}](command:${command}${query})`;
}

/** Markdown syntax characters in our own (translated) labels become literal. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~$]/g, '\\$&');
}
