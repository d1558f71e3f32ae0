// A batch of paid requests (the missing images of a file) is started a few at a time: Apiframe is not
// flooded, and a Cancel while the batch runs leaves the requests not yet started unpaid. Nothing started
// is interrupted here; a submit in flight always completes.

/** How many requests of one batch run at once. */
export const BATCH_CONCURRENCY = 4;

/** What starting one item gave: a started request, nothing for this item, or nothing more for the batch. */
export type BatchStart<S> = { started: S } | 'skip' | 'stop';

export interface BatchOutcome<S> {
  started: S[];
  /** Items left out: the one that answered 'stop' and those after it, or those after the signal was aborted. */
  notStarted: number;
}

/**
 * Starts the items in order, at most `limit` at a time: the next one starts when a started one is done.
 * Resolves once every item was started or left out; the started ones may still be running then.
 */
export async function startLimited<T, S>(
  items: readonly T[],
  limit: number,
  start: (item: T) => Promise<BatchStart<S>>,
  done: (started: S) => Promise<unknown>,
  signal: AbortSignal,
): Promise<BatchOutcome<S>> {
  const started: S[] = [];
  const running = new Set<Promise<unknown>>();
  const aborted = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  let next = 0;
  for (; next < items.length; next++) {
    while (running.size >= limit && !signal.aborted) await Promise.race([...running, aborted]);
    if (signal.aborted) break;
    const result = await start(items[next]);
    if (result === 'stop') break;
    if (result === 'skip') continue;
    started.push(result.started);
    const settled: Promise<unknown> = done(result.started)
      .catch(() => undefined)
      .finally(() => running.delete(settled));
    running.add(settled);
  }
  return { started, notStarted: items.length - next };
}
