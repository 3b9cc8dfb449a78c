/**
 * Which ledger chain a posting links (migrations/…LedgerFreeChain.ts): the first chain no other transaction holds,
 * so a posting never waits for an open transaction's chain while another stands free; every posting of one
 * transaction on the chain it holds; the chains verify afterwards.
 */
import { ensureAccounts, post } from '../src/ledger';
import { verifyDatabase } from '../src/integrity';
import { createTestDatabase, type TestDatabase } from './support/database';
import { transferEntry } from './support/ledger';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureAccounts(db.pool, [
    { code: 'chains:cash', name: 'cash', type: 'asset' },
    { code: 'chains:capital', name: 'capital', type: 'equity' },
    // The open transaction's own accounts: their rows stay locked until it commits.
    { code: 'chains:held-cash', name: 'held cash', type: 'asset' },
    { code: 'chains:held-capital', name: 'held capital', type: 'equity' },
  ]);
});
afterAll(() => db.drop());

const transfer = (key: string, amountFen: bigint, prefix = 'chains:') => transferEntry(key, `${prefix}cash`, `${prefix}capital`, amountFen);

const chainOf = async (entryIds: bigint[]) =>
  (await db.pool.query<{ entry_id: string; shard: number; seq: string }>(
    `select entry_id::text, shard, seq::text from ledger_chain where entry_id = any($1::bigint[]) order by entry_id`,
    [entryIds],
  )).rows;

it("while a transaction holds its chain open, 32 postings one after another (their ids' mod 16 going round every chain) wait for none and link other chains", async () => {
  const holder = await db.rawClient('app');
  await holder.query('begin');
  const held = await post(holder, transfer('held-open', 100n, 'chains:held-'));
  const heldChain = Number((await holder.query<{ chain: string }>(`select current_setting('ipl.ledger_chain') as chain`)).rows[0]!.chain);

  // Without a free chain taken, a posting whose transaction id falls on the held chain would wait for the holder's
  // commit; lock_timeout turns that wait into an error (55P03).
  const writer = await db.rawClient('app');
  await writer.query(`set lock_timeout = '2s'`);
  const ids: bigint[] = [];
  for (let i = 0; i < 32; i += 1) ids.push((await post(writer, transfer(`while-held-${i}`, 1n))).id);
  const links = await chainOf(ids);
  expect(links).toHaveLength(32);
  expect(links.filter((link) => link.shard === heldChain)).toEqual([]);
  // They went round: more than one chain was used.
  expect(new Set(links.map((link) => link.shard)).size).toBeGreaterThan(1);

  await holder.query('commit');
  expect((await chainOf([held.id]))[0]!.shard).toBe(heldChain);
  expect((await verifyDatabase(db.pool)).ok).toBe(true);
});

it("a transaction's postings all link the chain it took first, one after another", async () => {
  const client = await db.rawClient('app');
  await client.query('begin');
  const ids = [];
  for (let i = 0; i < 3; i += 1) ids.push((await post(client, transfer(`one-transaction-${i}`, 5n))).id);
  await client.query('commit');
  const links = await chainOf(ids);
  expect(new Set(links.map((link) => link.shard)).size).toBe(1);
  const seqs = links.map((link) => Number(link.seq));
  expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
  // The setting is the transaction's own: gone after its commit.
  expect((await client.query<{ chain: string | null }>(`select nullif(current_setting('ipl.ledger_chain', true), '') as chain`)).rows[0]!.chain).toBeNull();
});
