// The file name of an inserted image, by fluxStudio.insert.fileName: `prompt` (the prompt's slug and the
// seed, src/insert/naming.ts) or `ask` (an input box prefilled with that name, checked as typed). Either
// way the name is only where the free-name search starts: an existing file is never overwritten.
import * as vscode from 'vscode';
import { typedNameProblem, type TypedNameProblem } from '../../insert/naming';
import { askText } from '../ui/show';
import { l10n, type SafeText } from '../ui/text';

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
