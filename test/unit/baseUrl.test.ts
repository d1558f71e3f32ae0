// checkApiBaseUrl: the API host receives the key, so only https — or plain http to this machine — is accepted,
// and nothing that could smuggle credentials, a query or a fragment into the requests.
// checkResultUrl: result images come from links the API hands out: https, or plain http to this machine while
// the API is on this machine too. urlForLog: what of a URL may be written to the log.
import * as assert from 'assert';
import { checkApiBaseUrl, checkResultUrl, urlForLog } from '../../src/api/baseUrl';

describe('checkApiBaseUrl', () => {
  it('accepts https hosts, normalised without a trailing slash', () => {
    const cases: Array<[string, string]> = [
      ['https://api.apiframe.ai', 'https://api.apiframe.ai'],
      ['https://api.apiframe.ai/', 'https://api.apiframe.ai'],
      ['  https://api.apiframe.ai  ', 'https://api.apiframe.ai'],
      ['HTTPS://API.APIFRAME.AI', 'https://api.apiframe.ai'],
      ['https://proxy.example.com:8443/apiframe/', 'https://proxy.example.com:8443/apiframe'],
      ['https://proxy.example.com/a//', 'https://proxy.example.com/a'],
      ['https://10.0.0.5', 'https://10.0.0.5'],
      ['https://[2001:db8::1]:9000', 'https://[2001:db8::1]:9000'],
    ];
    for (const [input, url] of cases) assert.deepStrictEqual(checkApiBaseUrl(input), { ok: true, url }, input);
  });

  it('accepts plain http only for localhost, 127.x.x.x and [::1]', () => {
    for (const input of ['http://localhost', 'http://localhost:8080/', 'http://127.0.0.1:3000', 'http://127.1.2.3', 'http://[::1]:9000', 'http://LOCALHOST:1']) {
      const check = checkApiBaseUrl(input);
      assert.strictEqual(check.ok, true, input);
    }
    assert.deepStrictEqual(checkApiBaseUrl('http://127.0.0.1:3000/'), { ok: true, url: 'http://127.0.0.1:3000' });
  });

  it('refuses plain http anywhere else as insecure', () => {
    const insecure = [
      'http://evil.example',
      'http://api.apiframe.ai',
      'http://10.0.0.1',
      'http://192.168.1.10:8080',
      'http://0.0.0.0',
      'http://localhost.evil.example',
      'http://127.0.0.1.evil.example',
      'http://127.0.0.1.nip.io',
      'http://evil.example:80/v2',
      'http://[::ffff:7f00:1]',
      'http://[::2]',
    ];
    for (const input of insecure) assert.deepStrictEqual(checkApiBaseUrl(input), { ok: false, reason: 'insecure' }, input);
    // Numeric and hex forms of 127.0.0.1 are normalised by the URL parser and really are loopback.
    assert.strictEqual(checkApiBaseUrl('http://2130706433').ok, true);
    assert.strictEqual(checkApiBaseUrl('http://0x7f.1').ok, true);
  });

  it('refuses credentials, queries and fragments (they would travel with every request)', () => {
    for (const input of [
      'https://user:pass@api.apiframe.ai',
      'https://user@api.apiframe.ai',
      'https://:pass@api.apiframe.ai',
      'http://user:pass@localhost:8080',
      'https://api.apiframe.ai?key=1',
      'https://api.apiframe.ai#frag',
      'https://api.apiframe.ai/path?x=y#z',
    ]) {
      assert.deepStrictEqual(checkApiBaseUrl(input), { ok: false, reason: 'invalid' }, input);
    }
  });

  // Regression: an empty query or fragment (`https://host/?`, `https://host#`) has url.search === '' and
  // url.hash === '', so it passed, and the returned URL kept the `?`/`#`: the client appends `/v2/…` after it,
  // which sends every request to `/` (the path ends up in the query string or the dropped fragment).
  it('refuses a bare "?" or "#" too (an empty query or fragment)', () => {
    for (const input of ['https://api.apiframe.ai/?', 'https://api.apiframe.ai?', 'https://api.apiframe.ai#', 'https://api.apiframe.ai/#', 'http://localhost:8080/?#']) {
      const check = checkApiBaseUrl(input);
      assert.ok(!check.ok, `${input} accepted as ${check.ok ? check.url : ''}: requests would go to ${check.ok ? new URL(`${check.url}/v2/me`).href : ''}`);
    }
  });

  it('refuses other schemes and non-URLs', () => {
    for (const input of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/plain,hi',
      'ftp://api.apiframe.ai',
      'ws://localhost:8080',
      'wss://api.apiframe.ai',
      'vscode://flux',
      'api.apiframe.ai',
      '//api.apiframe.ai',
      '/v2',
      'https://',
      'https://exa mple.com',
      '',
      '   ',
      'not a url',
    ]) {
      assert.deepStrictEqual(checkApiBaseUrl(input), { ok: false, reason: 'invalid' }, input);
    }
  });

  it('refuses non-strings', () => {
    for (const input of [undefined, null, 0, 1, true, {}, [], ['https://api.apiframe.ai'], new URL('https://api.apiframe.ai'), () => 'https://x']) {
      assert.deepStrictEqual(checkApiBaseUrl(input), { ok: false, reason: 'invalid' }, String(input));
    }
  });

  it('the accepted URL is exactly what requests are built from (no surprises after normalisation)', () => {
    for (const input of ['https://api.apiframe.ai', 'https://proxy.example.com:8443/apiframe/', 'http://127.0.0.1:3000']) {
      const check = checkApiBaseUrl(input);
      assert.ok(check.ok);
      const request = new URL(`${check.url}/v2/me`);
      assert.ok(request.pathname.endsWith('/v2/me'));
      assert.strictEqual(request.username + request.password + request.search + request.hash, '');
    }
  });
});

