import { z } from 'zod';
import { balance, exportHledgerJournal, ledgerSummary, statement, trialBalance, type Balance } from '../../ledger';
import { formatYuan } from '../../money';
import { accountNameZh, movementNameZh, readNameLookup, type NameLookup } from '../../reports/ledger-names';
import type { RouteRegistry } from '../route';
import { IsoDate } from '../schemas';
import { registerIntegrityRoutes } from './integrity';

const AccountCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/, 'is not an account code');
const BalanceOut = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  normalSide: z.string(),
  debits: z.string(),
  credits: z.string(),
  balance: z.string(),
  nameZh: z.string().meta({ description: 'the account named for people, in Chinese, from the enterprise, bank and contract behind it' }),
});

const balanceOut = (b: Balance, lookup: NameLookup) => ({
  code: b.code,
  name: b.name,
  nameZh: accountNameZh(b.code, lookup, b.name),
  type: b.type,
  normalSide: b.normalSide,
  debits: formatYuan(b.debitsFen),
  credits: formatYuan(b.creditsFen),
  balance: formatYuan(b.balanceFen),
});

const READERS = ['staff', 'finance', 'auditor'] as const;

export function registerLedgerRoutes(registry: RouteRegistry): void {
  // The ledger's and the audit log's hash chains, their verifier and daily statement (src/http/routes/integrity.ts).
  registerIntegrityRoutes(registry);
  registry.add({
    method: 'get',
    path: '/api/v1/ledger/trial-balance',
    summary: 'Every account with debits, credits and balance, now or as of the end of a value date',
    tag: 'ledger',
    roles: READERS,
    query: z.object({ asOf: IsoDate.optional(), prefix: z.string().max(200).optional() }),
    responses: {
      200: {
        description: 'the trial balance; totalDebits always equals totalCredits',
        schema: z.object({
          asOf: z.string().nullable(),
          accounts: z.array(BalanceOut),
          totalDebits: z.string(),
          totalCredits: z.string(),
        }),
      },
    },
    handler: async ({ db, query }) => {
      const tb = await trialBalance(db, { asOf: query.asOf ?? null, ...(query.prefix ? { prefix: query.prefix } : {}) });
      const lookup = await readNameLookup(db, tb.accounts.map((account) => account.code));
      return {
        status: 200,
        body: {
          asOf: tb.asOf,
          accounts: tb.accounts.map((account) => balanceOut(account, lookup)),
          totalDebits: formatYuan(tb.totalDebitsFen),
          totalCredits: formatYuan(tb.totalCreditsFen),
        },
      };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/ledger/summary',
    summary:
      'Debits, credits and balance by account type, normal side and code prefix (loan, bank, fund, subsidy), with the ' +
      "trial balance's totals and account count, without reading every account",
    tag: 'ledger',
    roles: READERS,
    query: z.object({ asOf: IsoDate.optional() }),
    responses: {
      200: {
        description: 'the summary; its totals equal the trial balance of the same date',
        schema: z.object({
          asOf: z.string().nullable(),
          groups: z.array(
            z.object({
              type: z.string(),
              normalSide: z.string(),
              prefix: z.string(),
              accounts: z.number().int(),
              debits: z.string(),
              credits: z.string(),
              balance: z.string(),
            }),
          ),
          accounts: z.number().int(),
          totalDebits: z.string(),
          totalCredits: z.string(),
        }),
      },
    },
    handler: async ({ db, query }) => {
      const summary = await ledgerSummary(db, { asOf: query.asOf ?? null });
      return {
        status: 200,
        body: {
          asOf: summary.asOf,
          groups: summary.groups.map((group) => ({
            type: group.type,
            normalSide: group.normalSide,
            prefix: group.prefix,
            accounts: group.accounts,
            debits: formatYuan(group.debitsFen),
            credits: formatYuan(group.creditsFen),
            balance: formatYuan(group.balanceFen),
          })),
          accounts: summary.accounts,
          totalDebits: formatYuan(summary.totalDebitsFen),
          totalCredits: formatYuan(summary.totalCreditsFen),
        },
      };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/ledger/accounts/{code}/balance',
    summary: "An account's balance now or as of the end of a value date",
    tag: 'ledger',
    roles: READERS,
    params: z.object({ code: AccountCode }),
    query: z.object({ asOf: IsoDate.optional() }),
    responses: { 200: { description: 'the balance', schema: BalanceOut.extend({ asOf: z.string().nullable() }) } },
    handler: async ({ db, params, query }) => {
      const b = await balance(db, params.code, query.asOf ?? null);
      return { status: 200, body: { ...balanceOut(b, await readNameLookup(db, [b.code])), asOf: b.asOf } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/ledger/accounts/{code}/entries',
    summary: "An account's statement: opening balance, every line dated from…to with its entry and source, closing balance",
    tag: 'ledger',
    roles: READERS,
    params: z.object({ code: AccountCode }),
    query: z.object({ from: IsoDate, to: IsoDate }),
    responses: {
      200: {
        description: 'the statement',
        schema: z.object({
          code: z.string(),
          nameZh: z.string().meta({ description: 'the account named for people, in Chinese' }),
          from: z.string(),
          to: z.string(),
          opening: z.string(),
          entries: z.array(
            z.object({
              entryId: z.string(),
              effectiveDate: z.string(),
              recordedAt: z.string(),
              description: z.string(),
              descriptionZh: z.string().meta({ description: 'the movement named for people, in Chinese' }),
              source: z.object({ kind: z.string(), id: z.string() }),
              side: z.enum(['debit', 'credit']),
              amount: z.string(),
              balance: z.string(),
              reversesEntryId: z.string().nullable(),
            }),
          ),
          closing: z.string(),
        }),
      },
    },
    handler: async ({ db, params, query }) => {
      const s = await statement(db, params.code, query.from, query.to);
      const lookup = await readNameLookup(db, [s.code, ...s.lines.map((line) => line.description)]);
      const account = await balance(db, params.code, null);
      return {
        status: 200,
        body: {
          code: s.code,
          nameZh: accountNameZh(s.code, lookup, account.name),
          from: s.from,
          to: s.to,
          opening: formatYuan(s.openingFen),
          entries: s.lines.map((line) => ({
            entryId: line.entryId.toString(),
            effectiveDate: line.effectiveDate,
            recordedAt: line.recordedAt,
            description: line.description,
            descriptionZh: movementNameZh(line, lookup),
            source: line.source,
            side: line.side,
            amount: formatYuan(line.amountFen),
            balance: formatYuan(line.balanceFen),
            reversesEntryId: line.reversesEntryId?.toString() ?? null,
          })),
          closing: formatYuan(s.closingFen),
        },
      };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/ledger/journal',
    summary: 'The whole journal in hledger format, for checking our books with an independent tool',
    tag: 'ledger',
    roles: ['staff', 'auditor'],
    query: z.object({ asOf: IsoDate.optional() }),
    responses: { 200: { description: 'hledger journal', contentType: 'text/plain' } },
    handler: async ({ db, query }) => ({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      headers: { 'Content-Disposition': 'attachment; filename="journal.hledger"' },
      body: await exportHledgerJournal(db, query.asOf ? { asOf: query.asOf } : {}),
    }),
  });
}
