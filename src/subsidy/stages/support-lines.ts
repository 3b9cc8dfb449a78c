/**
 * Stage 8 — fee and premium support, one line per enterprise and kind: evaluation, guarantee and insurance fees each
 * at a share of the fees paid in the year, capped per enterprise (袁府办字〔2023〕25号 四(三)2 "评估费、担保费、保险费分别
 * 按最高不超过实际发生费用的50%进行支持，上限均为5万元"); patent-insurance premiums (《关于全面加强知识产权工作的实施意见》
 * § 6 "按年度保费的50%予以补助，单个企业每年最高补助10万元"). Each is rounded once and capped; an enterprise that misses
 * its own conditions (§§ 20, 23) gets none.
 */
import { fenToDec, roundFenHalfUp, sumFen, type Fen } from '../../money';
import { parseDate } from '../dates';
import type { FeeKind } from '../policy';
import { Splitter } from '../split';
import type { LineTrace, Reason, RunInput, RunLoan, SupportKind, SupportLine, TraceInterpretation, TraceItem } from '../types';
import { reasonsOf } from './conditions';
import { invalid, requireFen, type RunContext } from './context';
import { checkEnterprise, type EnterpriseRecords } from './enterprise';
import type { Jurisdiction } from './jurisdiction';
import { countedRightType } from './loan-conditions';
import { adjust, compareFen, compareStrings, fen, showUnrounded, TraceNotes, yuan, type LineWork } from './trace';

export const SUPPORT_KIND_ORDER: Record<SupportKind, number> = {
  fee_evaluation: 0,
  fee_guarantee: 1,
  fee_insurance: 2,
  premium: 3,
  carried_forward: 4,
};

interface SupportSources {
  ctx: RunContext;
  jurisdiction: Jurisdiction;
  records: EnterpriseRecords;
  loansById: ReadonlyMap<string, RunLoan>;
}

