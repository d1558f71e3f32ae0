// Opens a result image as a capped stream. The link comes from the API, so it is checked like anything
// from outside: https only (see checkResultUrl), redirects followed by hand and checked hop by hop, never
// with the key, and the body cut off at MAX_IMAGE_BYTES — refused at once when Content-Length says so.
import { Readable, pipeline } from 'stream';
import { checkResultUrl, urlForLog } from './baseUrl';
import { MAX_IMAGE_BYTES } from '../shared/media';
import { byteCap, declaredLength } from './bodyCaps';
import { ApiError, errorForStatus } from './errors';
import { Exchange, RequestRecord, isRedirect, send } from './http';

/** Redirects followed from a result link before giving up (CDNs use one or two). */
export const MAX_IMAGE_REDIRECTS = 5;
/** A whole result image (about 4 MP) must arrive within this. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

export interface ImageResponse {
  body: NodeJS.ReadableStream;
  /** The declared length of the decoded body (absent when unknown or when the body was compressed). */
  contentLength?: number;
  contentType?: string;
}

export interface ResultImageOptions {
  apiBaseUrl: string;
  /** Limit for the headers, and for each silence inside the body. */
  timeoutMs: number;
  signal?: AbortSignal;
  onRequest?: (record: RequestRecord) => void;
  /** Told why a link was refused, in one line fit for the log (no query string, no credentials). */
  onRefusedUrl?: (explanation: string) => void;
}

type Refusal = 'insecure' | 'invalid' | 'redirects';

const REFUSAL_REASONS: Record<Refusal, string> = {
  insecure: 'it is plain http, not https',
  invalid: 'it is not an http(s) link Flux Studio can open',
  redirects: `it redirected more than ${MAX_IMAGE_REDIRECTS} times`,
};

/** The caller owns the returned stream (and must consume or destroy it). */
export async function openResultImage(url: string, options: ResultImageOptions): Promise<ImageResponse> {
  let target = url;
  for (let redirects = 0; ; redirects++) {
    const checked = checkResultUrl(target, options.apiBaseUrl);
    if (!checked.ok) throw refuse(target, checked.reason, redirects > 0, options);
    const exchange = await send(checked.url, {
      method: 'GET',
      headers: { Accept: 'image/*' },
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      onRequest: options.onRequest,
    });
    if (!isRedirect(exchange.response.status)) return openBody(exchange, options.timeoutMs);
    exchange.abort();
    exchange.release();
    const location = exchange.response.headers.get('location');
    if (!location) throw refuse('', 'invalid', true, options);
    if (redirects >= MAX_IMAGE_REDIRECTS) throw refuse(target, 'redirects', true, options);
    target = resolveLocation(location, checked.url);
  }
}

function resolveLocation(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function refuse(url: string, reason: Refusal, redirected: boolean, options: ResultImageOptions): ApiError {
  const what = redirected ? 'a redirect from the image link' : 'the image link';
  options.onRefusedUrl?.(`refused ${what} ${urlForLog(url)}: ${REFUSAL_REASONS[reason]}`);
  return new ApiError(
    'refusedUrl',
    `Flux Studio did not download the image because ${what} from Apiframe was refused: ${REFUSAL_REASONS[reason]}. The job is kept: retry later, and tell Apiframe if it happens again.`,
  );
}

function tooLarge(): ApiError {
  const megabytes = MAX_IMAGE_BYTES / (1024 * 1024);
  return new ApiError(
    'tooLarge',
    `The image Apiframe sent is larger than ${megabytes} MB, far more than a Flux image can be, so it was not saved. The job is kept: retry later, and tell Apiframe if it happens again.`,
    { limitBytes: MAX_IMAGE_BYTES },
  );
}

/**
 * Hands out the body behind a guard: it counts and caps the bytes, ends the download on a silence longer
 * than `idleMs` or after DOWNLOAD_TIMEOUT_MS in all (node-fetch 2 neither ends nor fails a body whose
 * connection dropped before Content-Length), and hangs up whenever the download stops early.
 */
function openBody(exchange: Exchange, idleMs: number): ImageResponse {
  const { response } = exchange;
  exchange.release();
  if (!response.ok) {
    exchange.abort();
    if (response.status === 404 || response.status === 403 || response.status === 410) {
      throw new ApiError('notFound', 'The image link has expired.', { status: response.status });
    }
    throw errorForStatus(response.status, undefined, response.headers.get('retry-after'));
  }
  const length = declaredLength(response.headers);
  if (length !== undefined && length > MAX_IMAGE_BYTES) {
    exchange.abort();
    throw tooLarge();
  }
  const idle = setTimeout(exchange.abort, idleMs);
  const total = setTimeout(exchange.abort, DOWNLOAD_TIMEOUT_MS);
  const guard = byteCap(MAX_IMAGE_BYTES, tooLarge, () => idle.refresh());
  pipeline(response.body as Readable, guard, (error) => {
    clearTimeout(idle);
    clearTimeout(total);
    if (error) exchange.abort();
  });
  // Content-Length counts the encoded bytes; only an unencoded length can be checked against what arrives.
  const encoded = response.headers.get('content-encoding') !== null;
  return {
    body: guard,
    contentLength: !encoded && length !== undefined && length > 0 ? length : undefined,
    contentType: response.headers.get('content-type') ?? undefined,
  };
}
