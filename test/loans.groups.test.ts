/**
 * Group commit of single loans (src/loans/groups.ts, migrations/Migration20261205000600LoansWriteGroups.ts): loans
 * that wait for a statement go together in one, each with its own Idempotency-Key, audit row and answer; a refusal
 * of one sends each loan of the group on its own, where only its own request is refused.
 */
import { randomUUID } from 'node:crypto';
import type { WriteEnvelope } from '../src/db/one-statement';
import { entryContentHash } from '../src/ledger/posting';
import { eventEntry } from '../src/loans/accounts';
import { EventWriteGroups, eventWriteGroups, LoanWriteGroups, loanWriteGroups, type EventInput, type LoanInput } from '../src/loans';
import { count, loanBody, registerEnterprises, USCC } from './loans.support';
import { startTestService, type TestService } from './support/app';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
});
afterAll(() => service.close());

const PRINCIPAL_FEN = 100_000_000n; // 1,000,000.00 yuan

function loanInput(contractNo: string, patentless = 0): LoanInput {
  return {
    contractNo,
    enterpriseUscc: USCC.yuanzhou,
    principalFen: PRINCIPAL_FEN,
    annualRate: '0.0435',
    startDate: '2024-01-15',
    maturityDate: '2025-01-15',
    collateral: 'ip_only',
    pledges: [{ rightType: 'trademark', number: String(20_000_000 + patentless) }],
  };
}

function envelope(principalId: string, key: string | null = null): WriteEnvelope {
  return {
    principalId,
    key,
    method: 'POST',
    path: '/api/v1/loans',
    hash: key === null ? null : `hash-of-${key}`,
    requestId: randomUUID(),
    auditPath: '/api/v1/loans',
    action: 'POST /api/v1/loans',
    status: 201,
    detail: {},
  };
}

const balance = async (code: string): Promise<bigint> =>
  BigInt((await service.db.pool.query(`select debits_fen - credits_fen as b from ledger_account_current where code = $1`, [code])).rows[0].b);

