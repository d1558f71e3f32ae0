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
  /** The answer was larger than its cap (`limitBytes`): it was not read to the end, and is not retried. */
  | 'tooLarge'
  /** A result image link (or a redirect on the way to it) points somewhere Flux Studio does not go. Not retried. */
  | 'refusedUrl';

export interface ApiErrorDetails {
  status?: number;
  field?: string;
  retryAfterMs?: number;
  creditsRequired?: number;
  creditsAvailable?: number;
  limitBytes?: number;
}

export class ApiError extends Error {
  readonly status?: number;
  readonly field?: string;
  readonly retryAfterMs?: number;
  readonly creditsRequired?: number;
  readonly creditsAvailable?: number;
  readonly limitBytes?: number;

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

/** The typed error for an HTTP error status; `json` is the parsed body, if any (its text is never shown as is). */
export function errorForStatus(status: number, json: unknown, retryAfter: string | null): ApiError {
  const body = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  switch (status) {
    case 401:
      return new ApiError('invalidKey', 'Apiframe refused the API key. Set a valid key with "Flux: Set API Key".', { status });
    case 403:
      return new ApiError('inactiveKey', 'Apiframe says this API key is inactive. Activate it in your Apiframe dashboard or set another key.', { status });
    case 402: {
      const creditsRequired = typeof body.creditsRequired === 'number' ? body.creditsRequired : undefined;
      const creditsAvailable = typeof body.creditsAvailable === 'number' ? body.creditsAvailable : undefined;
      const amounts = creditsRequired !== undefined && creditsAvailable !== undefined
        ? ` This image needs ${creditsRequired} credits; you have ${creditsAvailable}.`
        : '';
      return new ApiError('insufficientCredits', `Not enough Apiframe credits.${amounts} Top up your account and try again.`, {
        status,
        creditsRequired,
        creditsAvailable,
      });
    }
    case 400: {
      const { field, problem } = firstValidationDetail(body.details);
      const message = field
        ? `Apiframe refused the parameter "${field}": ${problem ?? 'invalid value'}.`
        : 'Apiframe refused the request parameters. Check the Flux Studio settings.';
      return new ApiError('invalidParameters', message, { status, field });
    }
    case 404:
      return new ApiError('notFound', 'Apiframe does not know this job (it may belong to another key).', { status });
    case 429: {
      const retryAfterMs = parseRetryAfter(retryAfter);
      const wait = retryAfterMs !== undefined ? ` Retrying in ${Math.ceil(retryAfterMs / 1000)} s.` : '';
      return new ApiError('rateLimited', `Apiframe is rate limiting requests.${wait}`, { status, retryAfterMs });
    }
    default:
      return new ApiError('server', `Apiframe had a problem (HTTP ${status}). Try again later.`, {
        status,
        retryAfterMs: parseRetryAfter(retryAfter),
      });
  }
}

/** The first field the server refused. Server text is untrusted: kept short and printable. */
function firstValidationDetail(details: unknown): { field?: string; problem?: string } {
  if (!details || typeof details !== 'object') return {};
  for (const [field, problems] of Object.entries(details as Record<string, unknown>)) {
    const problem = Array.isArray(problems) && typeof problems[0] === 'string' ? problems[0] : undefined;
    return {
      field: field.replace(/[^\w.\[\]-]/g, '').slice(0, 80),
      problem: problem === undefined ? undefined : problem.replace(/[\u0000-\u001f]/g, ' ').slice(0, 200),
    };
  }
  return {};
}
