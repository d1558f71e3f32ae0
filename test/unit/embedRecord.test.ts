// "The prompt lives in the file", through the real engine, client and store against the simulator: every
// stored result carries its generation record (read back by us and by exiftool) before its entry is
// `completed`, imports too; with the setting off the file is exactly what the server sent; and a record
// that cannot be written never costs the paid image.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { ApiframeClient } from '../../src/api/client';
import { GalleryStore } from '../../src/gallery/store';
import { JobEngine } from '../../src/jobs/engine';
import { importFromAccount } from '../../src/jobs/import';
import { DEFAULT_SCHEDULE, DurationModel, scaleSchedule } from '../../src/jobs/schedule';
import { readMetadata, type GenerationRecord } from '../../src/metadata';
import type { GalleryEntry } from '../../src/shared/entry';
import type { Log } from '../../src/shared/log';
import { MODEL_ID, type GenerationOptions } from '../../src/shared/options';
import { FakeApi } from '../support/fakeApi';
import { FakeClock } from '../support/fakeClock';
import { startSimulator, type Simulator } from '../simulator/server';
import { exiftool } from './metadataImages';

const TIME_SCALE = 0.005;
const VERSION = '1.2.3';

function recordingLog(): Log & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => undefined, warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(message) };
}

describe('the engine writes the generation record into every stored image', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let client: ApiframeClient;
  let dir: string;
  let store: GalleryStore;
  let engine: JobEngine;
  let embed: boolean;
  const log = recordingLog();

  before(async () => {
    sim = await startSimulator({ timeScale: TIME_SCALE, seed: 7 });
    client = new ApiframeClient({ baseUrl: sim.url, getApiKey: async () => 'afk_test_key' });
  });

  beforeEach(async () => {
    embed = true;
    log.warnings.length = 0;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-embed-'));
    store = new GalleryStore(dir, { watch: false });
    await store.load();
    engine = new JobEngine({
      api: client,
      store,
      durations: new DurationModel(),
      schedule: scaleSchedule(DEFAULT_SCHEDULE, TIME_SCALE),
      log,
      metadata: { enabled: () => embed, appVersion: VERSION },
    });
  });

  afterEach(async () => {
    await engine.dispose();
    store.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  after(async () => {
    await sim.close();
  });

  /** Generates and returns the settled entry, plus what the record looked like the moment the entry became completed. */
  async function generate(options: GenerationOptions): Promise<{ entry: GalleryEntry; atCompletion: Promise<GenerationRecord | undefined> }> {
    let atCompletion: Promise<GenerationRecord | undefined> | undefined;
    let id: string | undefined;
    const subscription = store.onDidChange((change) => {
      const done = change.kind === 'upsert' && change.entry.id === id && change.entry.state === 'completed';
      if (done && !atCompletion) atCompletion = readMetadata(store.imagePath(change.entry.imageFile!));
    });
    const started = await engine.start(options);
    id = started.id;
    const entry = (await engine.whenSettled(started.id))!;
    subscription.dispose();
    assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
    return { entry, atCompletion: atCompletion! };
  }

  /** The result image exactly as the simulator serves it. */
  async function served(entry: GalleryEntry): Promise<Buffer> {
    const job = await client.getJob(entry.jobId!);
    const response = await client.fetchImage(job.imageUrls[0]);
    const parts: Buffer[] = [];
    for await (const chunk of response.body) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts);
  }

  it('JPEG, PNG and WebP results carry prompt, model, the seed we sent and the job id; exiftool prints them; the pixels are the served ones', async () => {
    const formats = ['jpg', 'png', 'webp'] as const;
    const results = await Promise.all(
      formats.map((outputFormat, index) =>
        generate({ prompt: `A lighthouse at dusk, ${outputFormat}`, aspectRatio: '1:1', outputFormat, outputQuality: 60, raw: index === 1, seed: 1000 + index }),
      ),
    );
    const files = results.map(({ entry }) => store.imagePath(entry.imageFile!));
    const reports = await exiftool(files);
    for (const [index, { entry, atCompletion }] of results.entries()) {
      const record = await atCompletion;
      assert.ok(record, `${formats[index]}: the record is in the file when the entry becomes completed`);
      assert.strictEqual(record.prompt, entry.options.prompt);
      assert.strictEqual(record.model, MODEL_ID);
      assert.strictEqual(record.seed, 1000 + index);
      assert.strictEqual(record.jobId, entry.jobId);
      assert.strictEqual(record.raw, index === 1);
      assert.deepStrictEqual(await readMetadata(files[index]), record);
      assert.strictEqual(reports[index]['XMP-dc:Description'], entry.options.prompt);
      assert.strictEqual(reports[index]['XMP-fluxstudio:Model'], MODEL_ID);
      assert.strictEqual(reports[index]['XMP-xmp:CreatorTool'], `Flux Studio ${VERSION}`);
      assert.strictEqual(entry.byteSize, (await fs.stat(files[index])).size, 'byteSize is the size of the file with its record');
      const original = await served(entry);
      assert.ok(entry.byteSize! > original.length);
      assert.ok((await sharp(files[index]).raw().toBuffer()).equals(await sharp(original).raw().toBuffer()), `${formats[index]}: same pixels`);
    }
    assert.deepStrictEqual(log.warnings, []);
  });

  it('with fluxStudio.embedMetadata off, the stored file is byte for byte what Apiframe sent', async () => {
    embed = false;
    const { entry, atCompletion } = await generate({ prompt: 'A lighthouse, no record', aspectRatio: '16:9', outputFormat: 'jpg', outputQuality: 60, raw: false, seed: 5 });
    assert.strictEqual(await atCompletion, undefined);
    const stored = await fs.readFile(store.imagePath(entry.imageFile!));
    assert.ok(stored.equals(await served(entry)));
    assert.strictEqual(entry.byteSize, stored.length);
  });

  it('Import from account fills the record too, with the prompt and seed the job was made with', async () => {
    const jobId = await client.submit({ prompt: 'Made on another machine', aspectRatio: '4:3', outputFormat: 'png', outputQuality: 90, raw: false, seed: 31337 }, { idempotencyKey: 'other-machine-1' });
    for (let job = await client.getJob(jobId); job.status !== 'COMPLETED'; job = await client.getJob(jobId)) await new Promise((r) => setTimeout(r, 20));
    const summary = await importFromAccount({ api: client, engine, findByJobId: (id) => store.findByJobId(id) });
    assert.ok(summary.imported >= 1, JSON.stringify(summary));
    const entry = store.findByJobId(jobId)!;
    const record = await readMetadata(store.imagePath(entry.imageFile!));
    assert.deepStrictEqual([record?.prompt, record?.seed, record?.aspectRatio, record?.jobId], ['Made on another machine', 31337, '4:3', jobId]);
  });
});

