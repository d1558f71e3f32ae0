// downloadImage's own failures, apart from the network: a file-system problem is a StorageError carrying the
// system code (never an ApiError: the API did nothing wrong), and a typed refusal from the client's body guard
// (an image over the size cap) reaches the engine unchanged. Either way nothing is left in the folder.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import sharp from 'sharp';
import type { ApiframeApi, ImageResponse } from '../../src/api/client';
import { ApiError, isApiError } from '../../src/api/errors';
import { StorageError, downloadImage, storageError } from '../../src/jobs/download';

/** Only fetchImage is used by downloadImage. */
function apiServing(response: () => ImageResponse): ApiframeApi {
  const unused = () => Promise.reject(new Error('not used'));
  return { submit: unused, getJob: unused, fetchImage: async () => response() };
}

describe('downloadImage failures', () => {
  let dir: string;
  let png: Buffer;

  before(async () => {
    png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).png().toBuffer();
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-download-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a folder that cannot be written is a StorageError with the system code, not an ApiError', async () => {
    const notAFolder = path.join(dir, 'file');
    await fs.writeFile(notAFolder, 'x');
    const api = apiServing(() => ({ body: Readable.from([png]), contentLength: png.length }));
    const error = await downloadImage(api, 'https://cdn.example/a.png', notAFolder, 'entry').then(
      () => assert.fail('expected a StorageError'),
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof StorageError, String(error));
    assert.ok(!isApiError(error), 'not an API error');
    assert.strictEqual(error.code, 'ENOTDIR');
    assert.strictEqual(error.kind, 'storage');
    assert.match(error.message, /not writable.*the job is kept/);
    assert.deepStrictEqual(await fs.readdir(dir), ['file']);
  });

  it('storageError types the codes that mean "this computer cannot store it", and nothing else', () => {
    const full = storageError(Object.assign(new Error('no space'), { code: 'ENOSPC' }));
    assert.ok(full instanceof StorageError);
    assert.strictEqual(full.code, 'ENOSPC');
    assert.match(full.message, /disk is full \(ENOSPC\)/);
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'EDQUOT', 'EMFILE']) assert.strictEqual(storageError({ code })?.code, code);
    for (const other of [new Error('socket hang up'), { code: 'ECONNRESET' }, undefined, 'ENOSPC']) assert.strictEqual(storageError(other), undefined);
  });

  it('a typed error from the body stream (over the size cap) is passed on unchanged, and the partial file removed', async () => {
    const cap = new ApiError('tooLarge', 'The image Apiframe sent is larger than 64 MB.', { limitBytes: 64 });
    const body = new Readable({
      read() {
        this.push(png.subarray(0, 16));
        this.destroy(cap);
      },
    });
    const error = await downloadImage(apiServing(() => ({ body })), 'https://cdn.example/a.png', dir, 'entry').then(
      () => assert.fail('expected the cap error'),
      (reason: unknown) => reason,
    );
    assert.strictEqual(error, cap);
    assert.deepStrictEqual(await fs.readdir(dir), []);
  });
});
