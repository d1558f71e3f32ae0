// Where outside text becomes safe to show. VS Code renders `[label](command:…)` in notification and
// progress text as a live link and `$(icon)` in status bar, quick pick and input box text as an icon, so
// every text that reaches those surfaces has the type SafeText, which only two functions make:
//   l10n.t('our literal message', …args)  — every string argument is outside text and is neutralised;
//   plain(outsideText)                    — outside text on its own (a prompt as a quick pick label).
// The sinks in ./show.ts accept only SafeText, and test/unit/textSinks.test.ts fails if any other file
// calls a VS Code text sink or vscode.l10n.t directly. (Named `l10n.t` so the string extractor finds it.)
import * as vscode from 'vscode';
import { plainText } from '../../shared/plainText';

declare const safeText: unique symbol;
/** Text that is ours, or outside text that went through plainText. */
export type SafeText = string & { readonly [safeText]: true };

export type L10nArgument = string | number | boolean;

export const l10n = {
  /** `vscode.l10n.t` with every string argument neutralised (numbers and booleans are safe as they are). */
  t(message: string, ...args: L10nArgument[]): SafeText {
    return vscode.l10n.t(message, ...args.map((arg) => (typeof arg === 'string' ? plainText(arg) : arg))) as SafeText;
  },
};

/** Outside text shown on its own. */
export function plain(outside: string, maxLength?: number): SafeText {
  return plainText(outside, maxLength) as SafeText;
}

/** One line of at most `max` characters (for prompts in titles and lists), neutralised. */
export function shortPlain(outside: string, max: number): SafeText {
  const line = outside.replace(/\s+/g, ' ').trim();
  return plain(line, max);
}

/** One of our own codicons, e.g. `icon('sync~spin')` → `$(sync~spin)`. */
export function icon(name: 'sparkle' | 'sync~spin' | 'link' | 'file-media' | 'folder-opened' | 'debug-pause' | 'error' | 'check'): SafeText {
  return `$(${name})` as SafeText;
}

/** Safe pieces joined are still safe. */
export function join(parts: readonly SafeText[], separator: ' ' | ' · ' | '\n' = ' '): SafeText {
  return parts.join(separator) as SafeText;
}
