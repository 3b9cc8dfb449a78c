/**
 * History that nobody rewrites unseen (README "Security"): the service runs as a role that cannot change the audit
 * log or the ledger nor switch off their triggers; both are hash chains written by PostgreSQL; the verifier names the
 * first row that breaks; the daily statement anchors the heads outside the database.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import { migrations } from '../migrations';
import { recordAudit } from '../src/audit';
import { createPool } from '../src/db/pool';
import { checkServingRole, grantServingRole, prepareOwnedDatabase } from '../src/db/roles';
import { todayInChina } from '../src/dates';
import { chainHeads, dailyStatement, exportRows, statementHeads, verifyDatabase, type ChainReport } from '../src/integrity';
import { ensureAccounts, post, postMany, type EntryInput } from '../src/ledger';
import { startTestService, type TestService } from './support/app';
import { TEST_ROLES } from './support/roles';

const GENESIS = Buffer.alloc(32);
const sha256 = (...parts: Array<Buffer | string>) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

function transfer(key: string, amountFen: bigint, date = '2024-03-01'): EntryInput {
  return {
    idempotencyKey: key,
    effectiveDate: date,
    description: `转账 ${key}`,
    source: { kind: 'test', id: key },
    lines: [
      { accountCode: 'int:cash', side: 'debit', amountFen },
      { accountCode: 'int:capital', side: 'credit', amountFen },
    ],
  };
}

async function serviceWithHistory(): Promise<TestService> {
  const service = await startTestService();
  await ensureAccounts(service.db.pool, [
    { code: 'int:cash', name: '现金', type: 'asset' },
    { code: 'int:capital', name: '资本', type: 'equity' },
  ]);
  await postMany(service.db.pool, [transfer('h-1', 100n), transfer('h-2', 250n), transfer('h-3', 75n)]);
  const auditor = await service.principal('auditor', { name: '审计局' });
  for (const where of ['/api/v1/ledger/trial-balance', '/api/v1/audit-log', '/api/v1/ledger/trial-balance?asOf=2024-03-01']) {
    expect((await service.as(auditor.token).get(where)).status).toBe(200);
  }
  await settleAudit(service);
  // Three audit rows written by one transaction: one chain (its id mod 16), one after another.
  const client = await service.db.pool.connect();
  try {
    await client.query('begin');
    for (let i = 0; i < 3; i += 1) await recordAudit(client, { principalId: null, action: 'test.history', detail: { i } });
    await client.query('commit');
  } finally {
    client.release();
  }
  return service;
}

/** The rows `serviceWithHistory` audited in one transaction: their chain and their positions in it. */
async function historyRows(db: pg.Client): Promise<Array<{ id: string; shard: number; position: number }>> {
  return (
    await db.query<{ id: string; shard: number; position: number }>(
      `select a.id::text, coalesce(a.chain_no, 0)::int as shard,
              (select count(*) from audit_log b where coalesce(b.chain_no, 0) = coalesce(a.chain_no, 0) and b.id <= a.id)::int as position
         from audit_log a where a.action = 'test.history' order by a.id`,
    )
  ).rows;
}

