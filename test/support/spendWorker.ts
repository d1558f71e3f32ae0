// A separate process (a second VS Code window) that reserves credits in a shared spending ledger:
// `node spendWorker.js <dir> <reservations> <credits> <limit>`; sends { granted } when done.
import { SpendLedger } from '../../src/jobs/spend';

async function main(): Promise<void> {
  const [directory, reservations, credits, limit] = process.argv.slice(2);
  const ledger = new SpendLedger(directory);
  let granted = 0;
  for (let i = 0; i < Number(reservations); i++) if ((await ledger.reserve(Number(credits), Number(limit))).ok) granted++;
  process.send?.({ granted });
}

main().catch((error) => process.send?.({ error: String(error) }));
