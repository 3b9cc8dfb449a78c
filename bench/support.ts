/**
 * Shared pieces of `npm run bench`: a fresh migrated database on the same server the service would use, timing, and
 * a table of figures with their ratio to a baseline measured in the same run (so a noisy machine does not lie).
 */
import pg from 'pg';
import { migrateDatabase } from '../src/db/migrate';
import { openDatabaseServer, withDatabase, type DatabaseServer } from '../src/db/server';

export interface BenchDatabase {
  server: DatabaseServer;
  url: string;
  close(): Promise<void>;
}

export async function openBenchDatabase(name: string): Promise<BenchDatabase> {
  const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL, dataDirName: 'bench-pg' });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(server.url, name);
  await migrateDatabase(url);
  return {
    server,
    url,
    async close() {
      const cleanup = new pg.Client({ connectionString: server.url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
      await server.stop();
    },
  };
}

export interface Figure {
  label: string;
  count: number;
  unit: string;
  seconds: number;
  /** The label of the baseline row this one is compared with (absent for a baseline). */
  baseline?: string;
}

export async function timed(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export function printFigures(title: string, figures: Figure[]): void {
  const rate = (figure: Figure) => figure.count / figure.seconds;
  const byLabel = new Map(figures.map((figure) => [figure.label, figure]));
  console.log(`\n## ${title}`);
  console.log('| measurement | count | seconds | per second | ratio to baseline |');
  console.log('|---|---:|---:|---:|---|');
  for (const figure of figures) {
    const base = figure.baseline ? byLabel.get(figure.baseline) : undefined;
    const ratio = base ? `${(rate(figure) / rate(base)).toFixed(2)} of "${base.label}"` : 'baseline';
    console.log(
      `| ${figure.label} | ${figure.count} | ${figure.seconds.toFixed(2)} | ${Math.round(rate(figure)).toLocaleString('en-US')} ${figure.unit}/s | ${ratio} |`,
    );
  }
}

/** Runs `total` jobs on `workers` concurrent loops, each job numbered once. */
export async function runConcurrently(workers: number, total: number, job: (index: number, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (;;) {
        const index = next;
        next += 1;
        if (index >= total) return;
        await job(index, worker);
      }
    }),
  );
}
