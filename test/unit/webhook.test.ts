// verifyWebhookSignature: against hand-computed vectors (Python hmac/hashlib), the simulator's signer, and a
// real signed delivery from the simulator; every malformed or hostile header is refused without throwing.
import * as assert from 'assert';
import { createHash, createHmac } from 'crypto';
import * as http from 'http';
import { ApiframeClient } from '../../src/api/client';
import { verifyWebhookSignature, webhookSignatureFor } from '../support/webhookSignature';
import { startSimulator, webhookSignature, type Simulator } from '../simulator/server';

const KEY = 'afk_test_key';
const BODY = '{"event":"completed","jobId":"8c1f3a52-9b4e-4c7d-a1e2-f3b4c5d6e7f8","status":"COMPLETED"}';
// python3: hmac.new(hashlib.sha256(b'afk_test_key').digest(), BODY, hashlib.sha256).hexdigest()
const BODY_SIGNATURE = 'sha256=7110ada5e35d695b60bd42cbef10fa1ec115d25c4f06f86d2f00eb3224e6dc9a';
// python3: hmac.new(hashlib.sha256('afk_ключ_🔑'.encode()).digest(), b'', hashlib.sha256).hexdigest()
const UNICODE_KEY = 'afk_ключ_🔑';
const EMPTY_BODY_SIGNATURE = 'sha256=270dfe5b00ee1894b4b3cbc8420c0358464dab9bc777768f6ef8492de51af888';

