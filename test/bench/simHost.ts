// Benchmark helper: runs one or more Apiframe simulators in THIS (child) process, so their request
// handling and image encoding never share an event loop or a heap with the code being measured.
// argv[2] = JSON array of SimulatorOptions. Prints one line `{"urls": [...]}` once all listen; stops on SIGTERM
// or when stdin closes (the parent died).
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '[{}]') as SimulatorOptions[];
  const sims: Simulator[] = [];
  for (const o of options) sims.push(await startSimulator(o));
  process.stdout.write(`${JSON.stringify({ urls: sims.map((s) => s.url) })}\n`);
  const stop = () => {
    Promise.all(sims.map((s) => s.close())).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

main().catch((error: unknown) => {
  console.error(`simHost: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
