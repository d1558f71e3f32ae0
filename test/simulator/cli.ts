// Command-line entry point: `npm run simulator` (or `node out/test/simulator/cli.js --port 4455 --time-scale 0.2`).

import { HOSTILE_FAULT_KINDS } from './hostile';
import { DEFAULT_API_KEY, FAULT_KINDS, startSimulator, type SimulatorOptions } from './server';

function usage(): string {
  return [
    'Usage: node out/test/simulator/cli.js [options]',
    '  --port N              port (default 4455, env SIM_PORT)',
    '  --time-scale X        multiply generation times (default 1, env SIM_TIME_SCALE)',
    '  --seed N              PRNG seed (env SIM_SEED)',
    '  --failure-rate X      fraction of jobs that end FAILED (env SIM_FAILURE_RATE)',
    '  --progress MODEL      informative | silent',
    '  --result-shape SHAPE  string | images | array | rotate',
    '  --credits N           credits of the default key (default 1000)',
    '  --image-style STYLE   placeholder (small files, default) | photo (real-size files: ~2 MB JPEG, ~12 MB PNG)',
    '  --verbose             log one line per request',
    '',
    'Faults are injected while it runs: POST /__sim/faults with {"route":"image","kind":"hugeBody","bytes":1073741824}',
    '(routes: generate, job, jobs, me, upload, image, any). Transient kinds: ' + FAULT_KINDS.join(', ') + '.',
    'Hostile kinds (see test/simulator/hostile.ts): ' + HOSTILE_FAULT_KINDS.join(', ') + '.',
  ].join('\n');
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) out[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[arg.slice(2)] = argv[++i];
    else out[arg.slice(2)] = 'true';
  }
  return out;
}

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(usage());
    return;
  }
  const env = process.env;
  const credits = num(args.credits, '--credits') ?? 1000;
  const options: SimulatorOptions = {
    port: num(args.port ?? env.SIM_PORT, '--port') ?? 4455,
    timeScale: num(args['time-scale'] ?? env.SIM_TIME_SCALE, '--time-scale') ?? 1,
    seed: num(args.seed ?? env.SIM_SEED, '--seed'),
    failureRate: num(args['failure-rate'] ?? env.SIM_FAILURE_RATE, '--failure-rate'),
    progressModel: args.progress === 'silent' ? 'silent' : undefined,
    resultShape: args['result-shape'] as SimulatorOptions['resultShape'],
    imageStyle: args['image-style'] === 'photo' ? 'photo' : undefined,
    apiKeys: { [DEFAULT_API_KEY]: { credits } },
    verbose: args.verbose === 'true' || env.SIM_VERBOSE === '1',
  };
  const sim = await startSimulator(options);
  console.log(`Apiframe simulator listening on ${sim.url} (API key: ${DEFAULT_API_KEY})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (options.verbose) console.log(`Apiframe simulator stopping (${signal})`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Apiframe simulator failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
