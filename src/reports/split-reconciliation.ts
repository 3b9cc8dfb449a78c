/**
 * Split reconciliation (`GET /api/v1/reports/split-reconciliation?year=`, docs/api.md "Reports"): for the approved runs
 * of a year, per funding body, per enterprise and per run, what was approved, paid and is still outstanding — computed
 * from the run tables (`yearFigures` of the subsidy module) and compared, account by account, with the
 * ledger's balances of the payables `subsidy:<body>:payable:<runId>:<uscc>`. Two independent paths to one figure
 *: the report says whether they tie, to the fen.
 *
 * For one payable (run, enterprise, body):
 *   credited    Σ what approvals credited to it (the run's own approval, or an adjustment's increase)
 *   reduced     Σ what later adjustments took off it
 *   paid        Σ the parts of payments allocated to it
 *   approved = credited − reduced;  outstanding = approved − paid
 * and the ledger must show credits = credited, debits = reduced + paid, balance = outstanding.
 *
 * Besides, over all years (the expense and treasury accounts are not per year): each body's `subsidy:<body>:expense`
 * balance equals the net of every approval, and its `finance:<body>:treasury` credits equal every payment it made.
 */
import { inSnapshot, type Queryable } from '../db/pool';
import { balances } from '../ledger';
import { formatYuan, type Fen } from '../money';
import { yearFigures } from '../subsidy/runs/figures';
import { distinctRunTitles, titlesOfRuns } from '../subsidy/runs/names';
import { subsidyAccountCodes } from '../subsidy/runs/postings';

export interface Figures {
  approvedFen: Fen;
  paidFen: Fen;
  outstandingFen: Fen;
}

export interface BodyFigures extends Figures {
  body: string;
}

export interface PayableCheck {
  account: string;
  runId: string;
  uscc: string;
  body: string;
  expected: { creditsFen: Fen; debitsFen: Fen; balanceFen: Fen };
  ledger: { creditsFen: Fen; debitsFen: Fen; balanceFen: Fen } | null;
  matches: boolean;
}

export interface SplitReconciliation {
  year: number;
  /** Set when a finance principal asked: only its body's figures. */
  body: string | null;
  bodies: BodyFigures[];
  enterprises: Array<Figures & { uscc: string; name: string | null; bodies: BodyFigures[] }>;
  /** `title`: the run as clerks name it ("袁州区专利权质押贷款贴息 2024 年度 第 2 版"), distinct within the report. */
  runs: Array<Figures & { runId: string; title: string; policyId: string; policyVersion: number; kind: string; status: string; bodies: BodyFigures[] }>;
  ledgerCheck: {
    matches: boolean;
    payablesChecked: number;
    /** Σ of the payables' ledger balances and of the tables' outstanding: equal when everything ties. */
    ledgerOutstandingFen: Fen;
    tablesOutstandingFen: Fen;
    mismatches: PayableCheck[];
    /** All years: expense balance vs net approvals, treasury credits vs payments, per body. */
    bodies: Array<{
      body: string;
      expenseLedgerFen: Fen;
      approvalsNetFen: Fen;
      treasuryCreditsLedgerFen: Fen;
      paymentsFen: Fen;
      matches: boolean;
    }>;
  };
}

const zero = (): Figures => ({ approvedFen: 0n, paidFen: 0n, outstandingFen: 0n });
function add(into: Figures, from: Figures): void {
  into.approvedFen += from.approvedFen;
  into.paidFen += from.paidFen;
  into.outstandingFen += from.outstandingFen;
}

export async function splitReconciliation(db: Queryable, year: number, options: { body?: string | null } = {}): Promise<SplitReconciliation> {
  // The run tables and the ledger read on one snapshot: an approval or a payment committed between two of the reads
  // would otherwise show as a mismatch that is not there.
  return inSnapshot(db, (snapshot) => reconcile(snapshot, year, options.body ?? null));
}

