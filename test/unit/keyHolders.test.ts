// Which windows hold an API key: a marker per live window (host and pid only), gone when withdrawn or when
// its process is gone.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { processStartTime } from '../../src/gallery/files';
import { KeyHolders } from '../../src/jobs/keyHolders';
import { deadPid } from '../support/storeFixtures';

describe('key holders', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-keyholders-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a window's own marker does not count; another live window's does, until it withdraws", async () => {
    const mine = new KeyHolders(dir);
    await mine.announce();
    assert.strictEqual(await mine.othersHaveKey(), false, 'only this window');
    // Another live process (the parent of this test process stands in for another window).
    fs.writeFileSync(path.join(dir, `${process.ppid}.json`), JSON.stringify({ host: os.hostname(), pid: process.ppid }));
    assert.strictEqual(await mine.othersHaveKey(), true);
    fs.rmSync(path.join(dir, `${process.ppid}.json`));
    assert.strictEqual(await mine.othersHaveKey(), false);
    await mine.withdraw();
    assert.deepStrictEqual(fs.readdirSync(dir), []);
  });

  it('the marker of a window whose process is gone, or a damaged marker, counts for nothing; no key material is written', async () => {
    const pid = await deadPid();
    fs.writeFileSync(path.join(dir, `${pid}.json`), JSON.stringify({ host: os.hostname(), pid }));
    fs.writeFileSync(path.join(dir, '4242.json'), '{ not json');
    const mine = new KeyHolders(dir);
    assert.strictEqual(await mine.othersHaveKey(), false);
    await mine.announce();
    const own = JSON.parse(fs.readFileSync(path.join(dir, `${process.pid}.json`), 'utf8'));
    assert.deepStrictEqual(Object.keys(own).sort(), ['host', 'pid', 'started'], 'host, pid and process start time only');
  });

  it('a marker whose pid now belongs to a process started at another time (pid reuse) counts for nothing', async () => {
    const started = processStartTime(process.ppid);
    assert.ok(started, 'this system tells process start times (/proc)');
    const marker = (start: string) => fs.writeFileSync(path.join(dir, `${process.ppid}.json`), JSON.stringify({ host: os.hostname(), pid: process.ppid, started: start }));
    const mine = new KeyHolders(dir);
    marker(started);
    assert.strictEqual(await mine.othersHaveKey(), true, 'the same process');
    marker(String(Number(started) + 1));
    assert.strictEqual(await mine.othersHaveKey(), false, 'the pid was reused');
  });

  it('no folder yet: nobody has a key', async () => {
    assert.strictEqual(await new KeyHolders(path.join(dir, 'missing')).othersHaveKey(), false);
  });
});
