// One HTTP exchange under a timeout, shared by API calls and image downloads. Redirects are never followed
// here: API calls refuse them (following would carry the key elsewhere) and image downloads follow them by
// hand, checking each hop.
import type { Response } from 'node-fetch';
import { ApiError } from './errors';

export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  status: number | 'error';
  durationMs: number;
}

export interface ExchangeInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  timeoutMs: number;
  onRequest?: (record: RequestRecord) => void;
}

export interface Exchange {
  response: Response;
  /** Ends the timeout and detaches the caller's signal (once the body is read, or handed to a stream guard). */
  release(): void;
  /** Hangs up: the connection is closed, whatever is left of the body is never read. */
  abort(): void;
}

/**
 * Sends a request under a timeout that lasts until `release` is called, so neither a slow server nor a
 * stalled body can hang the caller.
 */
export async function send(url: string, init: ExchangeInit): Promise<Exchange> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  init.signal?.addEventListener('abort', onAbort);
  if (init.signal?.aborted) controller.abort();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, init.timeoutMs);
  const release = () => {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', onAbort);
  };
  const started = Date.now();
  const logPath = new URL(url).pathname;
  try {
    // Loaded on the first request, not at activation: it pulls in http, https and zlib.
    const { default: fetch } = await import('node-fetch');
    const response = await fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: controller.signal as any, redirect: 'manual' });
    init.onRequest?.({ method: init.method, path: logPath, status: response.status, durationMs: Date.now() - started });
    const abort = () => {
      // node-fetch reports the abort as an 'error' on the body: nobody may be listening any more.
      response.body.on('error', () => undefined);
      controller.abort();
    };
    return { response, release, abort };
  } catch (error) {
    release();
    init.onRequest?.({ method: init.method, path: logPath, status: 'error', durationMs: Date.now() - started });
    if (timedOut) throw timeoutError();
    throw transportError(error, init.signal);
  }
}

export function transportError(error: unknown, signal?: AbortSignal): ApiError {
  if (signal?.aborted) return new ApiError('cancelled', 'Cancelled.');
  if ((error as { name?: string }).name === 'AbortError') return timeoutError();
  return new ApiError('network', 'Could not reach Apiframe. Check your connection (or the fluxStudio.apiBaseUrl setting) and try again.');
}

function timeoutError(): ApiError {
  return new ApiError('timeout', 'Apiframe did not answer in time. Check your connection and try again.');
}

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}
