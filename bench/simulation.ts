/**
 * Reform simulation at full size (docs/api.md "Simulations"): the data set of the yearly run (bench/subsidy.ts:
 * 100,000 loans with 1,000,000 events in Yuanzhou), then, each in a fresh child process so that its peak RSS is its
 * own:
 * - the run's own load + compute (`loadRunInput` + `computeRun` of Yuanzhou 2024): the reference;
 * - the simulation of Yuanzhou 2024 at a ratio of 20 % (`simulate`: one load for both versions, the days after today
 *   projected, `computeRun` twice, the comparison sorted and a first page of 50 lines), writing nothing.
 * Target: baseline + reform in under 10 s and under 1 GiB of peak RSS; the ratio says what the second computation and
 * the comparison cost against the run itself.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import pg from 'pg';
import { createPool } from '../src/db/pool';
import { computeRun } from '../src/subsidy';
import { getPolicy, loadRunInput } from '../src/subsidy/runs';
import { simulate } from '../src/subsidy/runs/simulation';
import { LOANS, writeDataSet, YEAR } from './subsidy';
import { printFigures, timed, type BenchDatabase, type Figure } from './support';

const LIMIT_SECONDS = 10;
const RSS_LIMIT_MIB = 1024;

interface ChildFigures {
  seconds: number;
  peakRssMiB: number;
  lines: number;
  detail: string;
}

async function runLoadCompute(url: string): Promise<ChildFigures> {
  const pool = createPool(url, 2);
  try {
    const policy = (await getPolicy(pool, 'yuanzhou-2023')).policy;
    let lines = 0;
    const seconds = await timed(async () => {
      const loaded = await loadRunInput(pool, policy, YEAR);
      lines = computeRun(loaded.input).lines.length;
    });
    return { seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, lines, detail: '' };
  } finally {
    await pool.end();
  }
}

async function runSimulation(url: string): Promise<ChildFigures> {
  const pool = createPool(url, 2);
  try {
    await pool.query('select 1');
    let lines = 0;
    let detail = '';
    const seconds = await timed(async () => {
      const answer = await simulate(pool, { policyId: 'yuanzhou-2023', year: YEAR, changes: { ratio: '0.20' }, limit: 50 });
      lines = answer.lineCount;
      detail = `baseline ${answer.baseline.totalFen} fen, reform ${answer.reform.totalFen} fen, difference ${answer.delta.totalFen} fen, ${answer.enterpriseCount} enterprises, ${answer.projectedLines} lines projected`;
    });
    return { seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, lines, detail };
  } finally {
    await pool.end();
  }
}

const CHILD_RUN = '--simulation-run';
const CHILD_SIMULATE = '--simulation-simulate';

async function inChildProcess(args: string[]): Promise<ChildFigures> {
  const child = fork(__filename, args, { stdio: 'inherit' });
  const [message] = (await once(child, 'message')) as [ChildFigures | { error: string }];
  await once(child, 'exit');
  if ('error' in message) throw new Error(`${args[0]} child: ${message.error}`);
  return message;
}

export async function benchSimulation(database: BenchDatabase): Promise<Figure[]> {
  const client = new pg.Client({ connectionString: database.adminUrl });
  await client.connect();
  try {
    const writeSeconds = await timed(() => writeDataSet(client));
    const eventCount = Number((await client.query(`select count(*) from loan_event`)).rows[0].count);
    console.log(`\n(data set: ${LOANS} loans, ${eventCount} events written in ${writeSeconds.toFixed(1)} s)`);
    const run = await inChildProcess([CHILD_RUN, database.url]);
    const simulated = await inChildProcess([CHILD_SIMULATE, database.url]);
    const baseline = `${YEAR} run: load + compute (own process)`;
    const figures: Figure[] = [
      { label: baseline, count: LOANS, unit: 'loans', seconds: run.seconds },
      { label: `${YEAR} simulation at 20 %: load once, compute baseline + reform, compare, first page (own process)`, count: LOANS, unit: 'loans', seconds: simulated.seconds, baseline },
    ];
    printFigures(`Reform simulation (Yuanzhou ${YEAR}, ratio 15 % → 20 %): ${LOANS.toLocaleString('en-US')} loans, ${eventCount.toLocaleString('en-US')} events, ${simulated.lines.toLocaleString('en-US')} lines`, figures);
    const met = simulated.seconds < LIMIT_SECONDS && simulated.peakRssMiB < RSS_LIMIT_MIB;
    console.log(
      `simulation: ${simulated.seconds.toFixed(2)} s (limit ${LIMIT_SECONDS}), peak RSS ${simulated.peakRssMiB.toFixed(0)} MiB (limit ${RSS_LIMIT_MIB}): ${met ? 'met' : 'NOT MET'}; ` +
        `the run's load + compute ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMiB.toFixed(0)} MiB; ${simulated.detail}`,
    );
    return figures;
  } finally {
    await client.end();
  }
}

const childPhase = require.main === module ? process.argv[2] : undefined;
if (childPhase === CHILD_RUN || childPhase === CHILD_SIMULATE) {
  const report = (message: ChildFigures | { error: string }) => process.send!(message, () => process.disconnect());
  const phase = childPhase === CHILD_RUN ? runLoadCompute(process.argv[3]!) : runSimulation(process.argv[3]!);
  phase.then(report, (error: unknown) => report({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
}
