/**
 * Backups, as docs/operations.md tells them, done and checked: a small world built through the API, then
 *
 * 1. a logical backup — `pg_dump --format=custom`, `pg_restore` into a fresh database — and
 * 2. a physical backup with WAL archiving — a base backup, more work, a named restore point, a mistake after it,
 *    then point-in-time recovery to the restore point,
 *
 * each compared before and after: the trial balance (now and as of a date), the ledger summary, the split
 * reconciliation with its ledger check, the row count and a digest of the full contents of every table (the entries'
 * content hashes and the audit log included), and the restored database still refusing what the ledger refuses.
 *
 * pg_dump must be of the server's major version (it refuses a newer server). The embedded PostgreSQL 18 ships the
 * server only, no pg_dump: when no pg_dump of the test server's version is installed, the logical backup is made on a
 * server of this machine's own PostgreSQL installation (Debian's `postgresql`, which .ci/run installs) and says so.
 * The physical backup needs nothing but the server's own binaries and SQL, so it runs on the embedded server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { createPool } from '../src/db/pool';
import { migrateDatabase } from '../src/db/migrate';
import { postgresRunAs, startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded';
import { withDatabase } from '../src/db/server';
import { createApp } from '../src/http/app';
import { createLogger } from '../src/log';
import { ensureBootstrapPrincipal } from '../src/principals';
import { loanBody, USCC } from './loans.support';
import { findBinDir, findTools, installedServerMajors, run } from '../src/db/pgtools';

jest.setTimeout(240_000);

const TOKEN = 'ops-backup-staff-token-0123456789';
const ROOT = path.join(__dirname, '..');
/** Scratch space the server's user (postgres or nobody, when we are root) can reach: /var/tmp, not a 0700 home. */
const SCRATCH = path.join(os.tmpdir() === '/tmp' ? '/var/tmp' : os.tmpdir(), 'ip-pledge-ledger', `ops-backup-${process.pid}`);

const silent = createLogger('silent');

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Math.floor(Number((await client.query(`select current_setting('server_version_num') as v`)).rows[0].v) / 10_000);
  } finally {
    await client.end();
  }
}

/** Runs statements one after another on the server's maintenance connection. */
async function onServer(serverUrl: string, ...statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

const dropDatabase = (serverUrl: string, name: string) => onServer(serverUrl, `drop database if exists "${name}" with (force)`);

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await onServer(serverUrl, `drop database if exists "${name}" with (force)`, `create database "${name}" template template0`);
  return withDatabase(serverUrl, name);
}

