/**
 * The console's work lists (docs/api.md "To do and a bank's figures"). `GET /api/v1/todo` answers "what is waiting
 * for me?" by role: the service centre sees runs to review, publicise and approve, open objections and claims to
 * review or pay; a finance bureau the approved runs whose share of its body is not paid; a bank its claims under
 * review; an auditor reads what the service centre sees. Every item names who did the step before and when.
 * `GET /api/v1/banks/{id}/figures` is a bank's own portfolio at a glance: its loans by status, what approved runs
 * granted on its loans, its fund claims — another bank's is 404, as if it did not exist (docs/api.md "Who may do what").
 */
import { z } from 'zod';
import { DomainError } from '../../errors';
import { bankClaimFigures, claimTodo } from '../../fund';
import { listLoans, type LoanStatus } from '../../loans';
import { formatYuan } from '../../money';
import { listBanks } from '../../principals';
import { bankSubsidyFigures, financeRunTodo, staffRunTodo, type RunTodo } from '../../subsidy/runs';
import type { RouteRegistry } from '../route';
import { Uuid } from '../schemas';

const Previous = z.object({
  step: z.string().meta({ description: 'computed, reviewed, publicised, approved, objection_raised, claim_submitted, claim_approved' }),
  by: z.string().nullable().meta({ description: 'the name of who did it (null where only the day is recorded)' }),
  at: z.string().nullable().meta({ description: 'when it was recorded (RFC 3339)' }),
  on: z.string().nullable().meta({ description: 'the day it happened' }),
});

const TodoItem = z.object({
  kind: z.enum(['run_review', 'run_publicity', 'run_approval', 'objection', 'run_payment', 'claim_review', 'claim_payment']),
  runId: z.string().nullable(),
  policyId: z.string().nullable(),
  policyTitle: z.string().nullable(),
  year: z.number().int().nullable(),
  objectionId: z.string().nullable(),
  objectionText: z.string().nullable(),
  fundId: z.string().nullable(),
  fundName: z.string().nullable(),
  claimId: z.string().nullable(),
  loanId: z.string().nullable(),
  contractNo: z.string().nullable(),
  bankName: z.string().nullable(),
  amount: z.string().meta({ description: 'the run’s total; for run_payment the body’s outstanding share; for a claim its amount' }),
  due: z.string().nullable().meta({ description: 'run_approval: the last day of the publicity period' }),
  previous: Previous,
});
type TodoItemOut = z.infer<typeof TodoItem>;

const NO_CLAIM = { fundId: null, fundName: null, claimId: null, loanId: null, contractNo: null, bankName: null };

const runOut = (item: RunTodo): TodoItemOut => ({
  kind: item.kind,
  runId: item.runId,
  policyId: item.policyId,
  policyTitle: item.policyTitle,
  year: item.year,
  objectionId: item.objectionId,
  objectionText: item.objectionText,
  ...NO_CLAIM,
  amount: formatYuan(item.amountFen),
  due: item.due,
  previous: item.previous,
});

const LOAN_STATUSES: LoanStatus[] = ['active', 'overdue', 'defaulted', 'settled'];

export function registerTodoRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'get',
    path: '/api/v1/todo',
    summary: 'What waits for the caller’s role, each item with who did the step before and when',
    tag: 'todo',
    roles: ['staff', 'finance', 'bank', 'auditor'],
    responses: { 200: { description: 'the open items', schema: z.object({ role: z.string(), items: z.array(TodoItem) }) } },
    handler: async ({ db, principal }) => {
      const runs =
        principal.role === 'finance' ? await financeRunTodo(db, principal.body!) : principal.role === 'bank' ? [] : await staffRunTodo(db);
      const claims = await claimTodo(db, principal);
      const items: TodoItemOut[] = [
        ...runs.map(runOut),
        ...claims.map((c) => ({
          kind: c.kind,
          runId: null,
          policyId: null,
          policyTitle: null,
          year: null,
          objectionId: null,
          objectionText: null,
          fundId: c.fundId,
          fundName: c.fundName,
          claimId: c.claimId,
          loanId: c.loanId,
          contractNo: c.contractNo,
          bankName: c.bankName,
          amount: formatYuan(c.amountFen),
          due: null,
          previous: c.previous,
        })),
      ];
      return { status: 200, body: { role: principal.role, items } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/banks/{id}/figures',
    summary: 'A bank’s loans by status, the subsidies approved runs granted on its loans, its fund claims (a bank: its own only)',
    tag: 'todo',
    roles: ['staff', 'bank', 'auditor'],
    params: z.object({ id: Uuid }),
    responses: {
      200: {
        description: 'the bank’s figures',
        schema: z.object({
          bankId: z.string(),
          bankName: z.string(),
          loans: z.object({
            count: z.number().int(),
            principal: z.string(),
            outstandingPrincipal: z.string(),
            interestPaid: z.string(),
            byStatus: z.array(z.object({ status: z.string(), count: z.number().int(), outstandingPrincipal: z.string() })),
          }),
          subsidies: z.array(
            z.object({
              year: z.number().int(),
              policyId: z.string(),
              policyTitle: z.string().nullable(),
              enterprises: z.number().int(),
              loans: z.number().int(),
              granted: z.string().meta({ description: 'the eligible amounts of approved runs on the bank’s loans' }),
              paid: z.string().meta({ description: 'of which in runs every funding body has paid in full' }),
            }),
          ),
          claims: z.array(z.object({ status: z.string(), count: z.number().int(), amount: z.string() })),
        }),
      },
    },
    handler: async ({ db, principal, params }) => {
      const bankId = params.id.toLowerCase();
      // Another bank's figures are 404 to a bank, as its loans are (docs/api.md "Who may do what").
      const bank = principal.role === 'bank' && principal.bankId !== bankId ? undefined : (await listBanks(db)).find((b) => b.id === bankId);
      if (!bank) throw new DomainError('not_found', `no bank ${bankId}`);
      const scope = { bankId };
      const all = await listLoans(db, scope, {}, { limit: 1 });
      // One after another: a read may run on one client (a transaction's), which takes one query at a time.
      const byStatus = [];
      for (const status of LOAN_STATUSES) byStatus.push({ status, page: await listLoans(db, scope, { status }, { limit: 1 }) });
      const subsidies = await bankSubsidyFigures(db, bankId);
      const claims = await bankClaimFigures(db, bankId);
      return {
        status: 200,
        body: {
          bankId,
          bankName: bank.name,
          loans: {
            count: all.totals.count,
            principal: formatYuan(all.totals.principalFen),
            outstandingPrincipal: formatYuan(all.totals.outstandingFen),
            interestPaid: formatYuan(all.totals.interestPaidFen),
            byStatus: byStatus.map(({ status, page }) => ({ status, count: page.totals.count, outstandingPrincipal: formatYuan(page.totals.outstandingFen) })),
          },
          subsidies: subsidies.map((s) => ({
            year: s.year,
            policyId: s.policyId,
            policyTitle: s.policyTitle,
            enterprises: s.enterprises,
            loans: s.loans,
            granted: formatYuan(s.grantedFen),
            paid: formatYuan(s.paidFen),
          })),
          claims: claims.map((c) => ({ status: c.status, count: c.count, amount: formatYuan(c.amountFen) })),
        },
      };
    },
  });
}