describe('loans waiting for a statement', () => {
  it('go in one group behind the statement running: each written, posted and audited as if alone', async () => {
    const bank = await service.bank();
    const writer = { bankId: bank.bankId, principalId: bank.principalId };
    // One statement at a time: the first loan runs alone, the four sent meanwhile wait and go together.
    const groups = new LoanWriteGroups(service.db.pool, 1);
    const envelopes = [0, 1, 2, 3, 4].map(() => envelope(bank.principalId));
    const outcomes = await Promise.all(
      envelopes.map((sent, index) => groups.write(writer, { input: loanInput(`G1-${index}`, index), options: { today: '2026-12-05', envelope: sent, answer: (loan) => ({ id: loan.id }) } })),
    );
    expect(groups.statistics).toEqual({ singles: 1, groups: 1, grouped: 4, refusedGroups: 0 });

    const ids = outcomes.map((outcome) => (outcome?.kind === 'written' ? outcome.value.loan.id : undefined));
    expect(new Set(ids).size).toBe(5);
    for (const [index, outcome] of outcomes.entries()) {
      expect(outcome).toMatchObject({ kind: 'written', value: { loan: { contractNo: `G1-${index}`, principalFen: PRINCIPAL_FEN }, enterpriseName: 'yuanzhou 企业', bankName: expect.stringMatching(/^测试银行/) } });
      // The facility of each: its whole principal undrawn, from its own entry.
      expect(await balance(`loan:${ids[index]}:undrawn`)).toBe(PRINCIPAL_FEN);
    }
    // The bank's shared account: five facilities of 1,000,000.00 granted, a credit of 500,000,000 fen.
    expect(await balance(`bank:${bank.bankId}:facilities`)).toBe(-5n * PRINCIPAL_FEN);
    // One audit row per request, under its own request id; the pledges, one per loan.
    for (const sent of envelopes) expect(await count(service, `audit_log where request_id = '${String(sent.requestId)}'`)).toBe(1);
    expect(await count(service, `pledge where loan_id in (${ids.map((id) => `'${id}'`).join(', ')})`)).toBe(5);
  });

  it('a group with one loan refused writes nothing: each goes alone, and only that one is refused', async () => {
    const bank = await service.bank();
    const writer = { bankId: bank.bankId, principalId: bank.principalId };
    const groups = new LoanWriteGroups(service.db.pool, 1);
    const write = (contractNo: string, index: number) =>
      groups.write(writer, { input: loanInput(contractNo, 100 + index), options: { today: '2026-12-05', envelope: envelope(bank.principalId), answer: (loan) => ({ id: loan.id }) } });
    const loansBefore = await count(service, 'loan');
    // The second waiting loan reuses the first loan's contract number: the group of three is refused by the database.
    const outcomes = await Promise.all([write('G2-0', 0), write('G2-1', 1), write('G2-0', 2), write('G2-3', 3)]);
    expect(groups.statistics).toEqual({ singles: 4, groups: 0, grouped: 0, refusedGroups: 1 });
    expect(outcomes.map((outcome) => outcome?.kind)).toEqual(['written', 'written', undefined, 'written']);
    expect(await count(service, 'loan')).toBe(loansBefore + 3);
  });

  it('a group holding an Idempotency-Key used before is refused: that request is answered as a replay, the others written', async () => {
    const bank = await service.bank();
    const writer = { bankId: bank.bankId, principalId: bank.principalId };
    const groups = new LoanWriteGroups(service.db.pool, 1);
    const write = (contractNo: string, key: string, index: number) =>
      groups.write(writer, { input: loanInput(contractNo, 200 + index), options: { today: '2026-12-05', envelope: envelope(bank.principalId, key), answer: (loan) => ({ id: loan.id }) } });
    const first = await write('G3-0', 'g3-key-0', 0);
    expect(first?.kind).toBe('written');
    const outcomes = await Promise.all([write('G3-9', 'g3-key-9', 9), write('G3-0', 'g3-key-0', 0), write('G3-1', 'g3-key-1', 1)]);
    expect(groups.statistics.refusedGroups).toBe(1);
    expect(outcomes.map((outcome) => outcome?.kind)).toEqual(['written', 'replay', 'written']);
    expect(outcomes[1]).toMatchObject({ kind: 'replay', requestHash: 'hash-of-g3-key-0', status: 201 });
    expect(await count(service, `loan where bank_id = '${bank.bankId}'`)).toBe(3);
  });

  it('the database refuses a group of one principal’s loans sent as another’s, or a group of one', async () => {
    const bank = await service.bank();
    const other = await service.bank();
    const groups = new LoanWriteGroups(service.db.pool, 1);
    const writer = { bankId: bank.bankId, principalId: bank.principalId };
    const loansBefore = await count(service, 'loan');
    // The first runs alone; the second and third wait together, one with an envelope of another principal.
    const outcomes = await Promise.all([
      groups.write(writer, { input: loanInput('G4-0', 300), options: { today: '2026-12-05', envelope: envelope(bank.principalId), answer: () => ({}) } }),
      groups.write(writer, { input: loanInput('G4-1', 301), options: { today: '2026-12-05', envelope: envelope(bank.principalId), answer: () => ({}) } }),
      groups.write(writer, { input: loanInput('G4-2', 302), options: { today: '2026-12-05', envelope: envelope(other.principalId), answer: () => ({}) } }),
    ]);
    expect(groups.statistics.refusedGroups).toBe(1);
    // Alone, the mismatched envelope is written under its own principal's audit row; the loan is the writer's.
    expect(outcomes.map((outcome) => outcome?.kind)).toEqual(['written', 'written', 'written']);
    expect(await count(service, 'loan')).toBe(loansBefore + 3);
    await expect(
      service.db.pool.query(`select * from loan_create_group(array[$1::jsonb], array['{}'::jsonb], array[gen_random_uuid()], $2::uuid, '{x}', '{x}', '{1}', '{0.01}', '{2024-01-01}', '{2025-01-01}', '{ip_only}', '{1}', $3::uuid,
        '{1}', '{1}', '{trademark}', '{1}', '{NULL}', '{NULL}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{k}', '{2024-01-01}', '{d}', '{loan}', '{x}', '{NULL}', '{}', '{}', '{}', '{}', '{}', '{}')`, [
        JSON.stringify(envelope(bank.principalId)),
        bank.bankId,
        bank.principalId,
      ]),
    ).rejects.toMatchObject({ code: 'LN005' });
  });
});

