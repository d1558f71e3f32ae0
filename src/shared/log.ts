// The one log interface of the core (engine, store, insert): the extension gives it the "Flux Studio"
// output channel, tests give it an array.
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