async function reconcile(db: Queryable, year: number, body: string | null): Promise<SplitReconciliation> {
  const { runs, shares, payments, bodies: allYears } = await yearFigures(db, year, body);

  const paidOf = new Map<string, Fen>();
  for (const row of payments) paidOf.set(`${row.run_id}|${row.uscc}|${row.body}`, row.paid_fen);

  const payableCodes = shares.map((row) => subsidyAccountCodes.payable(row.body, row.payable_run_id, row.uscc));
  const bodyCodes = allYears.flatMap((row) => [subsidyAccountCodes.expense(row.body), subsidyAccountCodes.treasury(row.body)]);
  const ledger = await balances(db, [...payableCodes, ...bodyCodes]);

  const bodies = new Map<string, BodyFigures>();
  const enterprises = new Map<string, Figures & { uscc: string; name: string | null; bodies: Map<string, BodyFigures> }>();
  const runFigures = new Map<string, Figures & { bodies: Map<string, BodyFigures> }>();
  const mismatches: PayableCheck[] = [];
  let ledgerOutstandingFen = 0n;
  let tablesOutstandingFen = 0n;

  shares.forEach((row, index) => {
    const paidFen = paidOf.get(`${row.payable_run_id}|${row.uscc}|${row.body}`) ?? 0n;
    const approvedFen = row.credited_fen - row.reduced_fen;
    const figures: Figures = { approvedFen, paidFen, outstandingFen: approvedFen - paidFen };
    const code = payableCodes[index]!;
    const account = ledger.get(code);
    const expected = { creditsFen: row.credited_fen, debitsFen: row.reduced_fen + paidFen, balanceFen: figures.outstandingFen };
    const found = account ? { creditsFen: account.creditsFen, debitsFen: account.debitsFen, balanceFen: account.balanceFen } : null;
    const matches =
      found !== null && found.creditsFen === expected.creditsFen && found.debitsFen === expected.debitsFen && found.balanceFen === expected.balanceFen;
    if (!matches) mismatches.push({ account: code, runId: row.payable_run_id, uscc: row.uscc, body: row.body, expected, ledger: found, matches });
    ledgerOutstandingFen += found?.balanceFen ?? 0n;
    tablesOutstandingFen += figures.outstandingFen;

    const bodyTotal = bodies.get(row.body) ?? { body: row.body, ...zero() };
    bodies.set(row.body, bodyTotal);
    add(bodyTotal, figures);

    let enterprise = enterprises.get(row.uscc);
    if (!enterprise) enterprises.set(row.uscc, (enterprise = { uscc: row.uscc, name: row.name, ...zero(), bodies: new Map() }));
    add(enterprise, figures);
    const enterpriseBody = enterprise.bodies.get(row.body) ?? { body: row.body, ...zero() };
    enterprise.bodies.set(row.body, enterpriseBody);
    add(enterpriseBody, figures);

    let run = runFigures.get(row.payable_run_id);
    if (!run) runFigures.set(row.payable_run_id, (run = { ...zero(), bodies: new Map() }));
    add(run, figures);
    const runBody = run.bodies.get(row.body) ?? { body: row.body, ...zero() };
    run.bodies.set(row.body, runBody);
    add(runBody, figures);
  });

  const bodyChecks = allYears.map((row) => {
    const expenseLedgerFen = ledger.get(subsidyAccountCodes.expense(row.body))?.balanceFen ?? 0n;
    const treasuryCreditsLedgerFen = ledger.get(subsidyAccountCodes.treasury(row.body))?.creditsFen ?? 0n;
    return {
      body: row.body,
      expenseLedgerFen,
      approvalsNetFen: row.approvals_net_fen,
      treasuryCreditsLedgerFen,
      paymentsFen: row.payments_fen,
      matches: expenseLedgerFen === row.approvals_net_fen && treasuryCreditsLedgerFen === row.payments_fen,
    };
  });

  const shown = runs.filter((run) => body === null || runFigures.has(run.id));
  const titles = distinctRunTitles(
    (
      await titlesOfRuns(
        db,
        shown.map((run) => ({ policyId: run.policy_id, policyVersion: run.policy_version, year, kind: run.kind === 'adjustment' ? 'adjustment' : 'regular' })),
      )
    ).map((title, index) => ({ id: shown[index]!.id, title })),
  );
  const sortedBodies = (map: Map<string, BodyFigures>) => [...map.values()].sort((a, b) => (a.body < b.body ? -1 : a.body > b.body ? 1 : 0));
  return {
    year,
    body,
    bodies: sortedBodies(bodies),
    enterprises: [...enterprises.values()]
      .sort((a, b) => (a.uscc < b.uscc ? -1 : 1))
      .map((item) => ({ ...item, bodies: sortedBodies(item.bodies) })),
    runs: shown.map((run, index) => {
      const figures = runFigures.get(run.id) ?? { ...zero(), bodies: new Map<string, BodyFigures>() };
      return {
        runId: run.id,
        title: titles[index]!,
        policyId: run.policy_id,
        policyVersion: run.policy_version,
        kind: run.kind,
        status: run.status,
        approvedFen: figures.approvedFen,
        paidFen: figures.paidFen,
        outstandingFen: figures.outstandingFen,
        bodies: sortedBodies(figures.bodies),
      };
    }),
    ledgerCheck: {
      matches: mismatches.length === 0 && ledgerOutstandingFen === tablesOutstandingFen && bodyChecks.every((check) => check.matches),
      payablesChecked: shares.length,
      ledgerOutstandingFen,
      tablesOutstandingFen,
      mismatches,
      bodies: bodyChecks,
    },
  };
}