/** Reads are audited just after their answer: wait until the audit log stops growing. */
async function settleAudit(service: TestService): Promise<void> {
  let previous = -1;
  for (;;) {
    const rows = Number((await service.db.pool.query(`select count(*) from audit_log`)).rows[0].count);
    if (rows === previous) return;
    previous = rows;
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}

/** The audit log and the ledger are 16 chains each: the one that broke (or, when none did, the first). */
const byChain = (reports: ChainReport[], chain: string) =>
  reports.find((report) => report.chain === chain && !report.ok) ?? reports.find((report) => report.chain === chain)!;
const ledgerReport = (reports: ChainReport[]) => byChain(reports, 'ledger');
const rowsOf = (reports: ChainReport[], chain: string) => reports.filter((r) => r.chain === chain).reduce((sum, r) => sum + r.rows, 0);

describe('the service runs as a role that cannot change history', () => {
  let service: TestService;
  let app: pg.Client;
  beforeAll(async () => {
    service = await serviceWithHistory();
    app = await service.db.rawClient('app');
  });
  afterAll(() => service.close());

  it('the service’s pool is the serving role, not the owner, and the start-up check accepts it', async () => {
    expect((await service.db.pool.query(`select current_user as role`)).rows[0].role).toBe(TEST_ROLES.app);
    await expect(checkServingRole(service.db.pool)).resolves.toMatchObject({ role: TEST_ROLES.app, temporaryTables: false });
    // …and refuses to serve as the owner, which could switch the triggers off.
    const ownerPool = createPool(service.db.ownerUrl, 1);
    await expect(checkServingRole(ownerPool)).rejects.toThrow(/has the privileges of the tables’ owner/);
    await ownerPool.end();
  });

  it.each([
    ['alter table audit_log disable trigger audit_log_append_only'],
    ['alter table ledger_entry disable trigger all'],
    ['alter table ledger_line disable trigger ledger_line_immutable'],
    ['set session_replication_role = replica'],
    ['update audit_log set status = 200'],
    ['delete from audit_log'],
    ['truncate audit_log'],
    ['update ledger_entry set description = $$改过$$'],
    ['delete from ledger_entry'],
    ['truncate ledger_entry cascade'],
    ['update ledger_line set amount_fen = amount_fen + 1'],
    ['delete from ledger_line'],
    ['truncate ledger_line'],
    ['update ledger_chain set hash = hash'],
    ['delete from ledger_chain'],
    ['update integrity_chain set rows = 0'],
    ['update ledger_account set debits_fen = 0'],
    ['drop trigger audit_log_chained on audit_log'],
    ['create or replace function forbid_change() returns trigger language plpgsql as $$ begin return new; end $$'],
    ['create temporary table ledger_line (entry_id bigint)'],
    ['create table public.shadow (id int)'],
  ])('a raw SQL session as the serving role is refused: %s', async (sql) => {
    await expect(app.query(sql)).rejects.toMatchObject({ code: '42501' });
  });

  it('the same session may still read and append, as the service does', async () => {
    expect(Number((await app.query(`select count(*) from ledger_entry`)).rows[0].count)).toBe(3);
    await app.query(`insert into audit_log (principal_id, action) values (null, 'raw.append')`);
    expect((await app.query(`select action from audit_log order by id desc limit 1`)).rows[0].action).toBe('raw.append');
  });
});

describe('each audit row and each ledger entry carries the hash of its content and of the previous one', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await serviceWithHistory();
  });
  afterAll(() => service.close());

  it('an audit row: sha256(previous hash ‖ its content), the content written out here by hand', async () => {
    const client = await service.db.pool.connect();
    let chainNo: number;
    let before: { rows: bigint; last_id: bigint | null; last_hash: Buffer };
    try {
      await client.query('begin');
      // The transaction's audit chain is its id mod 16; its head before the row.
      chainNo = Number((await client.query<{ n: string }>(`select (pg_current_xact_id()::text::bigint % 16)::text as n`)).rows[0]!.n);
      before = (
        await client.query<{ rows: bigint; last_id: bigint | null; last_hash: Buffer }>(
          `select rows, last_id, last_hash from integrity_chain where chain = 'audit_log' and shard = $1`,
          [chainNo],
        )
      ).rows[0]!;
      await recordAudit(client, { principalId: null, action: 'test.hand', detail: { 金额: '12.50', n: 3 } });
      await client.query('commit');
    } finally {
      client.release();
    }
    const row = (
      await service.db.pool.query<{ id: bigint; chain_no: number | null; at_text: string; prev_hash: Buffer; hash: Buffer }>(
        `select id, chain_no, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at_text, prev_hash, hash
           from audit_log where action = 'test.hand'`,
      )
    ).rows[0]!;
    // The row after its chain's head (chain 0 is written as null), numbered after it; the head moved to it.
    expect(row.chain_no ?? 0).toBe(chainNo);
    if (before.last_id !== null) expect(row.id > before.last_id).toBe(true);
    expect(row.prev_hash.equals(before.last_hash)).toBe(true);
    const after = (
      await service.db.pool.query<{ rows: bigint; last_id: bigint; last_hash: Buffer }>(
        `select rows, last_id, last_hash from integrity_chain where chain = 'audit_log' and shard = $1`,
        [chainNo],
      )
    ).rows[0]!;
    expect([after.rows, after.last_id, after.last_hash.equals(row.hash)]).toEqual([before.rows + 1n, row.id, true]);
    // Its columns in the order of the table, the instant in UTC with microseconds; the detail as jsonb writes it
    // (keys by length, then bytewise: "n" before "金额", which is 6 bytes).
    const content = `{"id":"${row.id}","at":"${row.at_text}Z","principal_id":null,"request_id":null,"method":null,"path":null,"status":null,"action":"test.hand","detail":{"n": 3, "金额": "12.50"}}`;
    expect(row.hash.toString('hex')).toBe(sha256(row.prev_hash, content).toString('hex'));
  });

  it('the ledger chain starts from 32 zero bytes and links every entry, lines included, in posting order', async () => {
    const chain = await service.db.pool.query<{ shard: number; seq: bigint; entry_id: bigint; prev_hash: Buffer; hash: Buffer }>(
      `select shard, seq, entry_id, prev_hash, hash from ledger_chain order by shard, seq`,
    );
    // Posted by one transaction: one of the 16 chains, positions 1–3.
    const shard = chain.rows[0]!.shard;
    expect(chain.rows.map((r) => [r.shard, r.seq, r.entry_id])).toEqual([
      [shard, 1n, 1n],
      [shard, 2n, 2n],
      [shard, 3n, 3n],
    ]);
    expect(chain.rows[0]!.prev_hash.equals(GENESIS)).toBe(true);
    expect(chain.rows[1]!.prev_hash.equals(chain.rows[0]!.hash)).toBe(true);
    expect(chain.rows[2]!.prev_hash.equals(chain.rows[1]!.hash)).toBe(true);
    // The content of entry 2 names both its lines, with the amounts posted (250 fen each side).
    const exported = [];
    for await (const row of exportRows(service.db.pool)) if (row.chain === 'ledger') exported.push(row);
    const content = JSON.parse(exported[1]!.content!);
    expect(content.lines).toEqual([
      expect.objectContaining({ line_no: 1, account_code: 'int:cash', side: 'D', amount_fen: '250' }),
      expect.objectContaining({ line_no: 2, account_code: 'int:capital', side: 'C', amount_fen: '250' }),
    ]);
    expect(sha256(exported[1]!.prevHash ? Buffer.from(exported[1]!.prevHash, 'hex') : GENESIS, exported[1]!.content!).toString('hex')).toBe(
      chain.rows[1]!.hash.toString('hex'),
    );
  });

  it('every column of a chained table is in its content (a new column must be added to the content functions)', async () => {
    const columns = async (table: string) =>
      (await service.db.pool.query<{ column_name: string }>(`select column_name from information_schema.columns where table_name = $1`, [table])).rows
        .map((r) => r.column_name)
        // The chain's own columns: its links and, for the audit log, which of its chains the row is on.
        .filter((c) => c !== 'prev_hash' && c !== 'hash' && c !== 'chain_no')
        .sort();
    const rows = [];
    for await (const row of exportRows(service.db.pool)) rows.push(row);
    const audit = JSON.parse(rows.find((r) => r.chain === 'audit_log')!.content!);
    const ledger = JSON.parse(rows.find((r) => r.chain === 'ledger')!.content!);
    expect(Object.keys(audit).sort()).toEqual(await columns('audit_log'));
    expect(Object.keys(ledger).filter((k) => k !== 'lines').sort()).toEqual(await columns('ledger_entry'));
    // A line's entry_id is the entry whose content it is part of.
    expect(Object.keys(ledger.lines[0]).filter((k) => k !== 'account_code').sort()).toEqual((await columns('ledger_line')).filter((c) => c !== 'entry_id'));
  });

  it('8 connections posting and auditing at once: no chain forks or skips a position, and they verify', async () => {
    const writers = createPool(service.db.url, 8);
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 25; i += 1) {
          await post(writers, transfer(`c-${worker}-${i}`, BigInt(1 + i)));
          await recordAudit(writers, { principalId: null, action: `test.concurrent.${worker}` });
        }
      }),
    );
    await writers.end();
    const chains = await service.db.pool.query<{ shard: number; seqs: string[] }>(
      `select shard, array_agg(seq::text order by seq) as seqs from ledger_chain group by shard`,
    );
    // Each chain's positions are 1…n, once each; 3 entries before and 8 × 25 = 200 now: 203 in all.
    for (const { seqs } of chains.rows) expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => String(i + 1)));
    expect(chains.rows.reduce((sum, { seqs }) => sum + seqs.length, 0)).toBe(203);
    expect(chains.rows.length).toBeGreaterThan(1); // concurrent transactions went to several chains
    // Each audit chain: its rows in id order, each linked to the one before, the head on its last row.
    const audit = await service.db.pool.query<{ shard: number; id: bigint; prev_hash: Buffer; hash: Buffer }>(
      `select coalesce(chain_no, 0) as shard, id, prev_hash, hash from audit_log order by id`,
    );
    const heads = await service.db.pool.query<{ shard: number; rows: bigint; last_id: bigint | null }>(
      `select shard, rows, last_id from integrity_chain where chain = 'audit_log' order by shard`,
    );
    let auditChainsUsed = 0;
    for (const head of heads.rows) {
      const rows = audit.rows.filter((r) => r.shard === head.shard);
      rows.forEach((r, i) => expect(r.prev_hash.equals(i === 0 ? GENESIS : rows[i - 1]!.hash)).toBe(true));
      expect([head.rows, head.last_id]).toEqual([BigInt(rows.length), rows.at(-1)?.id ?? null]);
      if (rows.length > 0) auditChainsUsed += 1;
    }
    expect(heads.rows.length).toBe(16);
    expect(auditChainsUsed).toBeGreaterThan(1); // concurrent transactions audited to several chains
    const report = await verifyDatabase(service.db.pool);
    expect(report.ok).toBe(true);
    expect(rowsOf(report.chains, 'ledger')).toBe(203);
    expect(rowsOf(report.chains, 'audit_log')).toBe(audit.rows.length);
  });

  it('a transaction that writes an audit row and then posts is refused, not left to deadlock (LG006)', async () => {
    const client = await service.db.pool.connect();
    try {
      await client.query('begin');
      await recordAudit(client, { principalId: null, action: 'test.order' });
      await expect(post(client, transfer('order-1', 1n))).rejects.toMatchObject({ code: 'LG006' });
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});

describe('the verifier names the first row that breaks', () => {
  let service: TestService;
  let owner: pg.Client;
  beforeEach(async () => {
    service = await serviceWithHistory();
    owner = await service.db.rawClient('owner');
  });
  afterEach(() => service.close());

  it('an untouched history verifies, through HTTP too', async () => {
    const auditor = await service.principal('auditor');
    const response = await service.as(auditor.token).get('/api/v1/integrity/verify');
    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(true);
    // The audit log's 16 chains and the ledger's 16, none broken.
    expect(response.body.chains).toHaveLength(32);
    expect(response.body.chains.filter((c: { firstBreak: unknown }) => c.firstBreak !== null)).toEqual([]);
  });

  it('an audit row changed by the owner, its trigger switched off: named, content_changed', async () => {
    const rows = await historyRows(owner);
    const target = rows[1]!.id;
    await owner.query(`alter table audit_log disable trigger audit_log_append_only`);
    await owner.query(`update audit_log set status = 500 where id = $1`, [target]);
    await owner.query(`alter table audit_log enable trigger audit_log_append_only`);
    const auditor = await service.principal('auditor');
    const response = await service.as(auditor.token).get('/api/v1/integrity/verify');
    expect(response.body.ok).toBe(false);
    const audit = byChain(response.body.chains, 'audit_log');
    expect(audit.firstBreak).toMatchObject({ shard: rows[1]!.shard, id: target, position: rows[1]!.position, reason: 'content_changed' });
    expect(response.body.chains.filter((c: { ok: boolean }) => !c.ok)).toHaveLength(1);
    expect(audit.firstBreak?.message).toContain(`audit row ${target}`);
    expect(response.body.chains.filter((c: { chain: string; ok: boolean }) => c.chain === 'ledger' && !c.ok)).toEqual([]);
  });

  it('a ledger line’s amount changed by the owner, its triggers switched off: its entry is named', async () => {
    await owner.query(`alter table ledger_line disable trigger user`);
    await owner.query(`update ledger_line set amount_fen = 25000 where entry_id = 2 and line_no = 1`);
    await owner.query(`alter table ledger_line enable trigger user`);
    const report = await verifyDatabase(service.db.pool);
    expect(ledgerReport(report.chains).firstBreak).toMatchObject({ id: '2', position: 2, reason: 'content_changed' });
  });

  it('a ledger entry deleted with its lines: the chain row that names it is named', async () => {
    await owner.query(`alter table ledger_line disable trigger user`);
    await owner.query(`alter table ledger_entry disable trigger user`);
    await owner.query(`delete from ledger_line where entry_id = 2`);
    await owner.query(`delete from ledger_entry where id = 2`);
    await owner.query(`alter table ledger_line enable trigger user`);
    await owner.query(`alter table ledger_entry enable trigger user`);
    const report = await verifyDatabase(service.db.pool);
    expect(ledgerReport(report.chains).firstBreak).toMatchObject({ id: '2', position: 2, reason: 'row_missing' });
  });

  it('an audit row deleted: the row after it is named, link_broken', async () => {
    const rows = await historyRows(owner);
    await owner.query(`alter table audit_log disable trigger user`);
    await owner.query(`delete from audit_log where id = $1`, [rows[1]!.id]);
    await owner.query(`alter table audit_log enable trigger user`);
    const report = await verifyDatabase(service.db.pool);
    // The row after it now stands at its position, and does not link to the row before.
    expect(byChain(report.chains, 'audit_log').firstBreak).toMatchObject({ shard: rows[1]!.shard, id: rows[2]!.id, position: rows[1]!.position, reason: 'link_broken' });
  });

  it('history rewritten whole, every hash and the head recomputed by the owner: only the daily statement kept outside shows it', async () => {
    // The statement of the day, as a third party downloaded it (the day made to have ended by asking "tomorrow").
    const today = todayInChina();
    const kept = await dailyStatement(service.db.pool, today, new Date(Date.now() + 2 * 86_400_000));
    expect(kept.chains.filter((c) => c.chain === 'ledger' && c.rows > 0)).toEqual([expect.objectContaining({ rows: 3, lastId: '3' })]);
    // Its anchor is the sha256 of its lines, recomputed here.
    const text = [
      'ip-pledge-ledger integrity statement v1',
      today,
      ...kept.chains.map((c) => `${c.chain} ${c.shard} ${c.rows} ${c.lastId ?? '-'} ${c.lastHash}`),
    ].join('\n');
    expect(kept.anchor).toBe(sha256(text).toString('hex'));

    // The owner rewrites the first entry's amount, then recomputes every ledger hash and the head.
    await owner.query(`alter table ledger_line disable trigger user`);
    await owner.query(`alter table ledger_chain disable trigger user`);
    await owner.query(`update ledger_line set amount_fen = 1 where entry_id = 1`);
    await owner.query(`
      do $$
      declare r record; previous bytea := decode(repeat('00', 32), 'hex'); chain_no smallint;
      begin
        for r in select c.shard, c.seq, integrity_ledger_entry_content(e, (select string_agg(integrity_ledger_line_content(l, a.code), ',' order by l.line_no)
                   from ledger_line l join ledger_account a on a.id = l.account_id where l.entry_id = e.id)) as content
                   from ledger_chain c join ledger_entry e on e.id = c.entry_id order by c.shard, c.seq loop
          update ledger_chain set prev_hash = previous, hash = sha256(previous || convert_to(r.content, 'UTF8'))
           where shard = r.shard and seq = r.seq
            returning hash into previous;
          chain_no := r.shard;
        end loop;
        update integrity_chain set last_hash = previous where chain = 'ledger' and shard = chain_no;
      end $$`);
    await owner.query(`alter table ledger_line enable trigger user`);
    await owner.query(`alter table ledger_chain enable trigger user`);

    const alone = await verifyDatabase(service.db.pool);
    expect(alone.ok).toBe(true); // consistent with itself…
    const anchored = await verifyDatabase(
      service.db.pool,
      statementHeads(kept).map((head) => ({ head, source: `the statement of ${kept.date}` })),
    );
    expect(ledgerReport(anchored.chains).firstBreak).toMatchObject({ id: '3', position: 3, reason: 'anchor_mismatch' });
    // …and the statement asked for again no longer matches the copy kept.
    const again = await dailyStatement(service.db.pool, today, new Date(Date.now() + 2 * 86_400_000));
    expect(again.anchor).not.toBe(kept.anchor);
  });
});

describe('the daily statement', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await serviceWithHistory();
  });
  afterAll(() => service.close());

  it('is refused for today (422 naming date) and made for a day that has ended, the same each time but for issuedAt', async () => {
    const finance = await service.principal('finance');
    const today = todayInChina();
    const refused = await service.as(finance.token).get(`/api/v1/integrity/statements/${today}`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].path).toBe('date');

    const first = await service.as(finance.token).get('/api/v1/integrity/statements/2024-01-31');
    expect(first.status).toBe(200);
    expect(first.headers['content-disposition']).toContain('integrity-statement-2024-01-31.json');
    // Nothing was chained before 2024-02-01 00:00 in China: empty chains, at the genesis hash.
    expect(first.body).toMatchObject({ date: '2024-01-31', dayEnd: '2024-01-31T16:00:00.000Z' });
    const empty = { rows: 0, lastId: null, lastHash: '0'.repeat(64), lastAt: null };
    expect(first.body.chains).toEqual([
      { chain: 'audit_log', shard: 0, ...empty },
      ...Array.from({ length: 16 }, (_, shard) => ({ chain: 'ledger', shard, ...empty })),
    ]);
    const second = await service.as(finance.token).get('/api/v1/integrity/statements/2024-01-31');
    expect({ ...second.body, issuedAt: null }).toEqual({ ...first.body, issuedAt: null });
  });

  it('counts everything chained before the day ended: the heads of now, when the day asked for ends tomorrow', async () => {
    await settleAudit(service);
    const heads = await chainHeads(service.db.pool);
    const statement = await dailyStatement(service.db.pool, todayInChina(), new Date(Date.now() + 2 * 86_400_000));
    // The audit log's chains 1–15 are named once they have a row; every other chain always.
    const named = heads.filter((head) => head.chain === 'ledger' || head.shard === 0 || head.rows > 0);
    expect(named.some((head) => head.chain === 'audit_log' && head.shard > 0)).toBe(true);
    expect(statement.chains).toHaveLength(named.length);
    for (const head of named) {
      expect(statement.chains.find((c) => c.chain === head.chain && c.shard === head.shard)).toMatchObject({
        rows: head.rows,
        lastId: head.lastId,
        lastHash: head.lastHash,
      });
    }
  });
});

