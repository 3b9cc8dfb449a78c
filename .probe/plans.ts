import pg from 'pg';
import { openBenchDatabase } from '../bench/support';
import { createPool } from '../src/db/pool';
import { ensureAccounts, post } from '../src/ledger';

async function main() {
  const db = await openBenchDatabase(`ipl_probe_${process.pid}`);
  try {
    const pool = createPool(db.url, 2);
    await ensureAccounts(pool, Array.from({ length: Number(process.env.N ?? 1000) }, (_, i) => ({ code: `bench:${i}`, name: `b ${i}`, type: 'asset' as const })));
    const owner = new pg.Client({ connectionString: db.ownerUrl }); await owner.connect(); await owner.query('vacuum analyze'); await owner.end();
    const admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    admin.on('notice', (n) => { if (/Seq Scan|Hash|Nested|Index/.test(n.message ?? '')) console.log('----\n' + n.message); });
    await admin.query(`load 'auto_explain'`);
    await admin.query(`set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on; set client_min_messages = log`);
    for (let i = 0; i < 8; i++) {
      if (i === 7) await admin.query(`set auto_explain.log_analyze = on`);
      else await admin.query(`set client_min_messages = warning`);
      if (i === 7) await admin.query(`set client_min_messages = log`);
      await post(admin, { idempotencyKey: `p${i}`, effectiveDate: '2024-06-30', description: 'x', source: { kind: 'bench', id: String(i) }, lines: [
        { accountCode: `bench:${i}`, side: 'debit', amountFen: 5n }, { accountCode: `bench:${i + 500}`, side: 'credit', amountFen: 5n }] });
    }
    await admin.end(); await pool.end();
  } finally { await db.close(); }
}
main().catch((e) => { console.error(e); process.exit(1); });
