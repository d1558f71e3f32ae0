// The record one hover away: hovering an image link whose file carries a Flux Studio generation record shows
// a small thumbnail (a data: URI — file URIs do not render in remote hovers), the prompt, seed, ratio and
// date, and command links for Re-run and Open in Gallery. The file and its record are untrusted: every string
// from them is escaped, and only our own commands may run from the hover. Images without a record add nothing.
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../shared/commands';
import { findImageReferences, IMAGE_LANGUAGES } from '../../insert/languages';
import { readMetadata } from '../../metadata';
import type { Log } from '../../shared/log';
import { l10n } from '../ui/text';
import { documentThumbnail } from './documentCopy';
import { leadsOutside } from './workspaceFiles';

/** Documents larger than this get no image hovers (the references are found by a full scan). */
const HOVER_DOCUMENT_MAX_CHARS = 512 * 1024;
const THUMBNAIL_WIDTH = 240;
const HOVER_COMMANDS = [COMMANDS.rerunFromImage, COMMANDS.openGallery];

export function registerImageHover(log: Log): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    IMAGE_LANGUAGES.map((language) => ({ language })),
    { provideHover: (document, position, token) => imageHover(document, position, token, log) },
  );
}

export async function imageHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken, log: Log): Promise<vscode.Hover | undefined> {
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
  const thumbnail = await documentThumbnail(file, THUMBNAIL_WIDTH, log);
  if (thumbnail) markdown.appendMarkdown(`![${escapeMarkdown(l10n.t('Thumbnail'))}](${thumbnail})\n\n`);
  markdown.appendMarkdown(`**${escapeMarkdown(l10n.t('Flux Studio'))}** — `);
  markdown.appendText(record.prompt.slice(0, 500));
  const facts = [
    record.seed !== undefined ? l10n.t('Seed {0}', record.seed) : undefined,
    l10n.t('Ratio {0}', record.aspectRatio),
    record.createdAt ? new Date(record.createdAt).toLocaleString() : undefined,
  ].filter((fact): fact is string => !!fact);
  markdown.appendMarkdown('\n\n');
  markdown.appendText(facts.join(' · '));
  const rerun = `command:fluxStudio.rerunFromImage?${encodeURIComponent(JSON.stringify([file]))}`;
  markdown.appendMarkdown(`\n\n[${escapeMarkdown(l10n.t('Re-run'))}](${rerun}) · [${escapeMarkdown(l10n.t('Open in Gallery'))}](command:fluxStudio.openGallery)`);
  const range = new vscode.Range(document.positionAt(reference.start), document.positionAt(reference.end));
  return new vscode.Hover(markdown, range);
}

/** Markdown syntax characters in our own (translated) labels become literal. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~$]/g, '\\$&');
}