describe('npm run verify', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await serviceWithHistory();
  });
  afterAll(() => service.close());

  const run = promisify(execFile);
  const verify = (...args: string[]) =>
    run(process.execPath, ['-r', './scripts/register-ts.cjs', 'scripts/verify.ts', ...args], { cwd: path.join(__dirname, '..') }).then(
      (result) => ({ code: 0, out: result.stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, out: error.stdout }),
    );

  it('verifies an export file, and names the row of an export changed afterwards (exit status 1)', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ipl-verify-'));
    const file = path.join(folder, 'chains.jsonl');
    const lines = [JSON.stringify({ format: 'ip-pledge-ledger integrity export', version: 1, heads: await chainHeads(service.db.pool) })];
    for await (const row of exportRows(service.db.pool)) lines.push(JSON.stringify(row));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const clean = await verify('--file', file);
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/^ledger: 3 rows verify/m);

    // The second ledger entry's first line, 250 fen, made 25000 in the file.
    const changed = lines.map((line) => {
      const row = JSON.parse(line);
      if (row.chain !== 'ledger' || row.id !== '2') return line;
      return JSON.stringify({ ...row, content: row.content.replace('"amount_fen":"250"', '"amount_fen":"25000"') });
    });
    fs.writeFileSync(file, `${changed.join('\n')}\n`);
    const broken = await verify('--file', file);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/^ledger chain \d+: BROKEN at row 2 \(position 2\) — content_changed/m);
    fs.rmSync(folder, { recursive: true, force: true });
  }, 60_000);
});