async function settle(pool: pg.Pool): Promise<void> {
  // Reads write their audit row after answering: wait until the pool is at rest.
  for (let waited = 0; pool.idleCount !== pool.totalCount && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
}

/** Through the API: a bank with its principal, enterprises, loans with their money events, a fund with capital, a draft subsidy run. */
async function buildWorld(pool: pg.Pool, part: 'first' | 'second' | 'mistake'): Promise<void> {
  await ensureBootstrapPrincipal(pool, TOKEN);
  const app = createApp({ pool, logger: silent });
  const staff = (method: 'get' | 'post', url: string) => request(app)[method](url).set('Authorization', `Bearer ${TOKEN}`);
  const expectStatus = async (response: Promise<request.Response> | request.Test, status: number) => {
    const answer = await response;
    if (answer.status !== status) throw new Error(`${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  let bankToken: string;
  if (part === 'first') {
    const bank = await expectStatus(staff('post', '/api/v1/banks').send({ code: 'BACKUP-BANK', name: '备份测试银行' }), 201);
    const principal = await expectStatus(staff('post', '/api/v1/principals').send({ name: '备份测试银行系统', role: 'bank', bankId: bank.id }), 201);
    bankToken = principal.token;
    await pool.query(`create table if not exists backup_test_token (token text)`); // remembered for the later parts
    await pool.query(`insert into backup_test_token values ($1)`, [bankToken]);
    for (const [name, uscc] of [['园州企业', USCC.yuanzhou], ['东阳企业', USCC.dongyang]] as const) {
      await expectStatus(staff('post', '/api/v1/enterprises').send({ uscc, name }), 201);
    }
    const fund = await expectStatus(
      staff('post', '/api/v1/funds').send({ code: 'BACKUP', name: '备份测试风险补偿资金', shareOfLoss: '0.5', leverage: '10', claimAfterDaysOverdue: 90, bodies: ['city', 'district'] }),
      201,
    );
    await expectStatus(staff('post', `/api/v1/funds/${fund.id}/contributions`).send({ body: 'city', amount: '3000000.00', date: '2024-01-02' }), 201);
  } else {
    bankToken = (await pool.query(`select token from backup_test_token`)).rows[0].token;
  }
  const bank = (method: 'get' | 'post', url: string) => request(app)[method](url).set('Authorization', `Bearer ${bankToken}`);
  const loans = part === 'first' ? 4 : part === 'second' ? 2 : 1;
  for (let i = 0; i < loans; i++) {
    const contractNo = `BK-${part}-${i}`;
    const loan = await expectStatus(
      bank('post', '/api/v1/loans').send(loanBody({ contractNo, principal: `${500_000 + i * 100_000}.00`, startDate: `2024-0${2 + i}-10`, enterpriseUscc: i % 2 ? USCC.dongyang : USCC.yuanzhou })),
      201,
    );
    await expectStatus(bank('post', `/api/v1/loans/${loan.id}/events`).send({ type: 'disbursement', date: `2024-0${2 + i}-10`, amount: `${400_000 + i * 100_000}.00` }), 201);
    await expectStatus(bank('post', `/api/v1/loans/${loan.id}/events`).send({ type: 'interest_payment', date: `2024-0${3 + i}-10`, amount: '1234.56' }), 201);
  }
  if (part === 'first') await expectStatus(staff('post', '/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 }), 201);
  await settle(pool);
}

/** Row count and digest of the full contents of every table: equal only if every row came back as it was. */
async function tableDigests(pool: pg.Pool): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = await pool.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const digests: Record<string, { rows: number; md5: string }> = {};
  for (const { name } of tables.rows) {
    const result = await pool.query<{ rows: number; md5: string }>(
      `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from "${name}" t`,
    );
    digests[name] = result.rows[0]!;
  }
  return digests;
}

/** What a restore must give back, read through the API (after the table digests: reads add audit rows). */
async function readFigures(pool: pg.Pool) {
  const app = createApp({ pool, logger: silent });
  const get = async (url: string) => {
    const response = await request(app).get(url).set('Authorization', `Bearer ${TOKEN}`);
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const figures = {
    trialBalance: await get('/api/v1/ledger/trial-balance'),
    trialBalanceMidYear: await get('/api/v1/ledger/trial-balance?asOf=2024-04-30'),
    summary: await get('/api/v1/ledger/summary'),
    reconciliation: await get('/api/v1/reports/split-reconciliation?year=2024'),
  };
  await settle(pool);
  return figures;
}

/** The restored database is a working ledger: an unbalanced entry is refused, a balanced one posts after the restored ones. */
async function expectWorkingLedger(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const refused = await client
      .query(
        `select * from ledger_post_entries(array['after-restore-bad'], array['2024-12-31']::date[], array['bad'], array['test'], array['bad'],
           array[null]::bigint[], array['\\x00']::bytea[], array[1, 1], array[1, 2]::smallint[],
           array['fund:BACKUP:cash', 'fund:BACKUP:capital:city'], array['D', 'C'], array[100, 99]::bigint[])`,
      )
      .then(() => 'accepted', (error: pg.DatabaseError) => error.code);
    expect(refused).toBe('LG001'); // debits 1.00 ≠ credits 0.99
    await client.query('rollback');
    const highest = (await client.query(`select max(id) as id from ledger_entry`)).rows[0].id as bigint;
    const posted = await client.query(
      `select posted_id from ledger_post_entries(array['after-restore-good'], array['2024-12-31']::date[], array['good'], array['test'], array['good'],
         array[null]::bigint[], array['\\x00']::bytea[], array[1, 1], array[1, 2]::smallint[],
         array['fund:BACKUP:cash', 'fund:BACKUP:capital:city'], array['D', 'C'], array[100, 100]::bigint[])`,
    );
    expect(posted.rows[0].posted_id).toBeGreaterThan(highest);
  } finally {
    client.release();
  }
}

beforeAll(() => {
  fs.rmSync(SCRATCH, { recursive: true, force: true });
  fs.mkdirSync(SCRATCH, { recursive: true, mode: 0o755 });
  fs.chmodSync(path.dirname(SCRATCH), 0o755);
});
afterAll(() => fs.rmSync(SCRATCH, { recursive: true, force: true }));

describe('logical backup: pg_dump, pg_restore into a fresh database', () => {
  let privateServer: EmbeddedServer | undefined;
  const pools: pg.Pool[] = [];
  // The databases made on the test's server, dropped afterwards: that server outlives the run.
  const databases: Array<{ serverUrl: string; name: string }> = [];
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    for (const { serverUrl, name } of databases) await dropDatabase(serverUrl, name);
    await privateServer?.stop();
  });

  it('gives back the same trial balance, ledger check, summary and every row', async () => {
    const testServerUrl = process.env.TEST_DATABASE_SERVER_URL!;
    const testMajor = await serverMajor(testServerUrl);
    let serverUrl = testServerUrl;
    let binDir = findBinDir(testMajor, ['pg_dump', 'pg_restore']);
    if (!binDir) {
      const local = installedServerMajors()[0];
      if (!local) {
        findTools(testMajor, ['pg_dump', 'pg_restore']); // throws, naming what it searched
        throw new Error('unreachable');
      }
      console.warn(
        `ops.backup: the test server is PostgreSQL ${testMajor} and no pg_dump ${testMajor} is installed; ` +
          `the logical backup is checked on a PostgreSQL ${local.major} server of this machine's (${local.installDir}) instead`,
      );
      privateServer = await startEmbeddedPostgres({ dataDir: path.join(ROOT, '.data', `ops-backup-pg${local.major}`), installDir: local.installDir });
      serverUrl = privateServer.adminUrl;
      binDir = path.join(local.installDir, 'bin');
    }
    databases.push({ serverUrl, name: `ipl_backup_source_${process.pid}` }, { serverUrl, name: `ipl_backup_restored_${process.pid}` });
    const sourceUrl = await createDatabase(serverUrl, `ipl_backup_source_${process.pid}`);
    await migrateDatabase(sourceUrl);
    const source = createPool(sourceUrl);
    pools.push(source);
    await buildWorld(source, 'first');
    await buildWorld(source, 'second');

    const dumpFile = path.join(SCRATCH, 'ledger.dump');
    run(path.join(binDir, 'pg_dump'), ['--format=custom', `--file=${dumpFile}`, `--dbname=${sourceUrl}`]);
    const digestsBefore = await tableDigests(source);
    const before = await readFigures(source);

    const restoredUrl = await createDatabase(serverUrl, `ipl_backup_restored_${process.pid}`);
    run(path.join(binDir, 'pg_restore'), ['--exit-on-error', '--no-owner', `--dbname=${restoredUrl}`, dumpFile]);
    const restored = createPool(restoredUrl);
    pools.push(restored);
    const digestsAfter = await tableDigests(restored);
    const after = await readFigures(restored);

    expect(digestsAfter).toEqual(digestsBefore);
    expect(after).toEqual(before);
    // What was compared is not empty: 6 loans, each with 4 accounts, a facility, a disbursement and an interest entry.
    expect(digestsBefore.loan!.rows).toBe(6);
    expect(digestsBefore.ledger_entry!.rows).toBeGreaterThanOrEqual(6 * 3 + 1);
    expect(before.reconciliation.ledgerCheck.matches).toBe(true);
    expect(before.trialBalance.totalDebits).toBe(before.trialBalance.totalCredits);
    await expectWorkingLedger(restored);
  });
});

