// The simulator's hostile fault kinds: what a broken or malicious server (or CDN) sends to exhaust or mislead a
// client. Unlike the transient kinds in server.ts, a client is expected to refuse these, not to retry through
// them, so they are not part of a fault mix. Every body here is generated while it is sent, with
// backpressure, and never held in memory: a 1 GB or endless body costs the simulator nothing.
import type * as http from 'http';
import { Readable, Transform, pipeline } from 'stream';
import * as zlib from 'zlib';

export const HOSTILE_FAULT_KINDS = [
  /**
   * A body of `bytes` bytes (default: endless) on any route, generated while it streams: JSON routes get a
   * job-shaped JSON head padded with "a"s, the image route a PNG signature padded with zeros. Sent chunked
   * (no Content-Length) unless `declaredLength` is given, which may lie either way: a small declaration
   * ends the body there for any HTTP parser (Node's reports the rest as an error on the connection), a big
   * one promises more than is sent. `encoding` compresses the
   * body on the fly, so a gzip/deflate/br bomb is `{ kind: 'hugeBody', encoding: 'gzip' }`.
   */
  'hugeBody',
  /** Job and job-list answers carry their result URLs as plain `http://` on a host that is not this machine. */
  'httpResultUrl',
  /** The image route answers 302 to plain http (default: the same path on `http://images.example.invalid`). */
  'redirectToHttp',
  /**
   * The image route answers 302 to https (default: the same path on this simulator's host over https, which it
   * does not speak, so following it fails with a TLS error; point `location` at a TLS server to follow it).
   */
  'redirectToHttps',
  /** The image route answers 302 into a redirect loop: /redirect-loop/0 → /redirect-loop/1 → /redirect-loop/0 … */
  'redirectLoop',
] as const;

export type HostileFaultKind = (typeof HOSTILE_FAULT_KINDS)[number];

/** Parameters of the hostile kinds (on a FaultRule). */
export interface HostileFaultOptions {
  /** hugeBody: body size in bytes before compression; absent = endless. */
  bytes?: number;
  /** hugeBody: the Content-Length to declare (absent = chunked). */
  declaredLength?: number;
  /** hugeBody: compress the body on the fly with this Content-Encoding. */
  encoding?: 'gzip' | 'deflate' | 'br';
  /** redirectToHttp / redirectToHttps: where the redirect points instead of the default. */
  location?: string;
}

/** Where the httpResultUrl fault moves result files: plain http, and not this machine (never resolves). */
export const FOREIGN_HTTP_ORIGIN = 'http://images.example.invalid';
export const REDIRECT_LOOP_PREFIX = '/redirect-loop/';

/** What the hostile bodies have done so far, for tests that check a client hung up at its cap. */
export interface HugeBodyStats {
  /** Bodies still being sent (the client has not hung up yet). */
  open: number;
  /** Bytes written to the wire (after compression), over every hugeBody. */
  bytesSent: number;
}

const CHUNK_BYTES = 64 * 1024;
const JSON_FILL = Buffer.alloc(CHUNK_BYTES, 'a');
const IMAGE_FILL = Buffer.alloc(CHUNK_BYTES, 0);
// A PNG signature and the start of an IHDR chunk for 2048 × 2048: looks like the real thing until the end.
const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d4948445200000800000008000806000000', 'hex');

/** `head` followed by `fill` until `total` bytes (or forever), produced only as fast as it is read. */
function generated(head: Buffer, fill: Buffer, total: number | undefined): Readable {
  let produced = 0;
  return new Readable({
    read() {
      if (produced === 0) {
        produced = head.length;
        this.push(head);
        return;
      }
      const size = total === undefined ? fill.length : Math.min(fill.length, total - produced);
      if (size <= 0) {
        this.push(null);
        return;
      }
      produced += size;
      this.push(size === fill.length ? fill : fill.subarray(0, size));
    },
  });
}

function compressor(encoding: HostileFaultOptions['encoding']): Transform | undefined {
  if (encoding === 'gzip') return zlib.createGzip();
  if (encoding === 'deflate') return zlib.createDeflate();
  if (encoding === 'br') return zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
  return undefined;
}

/** HTTP/1.1 chunked framing, written by hand because the response is written straight to the socket. */
function chunkedFraming(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    },
    flush(callback) {
      callback(null, Buffer.from('0\r\n\r\n'));
    },
  });
}

export class HostileResponder {
  private open = 0;
  private bytesSent = 0;

  stats(): HugeBodyStats {
    return { open: this.open, bytesSent: this.bytesSent };
  }

  /**
   * Writes the response straight to the socket (Node's own response object refuses a Content-Length that
   * lies) and closes the connection after it, or when the client hangs up.
   */
  hugeBody(req: http.IncomingMessage, isImage: boolean, options: HostileFaultOptions): void {
    const socket = req.socket;
    const head = isImage ? PNG_HEAD : Buffer.from('{"id":"8c1f3a52-9b4e-4c7d-a1e2-f3b4c5d6e7f8","status":"PROCESSING","progress":1,"padding":"');
    const headers = [
      'HTTP/1.1 200 OK',
      `Content-Type: ${isImage ? 'image/png' : 'application/json; charset=utf-8'}`,
      'Connection: close',
      options.encoding ? `Content-Encoding: ${options.encoding}` : undefined,
      options.declaredLength !== undefined ? `Content-Length: ${options.declaredLength}` : 'Transfer-Encoding: chunked',
    ].filter((line) => line !== undefined);
    const stages: NodeJS.ReadWriteStream[] = [];
    const compress = compressor(options.encoding);
    if (compress) stages.push(compress);
    if (options.declaredLength === undefined) stages.push(chunkedFraming());
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.bytesSent += chunk.length;
        callback(null, chunk);
      },
    });
    this.open++;
    socket.write(`${headers.join('\r\n')}\r\n\r\n`);
    pipeline([generated(head, isImage ? IMAGE_FILL : JSON_FILL, options.bytes), ...stages, counter, socket], () => {
      this.open--;
      socket.destroy();
    });
  }

  /** A 302 to `location` that closes the connection (its body, if any, is never read). */
  redirectTo(res: http.ServerResponse, location: string): void {
    res.writeHead(302, { Location: location, 'Content-Length': 0, Connection: 'close' });
    res.end();
  }

  /** The next hop of the redirect loop: 0 → 1 → 0 … */
  redirectLoop(res: http.ServerResponse, path: string): void {
    const hop = path.slice(REDIRECT_LOOP_PREFIX.length) === '0' ? 1 : 0;
    this.redirectTo(res, `${REDIRECT_LOOP_PREFIX}${hop}`);
  }
}

/** A job (or job list) reply whose result URLs on `selfUrl` now point at FOREIGN_HTTP_ORIGIN. */
export function withForeignHttpResultUrls(body: Buffer, selfUrl: string): Buffer {
  return Buffer.from(body.toString('utf8').split(`${selfUrl}/files/`).join(`${FOREIGN_HTTP_ORIGIN}/files/`));
}
