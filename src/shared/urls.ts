// The one rule for http(s) URLs a user gives us (a reference image, a webhook): the extension host, the
// gallery prompt bar and the settings reader all call it, so they can never disagree. Uses the WHATWG
// URL parser, present in Node and in the webview. Free of Node and DOM-only APIs.

export const URL_MAX_LENGTH = 2048;

export type UrlProblem =
  /** Not an absolute URL, or one with spaces or control characters. */
  | 'notUrl'
  /** Another scheme than http or https. */
  | 'notHttp'
  /** `user:password@` would hand credentials to whoever fetches the URL (and hides the real host). */
  | 'credentials'
  | 'tooLong';

export type UrlCheck = { ok: true; url: string } | { ok: false; problem: UrlProblem };

/**
 * Accepts absolute http(s) URLs with a host — international domain names and underscores included, as
 * browsers and Apiframe's fetcher accept them — and refuses credentials, whitespace and other schemes.
 * The URL is returned as given (trimmed), not re-serialised, so what the user typed is what is sent.
 */
export function checkHttpUrl(value: unknown): UrlCheck {
  if (typeof value !== 'string') return { ok: false, problem: 'notUrl' };
  const text = value.trim();
  if (text.length > URL_MAX_LENGTH) return { ok: false, problem: 'tooLong' };
  if (!text || /[\s\u0000-\u001f\u007f]/.test(text)) return { ok: false, problem: 'notUrl' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'notUrl' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'notHttp' };
  // `http:example.com` and `https:///x` parse with a host too; require the `//host` form people mean.
  if (!url.hostname || !/^https?:\/\/[^/\\]/i.test(text)) return { ok: false, problem: 'notUrl' };
  if (url.username || url.password) return { ok: false, problem: 'credentials' };
  return { ok: true, url: text };
}

export function isHttpUrl(value: unknown): value is string {
  return checkHttpUrl(value).ok;
}
