/**
 * Shared pieces of `npm run bench`: a fresh migrated database on the same server the service would use, timing, and
 * a table of figures with their ratio to a baseline measured in the same run (so a noisy machine does not lie).
 */
import pg from 'pg';
import { migrateDatabase } from '../src/db/migrate';
import { grantServingRole, prepareOwnedDatabase } from '../src/db/roles';
import { openDatabaseServer, withDatabase, type DatabaseServer } from '../src/db/server';

/** The bench database's roles (src/db/roles.ts): migrated as the owner, measured as the serving role, as the service runs. */
const BENCH_ROLES = { owner: 'ipl_bench_owner', app: 'ipl_bench_app' } as const;

export interface BenchDatabase {
  server: DatabaseServer;
  /** The serving role: what the service runs as. */
  url: string;
  /** The owner of the tables (VACUUM, ANALYZE, the baseline's own tables). */
  ownerUrl: string;
  appRole: string;
  /** The server's superuser on this database: writing a data set with the triggers off. */
  adminUrl: string;
  close(): Promise<void>;
}

export async function openBenchDatabase(name: string): Promise<BenchDatabase> {
  const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL, dataDirName: 'bench-pg' });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
  const roles = await prepareOwnedDatabase(server.url, name, BENCH_ROLES);
  await migrateDatabase(roles.ownerUrl);
  await grantServingRole(roles.ownerUrl, roles.appRole);
  return {
    server,
    url: roles.appUrl,
    ownerUrl: roles.ownerUrl,
    appRole: roles.appRole,
    adminUrl: withDatabase(server.url, name),
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

/** Rounds a measured part alternates with its baseline in (`BENCH_ROUNDS`, 3). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** `total` jobs split into `ROUNDS` rounds: each round's first job number and its count. */
export function inRounds(total: number): Array<{ from: number; count: number }> {
  const perRound = Math.ceil(total / ROUNDS);
  return Array.from({ length: ROUNDS }, (_, round) => ({ from: round * perRound, count: Math.min(perRound, total - round * perRound) })).filter((round) => round.count > 0);
}