// ---- wire shapes ----------------------------------------------------------------------------------------------------

const figuresOut = (figures: Figures) => ({
  approved: formatYuan(figures.approvedFen),
  paid: formatYuan(figures.paidFen),
  outstanding: formatYuan(figures.outstandingFen),
});

export function reconciliationOut(report: SplitReconciliation) {
  return {
    year: report.year,
    body: report.body,
    bodies: report.bodies.map((item) => ({ body: item.body, ...figuresOut(item) })),
    enterprises: report.enterprises.map((item) => ({
      enterpriseUscc: item.uscc,
      name: item.name,
      ...figuresOut(item),
      bodies: item.bodies.map((entry) => ({ body: entry.body, ...figuresOut(entry) })),
    })),
    runs: report.runs.map((item) => ({
      runId: item.runId,
      title: item.title,
      policyId: item.policyId,
      policyVersion: item.policyVersion,
      kind: item.kind,
      status: item.status,
      ...figuresOut(item),
      bodies: item.bodies.map((entry) => ({ body: entry.body, ...figuresOut(entry) })),
    })),
    ledgerCheck: {
      matches: report.ledgerCheck.matches,
      payablesChecked: report.ledgerCheck.payablesChecked,
      ledgerOutstanding: formatYuan(report.ledgerCheck.ledgerOutstandingFen),
      tablesOutstanding: formatYuan(report.ledgerCheck.tablesOutstandingFen),
      mismatches: report.ledgerCheck.mismatches.map((item) => ({
        account: item.account,
        runId: item.runId,
        enterpriseUscc: item.uscc,
        body: item.body,
        expected: { credits: formatYuan(item.expected.creditsFen), debits: formatYuan(item.expected.debitsFen), balance: formatYuan(item.expected.balanceFen) },
        ledger: item.ledger
          ? { credits: formatYuan(item.ledger.creditsFen), debits: formatYuan(item.ledger.debitsFen), balance: formatYuan(item.ledger.balanceFen) }
          : null,
      })),
      bodies: report.ledgerCheck.bodies.map((item) => ({
        body: item.body,
        expenseLedger: formatYuan(item.expenseLedgerFen),
        approvalsNet: formatYuan(item.approvalsNetFen),
        treasuryCreditsLedger: formatYuan(item.treasuryCreditsLedgerFen),
        payments: formatYuan(item.paymentsFen),
        matches: item.matches,
      })),
    },
  };
}

const CSV_HEADER = ['section', 'body', 'enterpriseUscc', 'runId', 'approved', 'paid', 'outstanding'];

function csvField(value: string): string {
  // RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The same figures as rows: one per body, per enterprise and body, per run and body; then the ledger check. */
export function reconciliationCsv(report: SplitReconciliation): string {
  const rows: string[][] = [CSV_HEADER];
  const figures = (item: Figures) => [formatYuan(item.approvedFen), formatYuan(item.paidFen), formatYuan(item.outstandingFen)];
  for (const item of report.bodies) rows.push(['body', item.body, '', '', ...figures(item)]);
  for (const enterprise of report.enterprises) {
    for (const item of enterprise.bodies) rows.push(['enterprise', item.body, enterprise.uscc, '', ...figures(item)]);
  }
  for (const run of report.runs) {
    for (const item of run.bodies) rows.push(['run', item.body, '', run.runId, ...figures(item)]);
  }
  rows.push(['ledger_check', report.body ?? '', '', '', report.ledgerCheck.matches ? 'matches' : 'MISMATCH', '', formatYuan(report.ledgerCheck.ledgerOutstandingFen)]);
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
