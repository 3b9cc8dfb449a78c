/**
 * `npm run bench [-- part …]`: the benchmark parts (ledger, ingestion, subsidy, simulation, web, storage, edge, mixed; all by default), each on a fresh
 * database of the server the service would use (DATABASE_URL, or the embedded PostgreSQL), each figure printed with
 * its ratio to a baseline measured in the same run. With more than one part, each runs in a process of its own, one
 * after the other: a part's heap (the yearly run's 100,000 loans) would otherwise stay in the process that generates
 * the next part's load and measures its latencies, and its collections would count as the service's time.
 */
import { fork } from 'node:child_process';
import type { BenchDatabase } from './support';

/**
 * Each part on a database of its own, so one part's rows (100,000 loans for the yearly run) never skew another. A part's
 * module is loaded only in the process that runs it: the parent, idle while its children run, holds no more than this
 * file, so its own collections take next to nothing from the cores the part is timed on.
 */
const PARTS: Record<string, () => Promise<unknown>> = {
  ledger: () => onOwnDatabase('ledger', (require('./ledger') as typeof import('./ledger')).benchLedger),
  ingestion: () => onOwnDatabase('ingestion', (require('./ingestion') as typeof import('./ingestion')).benchIngestion),
  subsidy: () => onOwnDatabase('subsidy', (require('./subsidy') as typeof import('./subsidy')).benchSubsidy),
  simulation: () => onOwnDatabase('simulation', (require('./simulation') as typeof import('./simulation')).benchSimulation),
  web: () => (require('./web') as typeof import('./web')).benchWeb(),
  storage: () => (require('./storage') as typeof import('./storage')).benchStorage(),
  edge: () => onOwnDatabase('edge', (require('./edge') as typeof import('./edge')).benchEdge),
  mixed: () => onOwnDatabase('mixed', (require('./mixed') as typeof import('./mixed')).benchMixed),
};

async function onOwnDatabase(part: string, run: (database: BenchDatabase) => Promise<unknown>): Promise<void> {
  const { openBenchDatabase } = require('./support') as typeof import('./support');
  const database = await openBenchDatabase(`ipl_bench_${part}_${process.pid}`);
  try {
    await run(database);
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((part) => !(part in PARTS));
  if (unknown.length > 0) throw new Error(`unknown bench part(s) ${unknown.join(', ')}; parts: ${Object.keys(PARTS).join(', ')}`);
  const parts = requested.length > 0 ? requested : Object.keys(PARTS);
  if (process.env.BENCH_PART_PROCESS === '1') {
    for (const part of parts) await PARTS[part]!();
    return;
  }
  const started = Date.now();
  console.log(`# npm run bench — ${new Date().toISOString()} — ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'} — ${parts.join(', ')}`);
  for (const part of parts) await inOwnProcess(part);
  console.log(`\nbench finished in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Node options for a part's own process. The mixed part's process only sets up and plans while the service and the load
 * generator, each in a process of its own, are timed: idle, it would have V8's memory reducer run full collections of
 * its heap (40–75 ms each, measured) on the cores the service is timed on. Its service process does not inherit the
 * option (bench/mixed.ts): the service runs as `npm start` runs it.
 */
const PART_NODE_OPTIONS: Record<string, string[]> = { mixed: ['--no-memory-reducer'] };

/** Runs one part in a child process of this script, its output on this one's; fails when the part fails. */
function inOwnProcess(part: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [part], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_PART_PROCESS: '1' },
      execArgv: [...process.execArgv, ...(PART_NODE_OPTIONS[part] ?? [])],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`bench part ${part} exited with ${signal ?? `code ${code}`}`)),
    );
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
