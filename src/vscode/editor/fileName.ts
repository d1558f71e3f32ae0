// The file name of an inserted image, by fluxStudio.insert.fileName: `prompt` (the prompt's slug and the
// seed, src/insert/naming.ts), `ask` (an input box prefilled with that name, checked as typed) or a pattern
// (src/insert/fileNamePattern.ts). Either way the name is only where the free-name search starts: an
// existing file is never overwritten.
import * as vscode from 'vscode';
import { fileNameFromPattern, isFileNamePattern, type FileNamePatternProblem } from '../../insert/fileNamePattern';
import { typedNameProblem, type TypedNameProblem } from '../../insert/naming';
import type { GalleryEntry } from '../../shared/entry';
import type { Log } from '../../shared/log';
import type { OutputFormat } from '../../shared/options';
import { askText, showWarning } from '../ui/show';
import { join, l10n, type SafeText } from '../ui/text';
import { entryFileName } from './storedImage';
import { savedDocumentUri } from './workspaceFiles';

/** Patterns already reported as unusable in this window. */
const reportedPatterns = new Set<string>();

/**
 * The name the setting gives without asking: a pattern's, else the prompt's (where `ask` starts). A pattern
 * that gives no usable name is reported once and the prompt's name is used.
 */
export function settingFileName(entry: GalleryEntry, format: OutputFormat, document: vscode.TextDocument | undefined, folder: vscode.WorkspaceFolder, log: Log): string {
  const suggested = entryFileName(entry, format);
  const pattern = vscode.workspace.getConfiguration('fluxStudio.insert', document?.uri ?? folder.uri).get<unknown>('fileName');
  if (!isFileNamePattern(pattern)) return suggested;
  const { prompt, seed } = entry.options;
  const result = fileNameFromPattern({
    pattern, prompt, seed, id: entry.id, format, fileName: suggested, now: new Date(),
    documentPath: savedDocumentUri(folder, document)?.path,
    workspaceFolder: folder.uri.path,
  });
  if (result.ok) return result.fileName;
  if (!reportedPatterns.has(pattern)) {
    reportedPatterns.add(pattern);
    log.warn(`fluxStudio.insert.fileName pattern refused (${result.problem}); using ${suggested}`);
    void showWarning(join([patternProblemMessage(result.problem, result.detail), l10n.t('The pattern of the setting fluxStudio.insert.fileName is ignored; using the name made from the prompt instead.')]));
  }
  return suggested;
}

function patternProblemMessage(problem: FileNamePatternProblem, detail: string | undefined): SafeText {
  switch (problem) {
    case 'unknown-variable':
      return l10n.t('{0} is not a variable of file names.', `\${${detail}}`);
    case 'unsafe-pattern':
      return l10n.t('A transform in it could take too long to apply.');
    default:
      return problemMessage(problem)!;
  }
}

/** `suggested` is `name.ext`; undefined when the user cancelled. */
export async function chooseFileName(suggested: string, scope: vscode.Uri | undefined): Promise<string | undefined> {
  if (vscode.workspace.getConfiguration('fluxStudio.insert', scope).get<unknown>('fileName') !== 'ask') return suggested;
  const dot = suggested.lastIndexOf('.');
  const extension = suggested.slice(dot);
  const answer = await askText({
    title: l10n.t('File name for the image'),
    prompt: l10n.t('Without the extension ({0}). An existing file is never replaced: -1, -2… is added.', extension),
    value: suggested.slice(0, dot),
    validate: (value) => problemMessage(typedNameProblem(value)),
  });
  if (answer === undefined) return undefined;
  return typedNameProblem(answer) ? suggested : `${answer.trim()}${extension}`;
}

function problemMessage(problem: TypedNameProblem | undefined): SafeText | undefined {
  switch (problem) {
    case undefined:
      return undefined;
    case 'empty':
      return l10n.t('Type a file name.');
    case 'too-long':
      return l10n.t('Use at most 100 characters.');
    case 'separator':
      return l10n.t('A file name cannot contain / \\ : * ? " < > or |.');
    case 'control-characters':
      return l10n.t('A file name cannot contain control characters.');
    case 'dot-start':
      return l10n.t('A file name cannot start with a dot.');
    case 'reserved':
      return l10n.t('Windows reserves this name; choose another.');
  }
}