describe('POST /api/v1/loans sent in parallel', () => {
  it('every request answered as its own, replayed as its own, with at least one group formed', async () => {
    const bank = await service.bank();
    const groups = loanWriteGroups(service.db.pool);
    const before = { ...groups.statistics };
    const bodies = Array.from({ length: 24 }, (_, index) => loanBody({ contractNo: `G5-${index}`, pledges: [{ rightType: 'trademark', number: String(21_000_000 + index) }] }));
    const sent = await Promise.all(bodies.map((body, index) => service.as(bank.token).post('/api/v1/loans').set('Idempotency-Key', `g5-${index}`).send(body)));
    expect(sent.map((response) => response.status)).toEqual(bodies.map(() => 201));
    expect(groups.statistics.groups).toBeGreaterThan(before.groups);
    for (const [index, response] of sent.entries()) {
      expect(response.body).toMatchObject({ contractNo: `G5-${index}`, principal: '1000000.00', enterpriseName: 'yuanzhou 企业' });
      expect(await count(service, `audit_log where request_id = '${String(response.headers['x-request-id'])}'`)).toBe(1);
      const replay = await service.as(bank.token).post('/api/v1/loans').set('Idempotency-Key', `g5-${index}`).send(bodies[index]!);
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(response.body);
      const read = await service.as(bank.token).get(`/api/v1/loans/${String(response.body.id)}`);
      expect(read.body).toMatchObject({ id: response.body.id, createdAt: response.body.createdAt, disbursed: '0.00' });
    }
    expect(await balance(`bank:${bank.bankId}:facilities`)).toBe(-24n * PRINCIPAL_FEN);
  });
});