describe('checkResultUrl', () => {
  const REAL_API = 'https://api.apiframe.ai';
  const LOCAL_API = 'http://127.0.0.1:4455';

  it('accepts https links from any API base, as the parser normalises them', () => {
    for (const base of [REAL_API, LOCAL_API, 'https://localhost:8443']) {
      for (const [input, url] of [
        ['https://cdn.apiframe.ai/files/a.png?token=x', 'https://cdn.apiframe.ai/files/a.png?token=x'],
        ['HTTPS://CDN.Example/a.jpg', 'https://cdn.example/a.jpg'],
        ['https://127.0.0.1:9/x.webp', 'https://127.0.0.1:9/x.webp'],
        ['https://[2001:db8::1]/x.png', 'https://[2001:db8::1]/x.png'],
      ]) {
        assert.deepStrictEqual(checkResultUrl(input, base), { ok: true, url }, `${input} from ${base}`);
      }
    }
  });

  it('accepts plain http only to this machine, and only while the API base is on this machine', () => {
    for (const base of [LOCAL_API, 'http://localhost:8080', 'http://[::1]:9000', 'https://localhost:8443', 'http://127.9.9.9']) {
      for (const input of ['http://127.0.0.1:4455/files/a.png', 'http://localhost/x.jpg', 'http://[::1]:1/x', 'http://127.1.2.3/x', 'http://0x7f.1/x']) {
        assert.strictEqual(checkResultUrl(input, base).ok, true, `${input} from ${base}`);
      }
    }
    for (const base of [REAL_API, 'https://10.0.0.5', 'http://evil.example', 'not a url', '']) {
      for (const input of ['http://127.0.0.1:4455/files/a.png', 'http://localhost/x.jpg', 'http://[::1]:1/x']) {
        assert.deepStrictEqual(checkResultUrl(input, base), { ok: false, reason: 'insecure' }, `${input} from ${base}`);
      }
    }
  });

  it('refuses plain http to any other host, even with a local API', () => {
    for (const base of [REAL_API, LOCAL_API]) {
      for (const input of [
        'http://cdn.apiframe.ai/files/a.png',
        'http://images.example.invalid/files/a.png',
        'http://10.0.0.1/a.png',
        'http://192.168.1.10:8080/a.png',
        'http://0.0.0.0/a.png',
        'http://localhost.evil.example/a.png',
        'http://127.0.0.1.nip.io/a.png',
        'http://[::ffff:7f00:1]/a.png',
        'HTTP://CDN.EXAMPLE/a.png',
      ]) {
        assert.deepStrictEqual(checkResultUrl(input, base), { ok: false, reason: 'insecure' }, `${input} from ${base}`);
      }
    }
  });

  it('refuses other schemes, links with credentials, relative links and non-URLs', () => {
    for (const input of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      'ftp://cdn.example/a.png',
      'ws://localhost/a.png',
      'vscode://file/x',
      'https://user:pw@cdn.example/a.png',
      'https://user@cdn.example/a.png',
      'http://user:pw@127.0.0.1/a.png',
      '//cdn.example/a.png',
      '/files/a.png',
      'a.png',
      'https://',
      '',
    ]) {
      for (const base of [REAL_API, LOCAL_API]) assert.deepStrictEqual(checkResultUrl(input, base), { ok: false, reason: 'invalid' }, `${input} from ${base}`);
    }
  });
});

describe('urlForLog', () => {
  it('keeps scheme, host and path; drops credentials, query and fragment (tokens live there)', () => {
    assert.strictEqual(urlForLog('https://user:pw@cdn.example:8443/files/a.png?token=SECRET&sig=abc#frag'), 'https://cdn.example:8443/files/a.png');
    assert.strictEqual(urlForLog('http://images.example.invalid/files/x.png?X-Amz-Signature=SECRET'), 'http://images.example.invalid/files/x.png');
    assert.strictEqual(urlForLog('not a url ?token=SECRET'), '(not a URL)');
    assert.ok(urlForLog(`https://cdn.example/${'a'.repeat(1000)}`).length <= 200);
  });
});
