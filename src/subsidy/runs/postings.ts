/**
 * What an approval and a payment move in the ledger, as pure functions over plain arrays (tested in postings.test.ts;
 * the database functions in workflow.ts only load, call these, and post).
 *
 * Accounts:
 *   subsidy:<body>:expense                      expense: what the body granted
 *   subsidy:<body>:payable:<runId>:<uscc>       liability, floor 0: what the body owes the enterprise under that run
 *   finance:<body>:treasury                     asset, no floor: the body's bank account the payments leave from
 * Approval:  D subsidy:<body>:expense / C subsidy:<body>:payable:<runId>:<uscc>, one entry per enterprise.
 * Payment:   D subsidy:<body>:payable:<runId>:<uscc> (each enterprise's part) / C finance:<body>:treasury, one entry.
 */
import type { AccountDefinition, EntryInput } from '../../ledger';
import { DomainError } from '../../errors';
import { allocateFen, formatYuan, type Fen } from '../../money';
import type { BodyAmount } from '../types';

export const subsidyAccountCodes = {
  expense: (body: string) => `subsidy:${body}:expense`,
  payable: (body: string, runId: string, uscc: string) => `subsidy:${body}:payable:${runId}:${uscc}`,
  treasury: (body: string) => `finance:${body}:treasury`,
};

/** The prefix the split reconciliation reads: every payable of a body. */
export const PAYABLE_PATTERN = /^subsidy:([a-z][a-z0-9_]*):payable:([0-9a-f-]{36}):([0-9A-Z]{18})$/;

export function expenseAccount(body: string): AccountDefinition {
  return { code: subsidyAccountCodes.expense(body), name: `Interest subsidies granted by ${body}`, type: 'expense' };
}

export function payableAccount(body: string, runId: string, uscc: string): AccountDefinition {
  return {
    code: subsidyAccountCodes.payable(body, runId, uscc),
    name: `Subsidy owed by ${body} to ${uscc} under run ${runId}`,
    type: 'liability',
    // A body never pays an enterprise more than the run granted it (PostgreSQL refuses it too).
    floorFen: 0n,
  };
}

export function treasuryAccount(body: string): AccountDefinition {
  return { code: subsidyAccountCodes.treasury(body), name: `Treasury of ${body}`, type: 'asset' };
}

export interface EnterpriseBodyAmount {
  uscc: string;
  body: string;
  amountFen: Fen;
}

const byUsccThenBody = (a: { uscc: string; body: string }, b: { uscc: string; body: string }) =>
  a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : a.body < b.body ? -1 : a.body > b.body ? 1 : 0;

/** Σ shares per enterprise and body over a run's lines (interest and support lines alike); zero sums left out. */
export function amountsByEnterpriseAndBody(lines: Iterable<{ enterpriseUscc: string; shares: BodyAmount[] }>): EnterpriseBodyAmount[] {
  const sums = new Map<string, EnterpriseBodyAmount>();
  for (const line of lines) {
    for (const share of line.shares) {
      if (share.amountFen === 0n) continue;
      const key = `${line.enterpriseUscc}\u0000${share.body}`;
      const found = sums.get(key);
      if (found) found.amountFen += share.amountFen;
      else sums.set(key, { uscc: line.enterpriseUscc, body: share.body, amountFen: share.amountFen });
    }
  }
  return [...sums.values()].filter((item) => item.amountFen !== 0n).sort(byUsccThenBody);
}

/** One row of `subsidy_approval_share`: a signed movement of one payable by one approval. */
export interface ApprovalShare {
  uscc: string;
  body: string;
  payableRunId: string;
  /** Positive: credited to the approving run's own payable; negative: debited from an earlier run's payable. */
  amountFen: Fen;
}

export interface EarlierPayable {
  runId: string;
  uscc: string;
  body: string;
  outstandingFen: Fen;
}

/**
 * What an approval posts. A regular run (nothing posted before for its policy and year): its amounts, each to its own
 * payable. An adjustment run: per enterprise and body, its amount minus what earlier approvals of the policy and year
 * posted; an increase is credited to the adjustment's own payable, a decrease is taken from the earlier runs'
 * outstanding payables, in the order given (newest first). A decrease larger than what is still outstanding (the
 * body has already paid it) is refused: getting money back from an enterprise is not a ledger correction.
 */
