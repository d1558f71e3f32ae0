// A local https server standing in for an image CDN, so tests can follow a redirect to https for real.
// Its certificate is self-signed for 127.0.0.1 and localhost and valid from 2000 to 2126; the key below protects
// nothing but this test server (it is NOT a secret). Tests trust the certificate for the process with
// trustTestCdn(), which adds it to the default https agent that node-fetch uses.
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';

const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcJ4xeRNnJel/dv9M
f+a2YOJO8OAQiaASaDAnWCz7zOqhRANCAASMyBhQ2A/HeX33REMxPIOhXrNrMpEA
V8zI2Pj8wc3X8Ks8xOn9seP2LK+hHl65tUS/ahwX4RialhBXTN0h6ZCy
-----END PRIVATE KEY-----
`;

const CERT = `-----BEGIN CERTIFICATE-----
MIIBmjCCAUGgAwIBAgIBATAKBggqhkjOPQQDAjAuMSwwKgYDVQQDDCNGbHV4IFN0
dWRpbyB0ZXN0IENETiAobm90IGEgc2VjcmV0KTAgFw0wMDAxMDEwMDAwMDBaGA8y
MTI2MDEwMTAwMDAwMFowLjEsMCoGA1UEAwwjRmx1eCBTdHVkaW8gdGVzdCBDRE4g
KG5vdCBhIHNlY3JldCkwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASMyBhQ2A/H
eX33REMxPIOhXrNrMpEAV8zI2Pj8wc3X8Ks8xOn9seP2LK+hHl65tUS/ahwX4Ria
lhBXTN0h6ZCyo04wTDAPBgNVHRMBAf8EBTADAQH/MBoGA1UdEQQTMBGHBH8AAAGC
CWxvY2FsaG9zdDAdBgNVHQ4EFgQU2Yc1MkSdyxA0qhkdWEbexQtasTwwCgYIKoZI
zj0EAwIDRwAwRAIgDQAhFdBgYVPV6W97Aasn2/5d7DNJWvC8h+gVMe4NCnwCIA8T
gSJqfXlLLjoWYVNumqst5YOx8gUfbnv5G9X+966C
-----END CERTIFICATE-----
`;

export interface TestCdn {
  /** https://127.0.0.1:<port> */
  url: string;
  /** Every request it got, with its headers. */
  seen: Array<{ url: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** Makes this process trust the test CDN's certificate (for node-fetch's default agent). */
export function trustTestCdn(): void {
  https.globalAgent.options.ca = CERT;
}

/** Serves `body` as `contentType` for every GET. */
export async function startTestCdn(body: Buffer, contentType: string): Promise<TestCdn> {
  const seen: TestCdn['seen'] = [];
  const server = https.createServer({ key: KEY, cert: CERT }, (req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
