// "2 min ago", "yesterday": how long ago a moment was, in the largest unit that fits (the exact time goes
// in a tooltip). Pure: the formatter decides the language.

const UNITS: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/** How long before `now` the moment `then` was (both in ms since the epoch); "now" under a minute. */
export function relativeTime(then: number, now: number, format: Intl.RelativeTimeFormat): string {
  const elapsed = Math.max(0, now - then);
  for (const [unit, size] of UNITS) {
    if (elapsed >= size) return format.format(-Math.floor(elapsed / size), unit);
  }
  return format.format(0, 'second');
}
