// The one log interface of the core (engine, store, insert): the extension gives it the "Flux Studio"
// output channel, tests give it an array.
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** For code run without a log (tests, benchmarks). */
export const SILENT_LOG: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