/** The fee and premium lines of the run, by enterprise and kind. */
export function supportLines(sources: SupportSources, input: Pick<RunInput, 'fees' | 'premiums'>): LineWork[] {
  const { ctx, jurisdiction, loansById } = sources;
  const p = ctx.p;
  const work: LineWork[] = [];
  const feeSupport = p.feeSupport.value;
  if (feeSupport) {
    const groups = new Map<string, { uscc: string; kind: FeeKind; items: Array<{ fee: RunInput['fees'][number]; counted: boolean }> }>();
    input.fees.forEach((fee, position) => {
      requireFen(fee.amountFen, `fees.${position}.amountFen`);
      const day = parseDate(fee.date, `fees.${position}.date`);
      if (day < ctx.yearFrom || day >= ctx.yearTo || !feeSupport.kinds.includes(fee.kind)) return;
      const loan = loansById.get(fee.loanId);
      if (!loan) throw invalid(`fees.${position}.loanId`, `no loan ${fee.loanId} in the run's input`);
      if (!jurisdiction.of(loan.enterpriseUscc)) return;
      const counted = !feeSupport.requiresEligibleRightType || countedRightType(ctx, loan) !== null;
      const key = `${loan.enterpriseUscc}\u0000${fee.kind}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { uscc: loan.enterpriseUscc, kind: fee.kind, items: [] }));
      group.items.push({ fee, counted });
    });
    for (const group of groups.values()) {
      group.items.sort((a, b) => compareStrings(a.fee.date, b.fee.date) || compareStrings(a.fee.loanId, b.fee.loanId) || compareFen(a.fee.amountFen, b.fee.amountFen));
      const items: TraceItem[] = group.items.map(({ fee, counted }) => ({
        loanId: fee.loanId,
        kind: fee.kind,
        date: fee.date,
        amountFen: fen(fee.amountFen),
        ...(counted ? {} : { note: 'not counted: the loan pledges no eligible right type' }),
      }));
      const totalFen = sumFen(group.items.filter((item) => item.counted).map((item) => item.fee.amountFen));
      const reasons = reasonsOf(checkEnterprise(ctx, sources.records, group.uscc).conditions);
      if (!group.items.some((item) => item.counted)) {
        reasons.push({
          code: 'no_eligible_loan',
          message: `no ${group.kind} fee of a loan pledging ${p.eligibleRightTypes.value.join(', ')}`,
          reference: p.feeSupport.reference,
          params: { kind: group.kind, eligible: p.eligibleRightTypes.value.join(', ') },
        });
      }
      work.push(
        supportLine(sources, `fee_${group.kind}` as SupportKind, group.uscc, items, totalFen, feeSupport.ratio, feeSupport.capPerKindPerEnterpriseYear, 'feeSupport', new Splitter(feeSupport.fundingSplit), reasons),
      );
    }
  }
  const premiumSupport = p.premiumSupport.value;
  if (premiumSupport) {
    const groups = new Map<string, RunInput['premiums']>();
    input.premiums.forEach((premium, position) => {
      requireFen(premium.amountFen, `premiums.${position}.amountFen`);
      const day = parseDate(premium.date, `premiums.${position}.date`);
      if (day < ctx.yearFrom || day >= ctx.yearTo || !jurisdiction.of(premium.uscc)) return;
      let group = groups.get(premium.uscc);
      if (!group) groups.set(premium.uscc, (group = []));
      group.push(premium);
    });
    for (const [uscc, premiums] of groups) {
      premiums.sort((a, b) => compareStrings(a.date, b.date) || compareFen(a.amountFen, b.amountFen));
      work.push(
        supportLine(
          sources,
          'premium',
          uscc,
          premiums.map((premium) => ({ date: premium.date, amountFen: fen(premium.amountFen) })),
          sumFen(premiums.map((premium) => premium.amountFen)),
          premiumSupport.ratio,
          premiumSupport.capPerEnterpriseYear,
          'premiumSupport',
          new Splitter(premiumSupport.fundingSplit),
          reasonsOf(checkEnterprise(ctx, sources.records, uscc).conditions),
        ),
      );
    }
  }
  return work.sort(
    (a, b) => compareStrings(a.line.enterpriseUscc, b.line.enterpriseUscc) || SUPPORT_KIND_ORDER[a.line.kind as SupportKind] - SUPPORT_KIND_ORDER[b.line.kind as SupportKind],
  );
}

function supportLine(
  sources: SupportSources,
  kind: SupportKind,
  uscc: string,
  items: TraceItem[],
  totalFen: Fen,
  supportRatio: string,
  capFen: Fen,
  name: 'feeSupport' | 'premiumSupport',
  splitter: Splitter,
  reasons: Reason[],
): LineWork {
  const { ctx } = sources;
  const p = ctx.p;
  const root = ctx.caches.notesRoot;
  const notes = new TraceNotes(root);
  const parameter = p[name];
  notes.use(name, parameter);
  const enterprise = checkEnterprise(ctx, sources.records, uscc);
  if (enterprise.trace) notes.use('enterpriseConditions', p.enterpriseConditions);
  const trace: LineTrace = {
    policy: ctx.shared.policy,
    run: ctx.shared.run,
    clauses: root.clauses as string[],
    jurisdiction: sources.jurisdiction.of(uscc) ?? undefined,
    ...(enterprise.trace ? { enterprise: enterprise.trace } : {}),
    items,
    itemsTotalFen: fen(totalFen),
    adjustments: [],
    interpretations: root.interpretations as TraceInterpretation[],
    reasons,
  };
  const line: SupportLine = {
    kind,
    lineId: `${kind}:${uscc}`,
    loanId: null,
    enterpriseUscc: uscc,
    amountFen: 0n,
    shares: [],
    eligible: reasons.length === 0,
    reasons,
    trace,
  };
  const work: LineWork = { line, notes, amountFen: 0n, beforeEnterpriseCapsFen: 0n, approvedFen: 0n, splitter, splitReference: parameter.reference };
  if (!line.eligible) return work;
  const unrounded = fenToDec(totalFen).times(supportRatio);
  const rounded = roundFenHalfUp(unrounded);
  trace.ratio = { value: supportRatio, reference: parameter.reference };
  trace.amountUnroundedFen = showUnrounded(unrounded);
  trace.amountRoundedFen = fen(rounded);
  trace.formula = `${fen(totalFen)} fen × ${supportRatio} = ${showUnrounded(unrounded)} fen, rounded once half-up to ${fen(rounded)} fen (${yuan(rounded)})`;
  work.amountFen = rounded;
  work.beforeEnterpriseCapsFen = rounded;
  if (rounded > capFen) {
    adjust(work, 'cap_per_kind_per_enterprise_year', parameter.reference, capFen, `capped at ${yuan(capFen)} per enterprise per year`);
  }
  work.approvedFen = work.amountFen;
  return work;
}
