// Outside text (server messages, account names, prompts, file names, setting values) made safe to show
// in VS Code surfaces that interpret their text: notifications and progress render `[label](target)` as
// a live link (`command:` URIs included), status bar items, quick picks and input boxes render `$(icon)`.
// A zero-width space between the characters that open such syntax breaks it while the text reads the
// same. Free of Node and DOM APIs.

import { truncate } from './truncate';

const ZERO_WIDTH_SPACE = '\u200b';

/** Longest piece of outside text put into one message; the rest is cut with an ellipsis. */
export const PLAIN_TEXT_MAX_LENGTH = 500;

/**
 * Neutralises link and icon syntax, removes control characters (newlines become spaces) and the bidi
 * embedding/override/isolate marks that could visually reorder the rest of a message, and shortens.
 */
export function plainText(outside: string, maxLength = PLAIN_TEXT_MAX_LENGTH): string {
  const cleaned = String(outside)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    // `](` starts a link target; `$(` an icon; `[` alone is harmless once no `](` follows it.
    .replace(/\]\s*\(/g, (match) => `${match.slice(0, -1)}${ZERO_WIDTH_SPACE}(`)
    .replace(/\$\(/g, `$${ZERO_WIDTH_SPACE}(`);
  return truncate(cleaned, maxLength);
}