describe('rows written before the chains existed', () => {
  it('are chained by the migration in id order, and verify', async () => {
    const serverUrl = process.env.TEST_DATABASE_SERVER_URL!;
    const name = `ipl_test_${process.env.TEST_RUN_ID}_backfill`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    const roles = await prepareOwnedDatabase(serverUrl, name, TEST_ROLES);
    const init = () =>
      MikroORM.init({
        clientUrl: roles.ownerUrl,
        entities: [],
        discovery: { warnWhenNoEntities: false },
        extensions: [Migrator],
        migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
        debug: false,
        allowGlobalContext: true,
      });
    let orm = await init();
    await orm.getMigrator().up({ to: 'Migration20261123000006Whitelist' });
    await orm.close(true);
    const pool = createPool(roles.ownerUrl, 2);
    try {
      // The accounts as that schema holds them (today's ensureAccounts names columns it does not have yet).
      await pool.query(
        `insert into ledger_account (code, name, type, normal_side) values ('int:cash', '现金', 'asset', 'debit'), ('int:capital', '资本', 'equity', 'credit')`,
      );
      await postMany(pool, [transfer('old-1', 10n), transfer('old-2', 20n)]);
      await recordAudit(pool, { principalId: null, action: 'old.one' });
      await recordAudit(pool, { principalId: null, action: 'old.two' });
      orm = await init();
      await orm.getMigrator().up();
      await orm.close(true);
      await grantServingRole(roles.ownerUrl, roles.appRole);
      await post(pool, transfer('new-1', 30n));
      await recordAudit(pool, { principalId: null, action: 'new.one' });
      const report = await verifyDatabase(pool);
      expect(report.ok).toBe(true);
      expect([rowsOf(report.chains, 'audit_log'), rowsOf(report.chains, 'ledger')]).toEqual([3, 3]);
      // The two entries from before are chain 0's first two.
      expect((await pool.query(`select entry_id from ledger_chain where shard = 0 and seq <= 2 order by seq`)).rows.map((r) => r.entry_id)).toEqual([1n, 2n]);
      // The new audit row is numbered after the old ones, on its transaction's chain: after the old ones on chain 0
      // (where the migration left them), first on any other.
      const old = (await pool.query<{ id: bigint; chain_no: number | null; hash: Buffer }>(`select id, chain_no, hash from audit_log where action like 'old.%' order by id`)).rows;
      expect(old.map((r) => [r.id, r.chain_no])).toEqual([[1n, null], [2n, null]]);
      const fresh = (await pool.query<{ id: bigint; chain_no: number | null; prev_hash: Buffer }>(`select id, chain_no, prev_hash from audit_log where action = 'new.one'`)).rows[0]!;
      expect(fresh.id).toBe(3n);
      expect(fresh.prev_hash.equals(fresh.chain_no === null ? old[1]!.hash : GENESIS)).toBe(true);
    } finally {
      await pool.end();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  }, 60_000);
});