describe('events waiting for a statement', () => {
  const eventEnvelope = (principalId: string): WriteEnvelope => ({ ...envelope(principalId), path: '/api/v1/loans/x/events', auditPath: '/api/v1/loans/x/events', action: 'POST /api/v1/loans/{id}/events' });

  async function loansOf(token: string, howMany: number, prefix: string): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < howMany; index += 1) {
      const created = await service.as(token).post('/api/v1/loans').send(loanBody({ contractNo: `${prefix}-${index}` }));
      expect(created.status).toBe(201);
      ids.push(String(created.body.id));
    }
    return ids;
  }

  it('go in one group, never two of one loan: each answer states its loan after that event', async () => {
    const bank = await service.bank();
    const writer = { bankId: bank.bankId, principalId: bank.principalId };
    const [a, b, c, d] = await loansOf(bank.token, 4, 'E1');
    const groups = new EventWriteGroups(service.db.pool, 1);
    const write = (input: EventInput) =>
      groups.write(writer, { input, options: { today: '2026-12-05', envelope: eventEnvelope(bank.principalId), answer: () => ({}) } });
    // a runs alone; b, c and d wait and go together; b's repayment waits for the group after (its loan is in this one).
    const outcomes = await Promise.all([
      write({ loanId: a!, type: 'disbursement', date: '2024-01-15', amountFen: 50_000_000n }),
      write({ loanId: b!, type: 'disbursement', date: '2024-01-15', amountFen: 50_000_000n }),
      write({ loanId: b!, type: 'principal_repayment', date: '2024-06-15', amountFen: 10_000_000n }),
      write({ loanId: c!, type: 'disbursement', date: '2024-01-20', amountFen: 30_000_000n }),
      write({ loanId: d!, type: 'overdue', date: '2024-03-20', daysOverdue: 5 }),
    ]);
    expect(groups.statistics).toEqual({ singles: 2, groups: 1, grouped: 3, refusedGroups: 0 });
    const loans = outcomes.map((outcome) => (outcome?.kind === 'written' ? outcome.value.loan : undefined));
    // 1,000,000.00 granted each: b 500,000.00 drawn, then 100,000.00 repaid; c 300,000.00 drawn; d nothing, overdue.
    expect(loans).toEqual([
      { outstandingFen: 50_000_000n, interestPaidFen: 0n, disbursedFen: 50_000_000n, status: 'active' },
      { outstandingFen: 50_000_000n, interestPaidFen: 0n, disbursedFen: 50_000_000n, status: 'active' },
      { outstandingFen: 40_000_000n, interestPaidFen: 0n, disbursedFen: 50_000_000n, status: 'active' },
      { outstandingFen: 30_000_000n, interestPaidFen: 0n, disbursedFen: 30_000_000n, status: 'active' },
      { outstandingFen: 0n, interestPaidFen: 0n, disbursedFen: 0n, status: 'overdue' },
    ]);
    const entries = outcomes.map((outcome) => (outcome?.kind === 'written' ? outcome.value.event.ledgerEntryId : 'none'));
    expect(entries[4]).toBeNull();
    expect(new Set(entries.slice(0, 4)).size).toBe(4);
    expect(entries.slice(0, 4).every((entry) => typeof entry === 'bigint')).toBe(true);
    // Each grouped entry is the one the event would post alone: its description names the loan's contract, and its
    // content hash is the one the service computes for that entry.
    for (const [index, contractNo] of ['E1-1', 'E1-2'].entries()) {
      const outcome = outcomes[index === 0 ? 1 : 3];
      if (outcome?.kind !== 'written') throw new Error('written expected');
      const { event } = outcome.value;
      const stored = await service.db.pool.query(`select description, content_hash from ledger_entry where id = $1`, [event.ledgerEntryId]);
      const expected = eventEntry({ ...event, amountFen: event.amountFen! }, { id: event.loanId, bankId: bank.bankId, contractNo });
      expect(stored.rows[0]).toEqual({ description: expected.description, content_hash: entryContentHash(expected) });
    }
    expect(await balance(`loan:${b}:outstanding`)).toBe(40_000_000n);
    expect(await balance(`loan:${c}:undrawn`)).toBe(70_000_000n);
    expect(await count(service, `loan_event where loan_id in ('${a}', '${b}', '${c}', '${d}')`)).toBe(5);
  });

  it('a group with an event refused (another bank’s loan) writes nothing: each goes alone, and only that one is refused', async () => {
    const bank = await service.bank();
    const other = await service.bank();
    const writer = { bankId: bank.bankId, principalId: bank.principalId };
    const [a, b, c] = await loansOf(bank.token, 3, 'E2');
    const [foreign] = await loansOf(other.token, 1, 'E2x');
    const groups = new EventWriteGroups(service.db.pool, 1);
    const write = (loanId: string) =>
      groups.write(writer, { input: { loanId, type: 'disbursement', date: '2024-01-15', amountFen: 1_000_00n }, options: { today: '2026-12-05', envelope: eventEnvelope(bank.principalId), answer: () => ({}) } });
    const outcomes = await Promise.all([write(a!), write(b!), write(foreign!), write(c!)]);
    expect(groups.statistics).toEqual({ singles: 4, groups: 0, grouped: 0, refusedGroups: 1 });
    expect(outcomes.map((outcome) => outcome?.kind)).toEqual(['written', 'written', undefined, 'written']);
    expect(await count(service, `loan_event where loan_id = '${foreign}'`)).toBe(0);
  });

  it('POST /api/v1/loans/{id}/events sent in parallel: each answered and replayed as its own, with a group formed', async () => {
    const bank = await service.bank();
    const ids = await loansOf(bank.token, 16, 'E3');
    const groups = eventWriteGroups(service.db.pool);
    const before = { ...groups.statistics };
    const body = { type: 'disbursement', date: '2024-01-15', amount: '250000.00' };
    const sent = await Promise.all(ids.map((id, index) => service.as(bank.token).post(`/api/v1/loans/${id}/events`).set('Idempotency-Key', `e3-${index}`).send(body)));
    expect(sent.map((response) => response.status)).toEqual(ids.map(() => 201));
    expect(groups.statistics.groups).toBeGreaterThan(before.groups);
    for (const [index, response] of sent.entries()) {
      expect(response.body).toMatchObject({ loanId: ids[index], amount: '250000.00', loan: { outstandingPrincipal: '250000.00', disbursed: '250000.00', status: 'active' } });
      expect(await count(service, `audit_log where request_id = '${String(response.headers['x-request-id'])}'`)).toBe(1);
      const replay = await service.as(bank.token).post(`/api/v1/loans/${ids[index]}/events`).set('Idempotency-Key', `e3-${index}`).send(body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(response.body);
    }
  });
});