describe('a record that cannot be written keeps the paid image', () => {
  it('a result the metadata writer cannot parse is stored exactly as downloaded, completed, with a warning', async () => {
    const valid = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toBuffer();
    // Signature, header and trailer intact (the download check passes), but the IDAT chunk claims to run past the end.
    const idat = valid.indexOf('IDAT') - 4;
    const broken = Buffer.from(valid);
    broken.writeUInt32BE(0x7fff_0000, idat);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flux-embed-fail-'));
    const clock = new FakeClock();
    const store = new GalleryStore(dir, { watch: false });
    await store.load();
    const log = recordingLog();
    const engine = new JobEngine({ api: new FakeApi(clock, broken), store, durations: new DurationModel(), clock, log, metadata: { enabled: () => true, appVersion: VERSION } });
    try {
      const started = await engine.start({ prompt: 'a paid image', aspectRatio: '1:1', outputFormat: 'png', outputQuality: 90, raw: false, seed: 1 });
      const entry = (await clock.runUntil(engine.whenSettled(started.id)))!;
      assert.strictEqual(entry.state, 'completed', JSON.stringify(entry.reason));
      const stored = await fs.readFile(store.imagePath(entry.imageFile!));
      assert.ok(stored.equals(broken), 'the file is exactly what was downloaded');
      assert.strictEqual(entry.byteSize, broken.length);
      assert.match(log.warnings.join('\n'), /generation record was not written.*kept as downloaded/);
      assert.deepStrictEqual((await fs.readdir(store.imagesDir)).sort(), [entry.imageFile], 'no temporary file left behind');
    } finally {
      await clock.runUntil(engine.dispose());
      store.dispose();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
