// Scripted answers for VS Code's questions in the in-host tests: messages with buttons, modal dialogs (which
// the test host refuses to show), quick picks and input boxes would wait for a person. The real vscode.window
// functions are replaced for the duration of a test by ones that record what was asked and answer at once.
import * as vscode from 'vscode';

const SINKS = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'showQuickPick', 'showInputBox'] as const;
type Sink = (typeof SINKS)[number];

export interface Asked {
  sink: Sink;
  /** The message, the quick pick's title or the input box's title. */
  message: string;
  detail?: string;
  modal: boolean;
  /** Buttons (message titles) or quick pick items. */
  items: any[];
}

/** Returns the answer to one question (a button title, an item, the typed text), or undefined for "dismissed". */
export type Answerer = (asked: Asked) => unknown;

export function scriptDialogs(answer: Answerer): { asked: Asked[]; restore(): void } {
  const window = vscode.window as unknown as Record<Sink, (...args: any[]) => unknown>;
  const originals = new Map(SINKS.map((sink) => [sink, window[sink]] as const));
  const asked: Asked[] = [];
  for (const sink of SINKS) {
    window[sink] = async (...args: any[]) => {
      let question: Asked;
      if (sink === 'showQuickPick') question = { sink, message: args[1]?.title ?? '', modal: false, items: await args[0] };
      else if (sink === 'showInputBox') question = { sink, message: args[0]?.title ?? '', modal: false, items: [] };
      else {
        const options = args[1] && typeof args[1] === 'object' && !('title' in args[1]) ? args[1] : undefined;
        const items = options ? args.slice(2) : args.slice(1);
        question = { sink, message: String(args[0]), detail: options?.detail, modal: options?.modal === true, items };
      }
      asked.push(question);
      return answer(question);
    };
  }
  return {
    asked,
    restore: () => {
      for (const [sink, original] of originals) window[sink] = original;
    },
  };
}
