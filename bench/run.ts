/**
 * `npm run bench`: every benchmark part on one fresh database of the server the service would use (DATABASE_URL, or
 * the embedded PostgreSQL), each figure printed with its ratio to a baseline measured in the same run.
 */
import { benchIngestion } from './ingestion';
import { benchLedger } from './ledger';
import { benchSubsidy } from './subsidy';
import { benchWeb } from './web';
import { openBenchDatabase } from './support';

async function main(): Promise<void> {
  const database = await openBenchDatabase(`ipl_bench_${process.pid}`);
  console.log(`# npm run bench — ${new Date().toISOString()} — ${database.server.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`);
  try {
    await benchLedger(database.url);
    await benchIngestion(database.url);
  } finally {
    await database.close();
  }
  // The yearly subsidy run on a database of its own: its 100,000 loans must not mix with the other parts' rows.
  const subsidyDatabase = await openBenchDatabase(`ipl_bench_subsidy_${process.pid}`);
  try {
    await benchSubsidy(subsidyDatabase.url);
  } finally {
    await subsidyDatabase.close();
  }
}

main()
  // The console's reads with 10,000 loans, on a database of its own (bench/web.ts).
  .then(() => benchWeb())
  .catch((error) => {
  console.error(error);
  process.exit(1);
});
