// The API host receives the user's key, so only https is accepted, except plain http to this
// machine (the local simulator, a proxy on loopback).

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

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
  if (url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname))) {
    return { ok: true, url: url.toString().replace(/\/+$/, '') };
  }
  return { ok: false, reason: url.protocol === 'http:' ? 'insecure' : 'invalid' };
}
