// Where Flux Studio may connect. The API host receives the user's key, so only https is accepted, except
// plain http to this machine (the local simulator, a proxy on loopback). Result images come from links the
// API hands out; they follow the same rule, with plain http only while the API itself is on this machine.

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export type BaseUrlCheck = { ok: true; url: string } | { ok: false; reason: 'invalid' | 'insecure' };

export function checkApiBaseUrl(value: unknown): BaseUrlCheck {
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, reason: 'invalid' };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  // A bare "?" or "#" leaves url.search/hash empty but would still break every request path.
  if (url.username || url.password || /[?#]/.test(value)) return { ok: false, reason: 'invalid' };
  if (url.protocol === 'https:') return { ok: true, url: url.toString().replace(/\/+$/, '') };
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return { ok: true, url: url.toString().replace(/\/+$/, '') };
  return { ok: false, reason: url.protocol === 'http:' ? 'insecure' : 'invalid' };
}

export type ResultUrlCheck = { ok: true; url: string } | { ok: false; reason: 'invalid' | 'insecure' };

/**
 * Whether a result image link, or a redirect on the way to it, may be fetched: https anywhere; plain http
 * only to this machine and only while `apiBaseUrl` is on this machine too (the local simulator serves its
 * own images). Never a link with a user name or password in it.
 */
export function checkResultUrl(value: string, apiBaseUrl: string): ResultUrlCheck {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.username || url.password || (url.protocol !== 'https:' && url.protocol !== 'http:')) return { ok: false, reason: 'invalid' };
  if (url.protocol === 'https:' || (isLoopbackHost(url.hostname) && isLoopbackHost(hostnameOf(apiBaseUrl)))) return { ok: true, url: url.href };
  return { ok: false, reason: 'insecure' };
}

function hostnameOf(value: string): string {
  try {
    return new URL(value).hostname;
  } catch {
    return '';
  }
}

/** A URL as it may appear in the log: scheme, host and path, without credentials, query or fragment (which may carry tokens). */
export function urlForLog(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname}`.slice(0, 200);
  } catch {
    return '(not a URL)';
  }
}
