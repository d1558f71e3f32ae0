// Verifies Apiframe webhook deliveries: `X-Webhook-Signature: sha256=<hex>` is the HMAC-SHA256 of the raw
// request body, keyed with the raw 32-byte SHA-256 digest of the API key (not its hex string).
// What a webhook receiver (a test, a user's own server) runs; the extension itself receives no webhooks.
// Compares in constant time and never throws on hostile input.
import { createHash, createHmac, timingSafeEqual } from 'crypto';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** The header value Apiframe sends for `rawBody` signed with `apiKey`. */
export function webhookSignatureFor(rawBody: Buffer | string, apiKey: string): string {
  const signingKey = createHash('sha256').update(apiKey, 'utf8').digest();
  return `sha256=${createHmac('sha256', signingKey).update(rawBody).digest('hex')}`;
}

/**
 * True only when `signatureHeader` is exactly `sha256=<64 hex digits>` and matches the body. The body must be
 * the bytes as received (before any JSON parsing). False for a missing, malformed or repeated header, a
 * missing key, or anything that is not a string/Buffer.
 */
export function verifyWebhookSignature(rawBody: Buffer | string, signatureHeader: string | undefined, apiKey: string): boolean {
  if (typeof signatureHeader !== 'string' || typeof apiKey !== 'string' || apiKey.length === 0) return false;
  if (typeof rawBody !== 'string' && !Buffer.isBuffer(rawBody)) return false;
  const match = SIGNATURE.exec(signatureHeader.trim());
  if (!match) return false;
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  const expected = Buffer.from(webhookSignatureFor(rawBody, apiKey).slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