describe('verifyWebhookSignature', () => {
  it('accepts the hand-computed vectors (string and Buffer bodies, upper-case hex, surrounding spaces)', () => {
    assert.strictEqual(webhookSignatureFor(BODY, KEY), BODY_SIGNATURE);
    assert.strictEqual(verifyWebhookSignature(BODY, BODY_SIGNATURE, KEY), true);
    assert.strictEqual(verifyWebhookSignature(Buffer.from(BODY), BODY_SIGNATURE, KEY), true);
    assert.strictEqual(verifyWebhookSignature(BODY, `sha256=${BODY_SIGNATURE.slice(7).toUpperCase()}`, KEY), true);
    assert.strictEqual(verifyWebhookSignature(BODY, `  ${BODY_SIGNATURE} `, KEY), true);
    assert.strictEqual(verifyWebhookSignature('', EMPTY_BODY_SIGNATURE, UNICODE_KEY), true);
    assert.strictEqual(verifyWebhookSignature(Buffer.alloc(0), EMPTY_BODY_SIGNATURE, UNICODE_KEY), true);
  });

  it('agrees with the simulator\'s signer on random bodies and keys', () => {
    for (let i = 0; i < 200; i++) {
      const key = `afk_${createHash('sha256').update(String(i)).digest('base64url').slice(0, 10 + (i % 30))}`;
      const body = Buffer.from(Array.from({ length: i * 7 }, (_, j) => (i * 31 + j * 17) & 0xff));
      const header = webhookSignature(key, body);
      assert.strictEqual(verifyWebhookSignature(body, header, key), true);
      assert.strictEqual(webhookSignatureFor(body, key), header);
      assert.strictEqual(verifyWebhookSignature(body, header, `${key}x`), false, 'another key');
      if (body.length) {
        const tampered = Buffer.from(body);
        tampered[i % body.length] ^= 1;
        assert.strictEqual(verifyWebhookSignature(tampered, header, key), false, 'one flipped bit');
      }
    }
  });

  it('is keyed with the raw SHA-256 digest of the key, not its hex string nor the key itself', () => {
    const hexKeyed = createHmac('sha256', createHash('sha256').update(KEY).digest('hex')).update(BODY).digest('hex');
    const plainKeyed = createHmac('sha256', KEY).update(BODY).digest('hex');
    const bareSha = createHash('sha256').update(BODY).digest('hex');
    for (const hex of [hexKeyed, plainKeyed, bareSha]) assert.strictEqual(verifyWebhookSignature(BODY, `sha256=${hex}`, KEY), false);
  });

  it('refuses missing, malformed, truncated, padded or repeated headers without throwing', () => {
    const hex = BODY_SIGNATURE.slice(7);
    const bad: unknown[] = [
      undefined,
      null,
      '',
      ' ',
      hex,
      'sha256=',
      'sha256',
      `sha1=${hex}`,
      `SHA256=${hex}x`,
      `sha256:${hex}`,
      `sha256 =${hex}`,
      `sha256=${hex.slice(0, 63)}`,
      `sha256=${hex}0`,
      `sha256=${hex}00`,
      `sha256=${hex.slice(0, 62)}zz`,
      `sha256=${hex},sha256=${hex}`,
      `sha256=${hex}\nsha256=${hex}`,
      `sha256=${'0'.repeat(64)}`,
      `sha256=${Buffer.from(hex, 'hex').toString('base64')}`,
      'sha256=' + 'a'.repeat(100_000),
      `sha256=${hex}\u0000`,
      ['sha256=' + hex],
      42,
      { toString: () => BODY_SIGNATURE },
    ];
    for (const header of bad) {
      assert.strictEqual(verifyWebhookSignature(BODY, header as string, KEY), false, `header ${JSON.stringify(header)?.slice(0, 80)}`);
    }
  });

  it('refuses when the key is missing or the body is not a string or Buffer', () => {
    assert.strictEqual(verifyWebhookSignature(BODY, BODY_SIGNATURE, ''), false);
    assert.strictEqual(verifyWebhookSignature(BODY, BODY_SIGNATURE, undefined as unknown as string), false);
    assert.strictEqual(verifyWebhookSignature(JSON.parse(BODY), BODY_SIGNATURE, KEY), false, 'a parsed body is not the raw body');
    assert.strictEqual(verifyWebhookSignature(undefined as unknown as string, BODY_SIGNATURE, KEY), false);
    // Re-serialised JSON (other spacing) is not the raw body either.
    assert.strictEqual(verifyWebhookSignature(JSON.stringify(JSON.parse(BODY), null, 1), BODY_SIGNATURE, KEY), false);
  });

  describe('a real delivery from the simulator', function () {
    this.timeout(10_000);
    let sim: Simulator;
    before(async () => {
      sim = await startSimulator({ timeScale: 0.005, seed: 3 });
    });
    after(async () => {
      await sim?.close();
    });

    it('verifies the raw body of every event the simulator sends (progress, completed) and refuses other keys', async () => {
      const received: Array<{ signature: string | undefined; body: Buffer }> = [];
      const hook = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ signature: req.headers['x-webhook-signature'] as string | undefined, body: Buffer.concat(chunks) });
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
      try {
        const port = (hook.address() as { port: number }).port;
        const client = new ApiframeClient({ baseUrl: sim.url, getApiKey: async () => KEY });
        await client.submit(
          { prompt: 'webhook test', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 80, raw: false, seed: 1, webhookUrl: `http://127.0.0.1:${port}/hook` },
          { idempotencyKey: 'webhook-test-1' },
        );
        for (let i = 0; i < 300 && !received.some((r) => r.body.includes('"completed"')); i++) await new Promise((r) => setTimeout(r, 10));
        assert.ok(received.length >= 2, `${received.length} deliveries`);
        for (const { signature, body } of received) {
          assert.strictEqual(verifyWebhookSignature(body, signature, KEY), true, body.toString());
          assert.strictEqual(verifyWebhookSignature(body, signature, 'afk_other_key'), false);
          assert.strictEqual(verifyWebhookSignature(Buffer.concat([body, Buffer.from(' ')]), signature, KEY), false);
        }
      } finally {
        hook.closeAllConnections();
        await new Promise((resolve) => hook.close(resolve));
      }
    });
  });
});
