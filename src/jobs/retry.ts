// Capped exponential backoff with "equal jitter" (a random delay between half and all of the
// exponential step: never near zero, yet clients still spread apart), honouring the server's Retry-After.
import { isApiError } from '../api/errors';
import type { Clock } from './clock';

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Attempts in total, including the first. */
  maxAttempts: number;
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 20_000, maxAttempts: 8 };

/** Delay before retry number `attempt` (1 = first retry). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, error?: unknown): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  const jittered = ceiling * (0.5 + 0.5 * (policy.random ?? Math.random)());
  const retryAfter = isApiError(error) ? error.retryAfterMs : undefined;
  // The server's wait is a floor, not a suggestion; a little jitter still spreads clients apart.
  return retryAfter !== undefined ? Math.max(retryAfter, jittered / 4) : jittered;
}

export function isRetryable(error: unknown): boolean {
  return isApiError(error) ? error.retryable : false;
}

/**
 * Runs `operation` until it succeeds, a non-retryable error occurs, or attempts run out. The same
 * operation is repeated as is, so a submit keeps its idempotency key across every retry.
 */
export async function withRetries<T>(
  operation: () => Promise<T>,
  options: { clock: Clock; policy?: BackoffPolicy; signal?: AbortSignal; onRetry?: (error: unknown, delayMs: number) => void },
): Promise<T> {
  const policy = options.policy ?? DEFAULT_BACKOFF;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.maxAttempts || options.signal?.aborted) throw error;
      const delay = backoffDelay(attempt, policy, error);
      options.onRetry?.(error, delay);
      await options.clock.sleep(delay, options.signal);
    }
  }
}