export function planApproval(runId: string, amounts: EnterpriseBodyAmount[], previouslyPosted: EnterpriseBodyAmount[], earlierPayables: EarlierPayable[]): ApprovalShare[] {
  const differences = new Map<string, EnterpriseBodyAmount>();
  for (const item of amounts) differences.set(`${item.uscc}\u0000${item.body}`, { ...item });
  for (const item of previouslyPosted) {
    const key = `${item.uscc}\u0000${item.body}`;
    const found = differences.get(key);
    if (found) found.amountFen -= item.amountFen;
    else differences.set(key, { uscc: item.uscc, body: item.body, amountFen: -item.amountFen });
  }
  const payablesOf = new Map<string, EarlierPayable[]>();
  for (const payable of earlierPayables) {
    const key = `${payable.uscc}\u0000${payable.body}`;
    let list = payablesOf.get(key);
    if (!list) payablesOf.set(key, (list = []));
    list.push(payable);
  }
  const shares: ApprovalShare[] = [];
  for (const difference of [...differences.values()].sort(byUsccThenBody)) {
    if (difference.amountFen > 0n) {
      shares.push({ uscc: difference.uscc, body: difference.body, payableRunId: runId, amountFen: difference.amountFen });
      continue;
    }
    let decreaseFen = -difference.amountFen;
    for (const payable of payablesOf.get(`${difference.uscc}\u0000${difference.body}`) ?? []) {
      if (decreaseFen === 0n) break;
      const takenFen = payable.outstandingFen < decreaseFen ? payable.outstandingFen : decreaseFen;
      if (takenFen === 0n) continue;
      shares.push({ uscc: difference.uscc, body: difference.body, payableRunId: payable.runId, amountFen: -takenFen });
      decreaseFen -= takenFen;
    }
    if (decreaseFen > 0n) {
      throw new DomainError(
        'state_transition_refused',
        `the adjustment lowers ${difference.uscc}'s ${difference.body} share by ${formatYuan(-difference.amountFen)}, but ${formatYuan(decreaseFen)} of it has already been paid; record the recovery outside the run first`,
        [],
        { enterpriseUscc: difference.uscc, body: difference.body },
      );
    }
  }
  return shares;
}

/** The approval's ledger entries: one per enterprise, every body's movement in it. */
export function approvalEntries(run: { id: string; policyId: string; year: number; kind: string }, shares: ApprovalShare[], effectiveDate: string): EntryInput[] {
  const byUscc = new Map<string, ApprovalShare[]>();
  for (const share of shares) {
    let list = byUscc.get(share.uscc);
    if (!list) byUscc.set(share.uscc, (list = []));
    list.push(share);
  }
  return [...byUscc.entries()].map(([uscc, list]) => ({
    idempotencyKey: `subsidy-run:${run.id}:approval:${uscc}`,
    effectiveDate,
    description: `Interest subsidy ${run.policyId} ${run.year}${run.kind === 'adjustment' ? ' (adjustment)' : ''}: approved for ${uscc}`,
    source: { kind: 'subsidy_run', id: run.id },
    lines: list.flatMap((share) => {
      const expense = subsidyAccountCodes.expense(share.body);
      const payable = subsidyAccountCodes.payable(share.body, share.payableRunId, uscc);
      const amountFen = share.amountFen > 0n ? share.amountFen : -share.amountFen;
      return share.amountFen > 0n
        ? [
            { accountCode: expense, side: 'debit' as const, amountFen },
            { accountCode: payable, side: 'credit' as const, amountFen },
          ]
        : [
            { accountCode: payable, side: 'debit' as const, amountFen },
            { accountCode: expense, side: 'credit' as const, amountFen },
          ];
    }),
  }));
}

/**
 * A body's payment spread over the run's enterprises: pro rata to what each is still owed by that body, exactly
 * (`allocateFen`: largest remainder, ties to the enterprise first in USCC order). No part exceeds its enterprise's
 * outstanding: floor(A × w / W) ≤ w − 1 whenever it is not whole, because A ≤ W. Paying the whole outstanding pays
 * everyone in full. An amount above the total outstanding is refused.
 */
export function allocatePayment(amountFen: Fen, outstanding: Array<{ uscc: string; outstandingFen: Fen }>): Array<{ uscc: string; amountFen: Fen }> {
  if (amountFen <= 0n) throw new RangeError('a payment is above zero');
  const owed = [...outstanding].filter((item) => item.outstandingFen > 0n).sort((a, b) => (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0));
  const totalFen = owed.reduce((sum, item) => sum + item.outstandingFen, 0n);
  if (amountFen > totalFen) {
    throw new DomainError('conflict', `the payment of ${formatYuan(amountFen)} is more than the ${formatYuan(totalFen)} still owed`, [
      { path: 'amount', message: `at most ${formatYuan(totalFen)} is still owed` },
    ]);
  }
  const parts = allocateFen(amountFen, owed.map((item) => item.outstandingFen));
  const result = owed.map((item, index) => ({ uscc: item.uscc, amountFen: parts[index]! })).filter((part) => part.amountFen > 0n);
  // Pair assertion (the payables' floor checks it again in PostgreSQL).
  owed.forEach((item, index) => {
    if (parts[index]! > item.outstandingFen) throw new Error(`allocation of ${parts[index]} exceeds ${item.uscc}'s ${item.outstandingFen}`);
  });
  return result;
}

export function paymentEntry(
  payment: { id: string; runId: string; body: string; date: string; reference: string },
  parts: Array<{ uscc: string; amountFen: Fen }>,
): EntryInput {
  const totalFen = parts.reduce((sum, part) => sum + part.amountFen, 0n);
  return {
    idempotencyKey: `subsidy-payment:${payment.id}`,
    effectiveDate: payment.date,
    description: `Interest subsidy paid by ${payment.body} under run ${payment.runId}: ${payment.reference}`.slice(0, 500),
    source: { kind: 'subsidy_payment', id: payment.id },
    lines: [
      ...parts.map((part) => ({
        accountCode: subsidyAccountCodes.payable(payment.body, payment.runId, part.uscc),
        side: 'debit' as const,
        amountFen: part.amountFen,
      })),
      { accountCode: subsidyAccountCodes.treasury(payment.body), side: 'credit' as const, amountFen: totalFen },
    ],
  };
}
