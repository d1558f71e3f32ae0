// `node out/test/support/measureCaps.js` (after `npx tsc -p .`; add --expose-gc for steadier numbers): the
// peak resident memory of a process playing the extension host while a 1 GB image body and an endless JSON
// body come in, each until its cap trips. The simulator runs in a child process, as Apiframe would run
// elsewhere, so only the client's memory is measured. The bar: the extension host stays under 300 MB.
import { spawn } from 'child_process';
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiframeClient } from '../../src/api/client';
import { downloadImage } from '../../src/jobs/download';
import type { FaultRule } from '../simulator/server';
import { measurePeakRss, megabytes } from './peakRss';

const PORT = 46_000 + Math.floor(Math.random() * 1_000);
const BASE = `http://127.0.0.1:${PORT}`;

async function main(): Promise<void> {
  const simulator = spawn(process.execPath, [path.join(__dirname, '..', 'simulator', 'cli.js'), '--port', String(PORT), '--time-scale', '0.005'], { stdio: 'ignore' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flux-measure-caps-'));
  try {
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${BASE}/__sim/health`).then(() => true, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const client = new ApiframeClient({ baseUrl: BASE, getApiKey: async () => 'afk_test_key' });
    const id = await client.submit({ prompt: 'measure caps', aspectRatio: '1:1', outputFormat: 'jpg', outputQuality: 60, raw: false, seed: 1 }, { idempotencyKey: 'measure-caps' });
    let job = await client.getJob(id);
    while (job.status !== 'COMPLETED') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      job = await client.getJob(id);
    }
    const inject = (rule: FaultRule) => fetch(`${BASE}/__sim/faults`, { method: 'POST', body: JSON.stringify(rule) });
    const runs: Array<[string, FaultRule, () => Promise<unknown>]> = [
      ['1 GB image body (chunked)', { route: 'image', kind: 'hugeBody', bytes: 2 ** 30 }, () => downloadImage(client, job.imageUrls[0], dir, 'big')],
      ['endless JSON body (chunked)', { route: 'job', kind: 'hugeBody' }, () => client.getJob(id)],
    ];
    for (const [name, rule, run] of runs) {
      (globalThis as { gc?: () => void }).gc?.();
      await inject(rule);
      const started = Date.now();
      const measured = await measurePeakRss(run, 2);
      const outcome = 'error' in measured.outcome ? String((measured.outcome.error as { kind?: string }).kind ?? measured.outcome.error) : 'no error (!)';
      console.log(`${name}: ${outcome} after ${Date.now() - started} ms; peak RSS ${megabytes(measured.peakBytes)}, growth ${megabytes(measured.peakGrowthBytes)}`);
    }
    console.log(`left in the image folder: ${readdirSync(dir).length} files`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    simulator.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