describe('physical backup: base backup and WAL archive, point-in-time recovery to a named restore point', () => {
  const servers: EmbeddedServer[] = [];
  const pools: pg.Pool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
    for (const server of servers) await server.stop().catch(() => undefined);
  });

  it('recovers to the restore point: the work before it is there, the mistake after it is not', async () => {
    const runAs = postgresRunAs();
    const own = (target: string) => {
      if (runAs.uid >= 0) run('chown', ['-R', `${runAs.uid}:${runAs.gid}`, target]);
    };
    const archive = path.join(SCRATCH, 'wal-archive');
    fs.mkdirSync(archive, { mode: 0o700 });
    own(archive);
    const primary = await startEmbeddedPostgres({
      dataDir: path.join(SCRATCH, 'primary'),
      settings: { wal_level: 'replica', archive_mode: 'on', archive_command: `test ! -f '${archive}/%f' && cp '%p' '${archive}/%f'` },
    });
    servers.push(primary);
    const url = await createDatabase(primary.adminUrl, 'ip_pledge');
    await migrateDatabase(url);
    const pool = createPool(url);
    pools.push(pool);
    await buildWorld(pool, 'first');

    // The base backup, as pg_basebackup would make it, with the low-level API: start, copy the files, stop.
    const admin = new pg.Client({ connectionString: primary.adminUrl });
    await admin.connect();
    const dataDir = (await admin.query(`select current_setting('data_directory') as d`)).rows[0].d as string;
    await admin.query(`select pg_backup_start('ops-backup-test', true)`);
    const base = path.join(SCRATCH, 'base');
    copyDataDirectory(dataDir, base);
    const stopped = await admin.query(`select labelfile, spcmapfile from pg_backup_stop(true)`);
    fs.writeFileSync(path.join(base, 'backup_label'), stopped.rows[0].labelfile);
    if (stopped.rows[0].spcmapfile) fs.writeFileSync(path.join(base, 'tablespace_map'), stopped.rows[0].spcmapfile);

    // Work after the base backup, to be replayed from the archive; then the restore point.
    await buildWorld(pool, 'second');
    const digestsAtPoint = await tableDigests(pool);
    await admin.query(`select pg_create_restore_point('before-the-mistake')`);
    const atPoint = await readFigures(pool);
    // The mistake, after the restore point; then the segment holding it all goes to the archive.
    await buildWorld(pool, 'mistake');
    const afterMistake = await readFigures(pool);
    expect(afterMistake.trialBalance).not.toEqual(atPoint.trialBalance);
    const segment = (await admin.query(`select pg_walfile_name(pg_switch_wal()) as f`)).rows[0].f as string;
    for (let waited = 0; ; waited += 50) {
      const archived = (await admin.query(`select last_archived_wal as w from pg_stat_archiver`)).rows[0].w as string | null;
      if (archived !== null && archived >= segment) break;
      if (waited > 30_000) throw new Error(`WAL segment ${segment} not archived within 30 s (last: ${archived})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.end();
    await pool.end();
    pools.splice(pools.indexOf(pool), 1);
    await primary.stop();
    servers.splice(servers.indexOf(primary), 1);

    // Recovery into a new cluster: the base backup, recovery.signal, WAL from the archive up to the restore point.
    const restoredCluster = path.join(SCRATCH, 'restored');
    fs.mkdirSync(restoredCluster, { mode: 0o700 });
    fs.renameSync(base, path.join(restoredCluster, 'data'));
    fs.copyFileSync(path.join(SCRATCH, 'primary', 'password'), path.join(restoredCluster, 'password'));
    fs.writeFileSync(path.join(restoredCluster, 'data', 'recovery.signal'), '');
    own(restoredCluster);
    fs.chmodSync(path.join(restoredCluster, 'data'), 0o700);
    const recovered = await startEmbeddedPostgres({
      dataDir: restoredCluster,
      settings: {
        restore_command: `cp '${archive}/%f' '%p'`,
        recovery_target_name: 'before-the-mistake',
        recovery_target_action: 'promote',
      },
    });
    servers.push(recovered);
    const recoveredAdmin = new pg.Client({ connectionString: recovered.adminUrl });
    await recoveredAdmin.connect();
    for (let waited = 0; (await recoveredAdmin.query(`select pg_is_in_recovery() as r`)).rows[0].r; waited += 100) {
      if (waited > 60_000) throw new Error('still in recovery after 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await recoveredAdmin.end();
    const recoveredPool = createPool(recovered.urlFor('ip_pledge'));
    pools.push(recoveredPool);
    expect(await tableDigests(recoveredPool)).toEqual(digestsAtPoint);
    expect(await readFigures(recoveredPool)).toEqual(atPoint);
    expect(digestsAtPoint.loan!.rows).toBe(6); // 4 before the base backup, 2 replayed from the archive; not the 7th
    expect(atPoint.reconciliation.ledgerCheck.matches).toBe(true);
    await expectWorkingLedger(recoveredPool);
  });
});

/**
 * Copies a running cluster's data directory between pg_backup_start and pg_backup_stop: files may change while they
 * are copied (WAL replay from the backup's start repairs them) or vanish (temporary files); pg_wal's contents,
 * postmaster.pid and postmaster.opts are left out, as pg_basebackup leaves them out.
 */
function copyDataDirectory(from: string, to: string): void {
  const skipContents = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
  const copy = (source: string, target: string, depth: number) => {
    fs.mkdirSync(target, { recursive: true, mode: 0o700 });
    for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
      const sourcePath = path.join(source, entry.name);
      const targetPath = path.join(target, entry.name);
      if (depth === 0 && ['postmaster.pid', 'postmaster.opts'].includes(entry.name)) continue;
      try {
        if (entry.isDirectory()) {
          if (depth === 0 && skipContents.has(entry.name)) fs.mkdirSync(targetPath, { mode: 0o700 });
          else copy(sourcePath, targetPath, depth + 1);
        } else if (entry.isSymbolicLink()) {
          fs.symlinkSync(fs.readlinkSync(sourcePath), targetPath);
        } else {
          fs.copyFileSync(sourcePath, targetPath);
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  };
  copy(from, to, 0);
  fs.mkdirSync(path.join(to, 'pg_wal', 'archive_status'), { recursive: true, mode: 0o700 });
}
