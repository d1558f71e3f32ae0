// Typed failures a UI can act on. Messages are written for users and never contain the key or a raw
// response body; `kind` tells the caller what to offer (set the key, top up, retry later…).

export type ApiErrorKind =
  /** 401: the key is missing or wrong. */
  | 'invalidKey'
  /** 403: the key exists but is inactive. */
  | 'inactiveKey'
  /** 402: not enough credits. */
  | 'insufficientCredits'
  /** 400: a parameter was refused; `field` names it. */
  | 'invalidParameters'
  /** 429: wait `retryAfterMs`. */
  | 'rateLimited'
  /** 404: the job does not exist (or belongs to another key). */
  | 'notFound'
  /** 5xx, or a response we could not read (HTML, malformed JSON). */
  | 'server'
  /** Connection refused/reset, DNS failure. */
  | 'network'
  /** The request took longer than the client's timeout. */
  | 'timeout'
  /** The caller aborted. */
  | 'cancelled'
  /** Not the API: saving a result on this computer failed (disk full, folder not writable…). */
  | 'storage';

export interface ApiErrorDetails {
  status?: number;
  field?: string;
  retryAfterMs?: number;
  creditsRequired?: number;
  creditsAvailable?: number;
}

export class ApiError extends Error {
  readonly status?: number;
  readonly field?: string;
  readonly retryAfterMs?: number;
  readonly creditsRequired?: number;
  readonly creditsAvailable?: number;

  constructor(readonly kind: ApiErrorKind, message: string, details: ApiErrorDetails = {}) {
    super(message);
    this.name = 'ApiError';
    Object.assign(this, details);
  }

  /** Worth trying the same request again (with the same idempotency key). */
  get retryable(): boolean {
    return this.kind === 'server' || this.kind === 'network' || this.kind === 'timeout' || this.kind === 'rateLimited';
  }
}

/** A parameter failed local validation; nothing was sent. */
export class ValidationError extends ApiError {
  constructor(field: string, message: string) {
    super('invalidParameters', message, { field });
    this.name = 'ValidationError';
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/**
 * Parses `Retry-After` in both forms the HTTP spec allows: delay-seconds or an HTTP date.
 * Returns milliseconds to wait, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Only the three HTTP-date forms (RFC 9110 §5.6.7); Date.parse alone accepts garbage like "-1".
  const httpDate =
    /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed) ||
    /^[A-Za-z]+, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed) ||
    /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/.test(trimmed);
  if (!httpDate) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
