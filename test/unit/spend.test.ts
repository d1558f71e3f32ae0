// The daily spending ledger: reservations within the limit, a raised limit for today only, refunds of failed
// jobs once, a new day, damaged files — and two real processes that cannot both take the last credits.
import * as assert from 'assert';
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDay, SpendLedger } from '../../src/jobs/spend';

const WORKER = path.resolve(__dirname, '..', 'support', 'spendWorker.js');
const NOON = new Date(2026, 11, 5, 12).getTime();
const DAY_MS = 24 * 3600_000;

describe('spending ledger', () => {
  let dir: string;
  let now: number;
  let ledger: SpendLedger;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-spend-'));
    now = NOON;
    ledger = new SpendLedger(dir, () => now);
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reserves up to the limit and refuses what would pass it, saying what was spent', async () => {
    assert.strictEqual((await ledger.reserve(18, 30)).ok, true);
    assert.strictEqual((await ledger.reserve(12, 30)).ok, true);
    const refused = await ledger.reserve(6, 30);
    assert.deepStrictEqual(refused, { ok: false, day: { spent: 30 }, limit: 30 });
    assert.deepStrictEqual(await ledger.today(), { spent: 30 });
  });

  it('a limit of 0 means no limit, and the spending is still counted', async () => {
    for (let i = 0; i < 10; i++) assert.strictEqual((await ledger.reserve(24, 0)).ok, true);
    assert.deepStrictEqual(await ledger.today(), { spent: 240 });
  });

  it('credits reserved for images never sent are released on the day they were reserved, never below zero', async () => {
    await ledger.reserve(24, 30);
    now += DAY_MS / 2 + 1; // past midnight: the release still belongs to the day of the reservation
    await ledger.reserve(6, 30);
    assert.deepStrictEqual(await ledger.release(18, NOON), { spent: 6 });
    assert.strictEqual((await ledger.reserve(24, 30)).ok, true, 'today is untouched by yesterday’s release');
    assert.deepStrictEqual(await ledger.release(100, NOON), { spent: 0 });
    now = NOON;
    assert.deepStrictEqual(await ledger.today(), { spent: 0 });
    assert.strictEqual((await ledger.reserve(30, 30)).ok, true, 'the released credits can be spent again');
  });

  it("raising today's limit lets more through today only, and never lowers it", async () => {
    await ledger.reserve(30, 30);
    await ledger.raiseToday(60);
    await ledger.raiseToday(40);
    assert.strictEqual((await ledger.reserve(30, 30)).ok, true);
    assert.deepStrictEqual(await ledger.reserve(6, 30), { ok: false, day: { spent: 60, raisedLimit: 60 }, limit: 60 });
    now += DAY_MS;
    assert.deepStrictEqual(await ledger.today(), { spent: 0 }, 'a new day starts empty with the setting’s limit');
    assert.strictEqual((await ledger.reserve(36, 30)).ok, false);
  });

  it('a failed job is refunded once, on the day it started, and a refund never makes the spending negative', async () => {
    await ledger.reserve(12, 30);
    assert.strictEqual(await ledger.refund('job-1', 6, now), true);
    assert.strictEqual(await ledger.refund('job-1', 6, now), false, 'the same job is refunded once');
    assert.deepStrictEqual(await ledger.today(), { spent: 6 });
    await ledger.refund('job-2', 6, now);
    await ledger.refund('job-3', 6, now);
    assert.deepStrictEqual(await ledger.today(), { spent: 0 });
    const yesterday = now;
    now += DAY_MS;
    await ledger.reserve(6, 30);
    assert.strictEqual(await ledger.refund('job-4', 6, yesterday), false, 'nothing left to refund yesterday');
    assert.deepStrictEqual(await ledger.today(), { spent: 6 });
  });

  it('keeps a week of day files', async () => {
    for (let day = 0; day < 10; day++, now += DAY_MS) await ledger.reserve(6, 0);
    assert.strictEqual(fs.readdirSync(dir).filter((name) => name.endsWith('.json')).length, 7);
  });

  it('survives a reload: a new ledger on the same folder sees the same day', async () => {
    await ledger.reserve(18, 30);
    assert.deepStrictEqual(await new SpendLedger(dir, () => now).today(), { spent: 18 });
  });

  it('reads damaged or hostile day files as values it can trust', () => {
    assert.deepStrictEqual(parseDay('{"reserved":'), { reserved: 0, refunds: {} });
    assert.deepStrictEqual(parseDay('[1,2]'), { reserved: 0, refunds: {} });
    assert.deepStrictEqual(parseDay('{"reserved":-5,"refunds":{"a":"6","b":6,"__proto__":3},"raisedLimit":1e999}'), { reserved: 0, refunds: { b: 6 } });
  });

  it('two processes reserving at once never pass the limit together', async function () {
    this.timeout(30_000);
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const child = fork(WORKER, [dir, '20', '6', '60'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        child.on('message', (message: { granted?: number; error?: string }) => (message.error ? reject(new Error(message.error)) : resolve(message.granted ?? -1)));
        child.on('error', reject);
      });
    const granted = await Promise.all([run(), run()]);
    assert.strictEqual(granted[0] + granted[1], 10, `granted ${granted.join(' + ')}`);
    assert.deepStrictEqual(await new SpendLedger(dir).today(), { spent: 60 });
    assert.deepStrictEqual(fs.readdirSync(dir).filter((name) => /\.(tmp|lock|break)$/.test(name)), []);
  });
});
