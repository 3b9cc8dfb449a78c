/**
 * Stage 2b — the loan's own conditions, each a function stating one condition (conditions.ts):
 * - the right type it counts under (a pledge of the policy's right types; several: the first in the policy's order);
 * - its IP part known (a combination loan states it: 《关于全面加强知识产权工作的实施意见》 § 6 "组合贷款中无法计算…的，不予补助");
 * - only the part secured by supported right types (袁府办字〔2023〕25号 四(三)2 "对专利权质押部分的贷款利息予以补贴"; § 6
 *   "只计算专利权、商标专用权质押融资贷款部分"): when it also pledges another type, each pledge's secured amount recorded;
 * - a minimum IP share of a combination loan, when the policy sets one;
 * - repaid on time (§ 6 "按期还清贷款本息"): settled, with no overdue or default event;
 * - the same asset subsidised in one year only (§ 6 "同一专利或商标享受一个年度内的贴息补助");
 * - the contract date, when the rate is fixed by it.
 * The share of the outstanding the rate applies to comes out of the IP part and the supported part.
 */
import { Dec, formatYuan, minFen, type Fen } from '../../money';
import type { RightType } from '../policy';
import { fixingDay, type FixingDay } from '../rates';
import type { LineTrace, RunLoan, RunPledge, RunSubsidisedAsset, TraceSupportedPart } from '../types';
import type { ConditionSink } from './conditions';
import { requireFen, RIGHT_TYPE_ORDER, type RunContext } from './context';
import type { LoanFacts } from './loan-facts';
import { compareStrings, fen, type TraceNotes } from './trace';

/** The distinct right types of a pledge list, in the order patent, trademark, copyright, by bit mask (shared arrays). */
const PLEDGED_TYPES_BY_MASK: RightType[][] = Array.from({ length: 8 }, (_, mask) =>
  (['patent', 'trademark', 'copyright'] as const).filter((type) => (mask & (1 << RIGHT_TYPE_ORDER[type])) !== 0),
);

/** The right type a loan counts under: its first pledged type the policy supports, in the policy's order; else null. */
export function countedRightType(ctx: RunContext, loan: RunLoan): RightType | null {
  for (const type of ctx.p.rightTypePrecedence.value) {
    if (ctx.eligibleTypes.has(type) && loan.pledges.some((pledge) => pledge.rightType === type)) return type;
  }
  return null;
}

export interface RightTypeStage {
  rightType: RightType | null;
  pledgedTypes: RightType[];
  trace: NonNullable<LineTrace['rightType']>;
}

export function rightTypeOf(ctx: RunContext, notes: TraceNotes, loan: RunLoan): RightTypeStage {
  const p = ctx.p;
  const rightType = countedRightType(ctx, loan);
  notes.use('eligibleRightTypes', p.eligibleRightTypes);
  let pledgedMask = 0;
  for (const pledge of loan.pledges) pledgedMask |= 1 << RIGHT_TYPE_ORDER[pledge.rightType];
  const pledgedTypes = PLEDGED_TYPES_BY_MASK[pledgedMask]!;
  if (pledgedTypes.filter((type) => ctx.eligibleTypes.has(type)).length > 1) notes.use('rightTypePrecedence', p.rightTypePrecedence);
  const key = pledgedMask * 4 + (rightType === null ? 3 : RIGHT_TYPE_ORDER[rightType]);
  let trace = ctx.caches.rightTypeTraces.get(key);
  if (trace === undefined) {
    trace = { pledged: pledgedTypes, counted: rightType, eligible: ctx.shared.eligibleTypeList, reference: p.eligibleRightTypes.reference };
    ctx.caches.rightTypeTraces.set(key, trace);
  }
  return { rightType, pledgedTypes, trace };
}

export function rightTypeCondition(ctx: RunContext, sink: ConditionSink, stage: RightTypeStage): void {
  const p = ctx.p;
  const eligible = p.eligibleRightTypes.value.join(', ');
  if (stage.rightType !== null) {
    if (sink.all) sink.met('right_type_eligible', p.eligibleRightTypes.reference, () => `the loan pledges ${stage.pledgedTypes.join(', ')} and counts under ${stage.rightType}; the policy supports ${eligible}`, () => ({ pledged: stage.pledgedTypes.join(', '), eligible }));
    return;
  }
  const pledgedText = stage.pledgedTypes.length > 0 ? stage.pledgedTypes.join(', ') : 'no right';
  sink.missed({
    code: 'right_type_eligible',
    reference: p.eligibleRightTypes.reference,
    message: `the loan pledges ${pledgedText}; the policy supports ${eligible} only`,
    params: { pledged: stage.pledgedTypes.join(', '), eligible },
    toMeet: `a loan pledging a ${p.eligibleRightTypes.value.join(' or ')}: this loan pledges ${pledgedText}, which the policy does not support`,
  });
}

export interface ShareStage {
  /** The IP part is known (an IP-only loan, or a combination loan stating it). */
  ipKnown: boolean;
  /** The share of the daily outstanding the rate applies to, as an exact fraction (1/1 when the whole loan counts). */
  shareNumerator: bigint;
  shareDenominator: bigint;
  /** When the loan also pledges a right type the policy does not support: the supported part and its pledges. */
  supportedPart?: TraceSupportedPart;
}

/** Pledges in a stable order (right type, then number), so the reasons and the trace do not depend on input order. */
export function sortedPledges(loan: RunLoan): readonly RunPledge[] {
  return loan.pledges.length < 2
    ? loan.pledges
    : [...loan.pledges].sort((a, b) => RIGHT_TYPE_ORDER[a.rightType] - RIGHT_TYPE_ORDER[b.rightType] || compareStrings(a.number, b.number));
}

/** The IP part known, the supported part and the minimum IP share: the share the rate applies to. */
export function shareOf(
  ctx: RunContext,
  notes: TraceNotes,
  sink: ConditionSink,
  facts: LoanFacts,
  rightType: RightTypeStage,
  pledges: readonly RunPledge[],
): ShareStage {
  const p = ctx.p;
  const { loan, principalFen } = facts;
  const path = (field: string) => `loans[${loan.loanId}].${field}`;
  const ipKnown = loan.collateral === 'ip_only' || (loan.ipPledgedFen !== null && loan.ipPledgedFen !== undefined);
  if (loan.collateral === 'combination') notes.use('combinationIpPartUnknown', p.combinationIpPartUnknown);
  if (!ipKnown) {
    sink.missed({
      code: 'ip_part_known',
      reference: p.combinationIpPartUnknown.reference,
      message: `a combination loan whose contract does not state the IP-pledged part: the IP part of the principal ${formatYuan(principalFen)} cannot be separated, so it is not subsidised`,
      params: { principal: formatYuan(principalFen) },
      toMeet: 'none for this loan: a combination loan is paid only on the IP-pledged part its contract states, this contract states none, and a recorded loan is not edited; a combination loan whose contract states its IP part qualifies on that part',
    });
  } else {
    if (sink.all) sink.met(
      'ip_part_known',
      p.combinationIpPartUnknown.reference,
      () => (loan.collateral === 'ip_only' ? `an IP-only loan: the IP part is the whole principal ${formatYuan(principalFen)}` : `the contract states the IP-pledged part ${formatYuan(loan.ipPledgedFen!)} of the principal ${formatYuan(principalFen)}`),
      () => ({ collateral: loan.collateral, principal: formatYuan(principalFen), ...(loan.collateral === 'combination' ? { ipPart: formatYuan(loan.ipPledgedFen!) } : {}) }),
    );
  }
  // The IP part: the principal of an IP-only loan, the stated part of a combination loan.
  const ipPartFen = loan.collateral === 'ip_only' ? principalFen : (loan.ipPledgedFen ?? 0n);
  // Only the part secured by supported right types: when the loan also pledges a type the policy does not support,
  // min(IP part, Σ secured amounts of the supported pledges).
  let supportedPart: TraceSupportedPart | undefined;
  let supportedFen: Fen | null = null;
  const unsupportedTypes = rightType.pledgedTypes.filter((type) => !ctx.eligibleTypes.has(type));
  const securedReference = p.supportedPart.reference;
  if (p.supportedPart.value === 'secured_by_eligible_pledges' && rightType.rightType !== null && unsupportedTypes.length > 0) {
    notes.use('supportedPart', p.supportedPart);
    const missing = pledges.filter((pledge) => pledge.securedFen === null || pledge.securedFen === undefined);
    let securedSupportedFen: Fen | null = null;
    if (missing.length === 0) {
      securedSupportedFen = 0n;
      loan.pledges.forEach((pledge, index) => {
        const securedFen = requireFen(pledge.securedFen, path(`pledges.${index}.securedFen`));
        if (ctx.eligibleTypes.has(pledge.rightType)) securedSupportedFen! += securedFen;
      });
      supportedFen = minFen(ipPartFen, securedSupportedFen);
      if (sink.all) sink.met(
        'secured_amounts_recorded',
        securedReference,
        () => `the loan also pledges ${unsupportedTypes.join(', ')}: the supported part is min(IP part ${formatYuan(ipPartFen)}, Σ secured amounts of its ${p.eligibleRightTypes.value.join(', ')} pledges ${formatYuan(securedSupportedFen!)}) = ${formatYuan(supportedFen!)}`,
        () => ({ unsupported: unsupportedTypes.join(', '), ipPart: formatYuan(ipPartFen), securedSupported: formatYuan(securedSupportedFen!), supportedPart: formatYuan(supportedFen!) }),
      );
    } else {
      const missingText = missing.map((pledge) => `${pledge.rightType} ${pledge.number}`).join(', ');
      sink.missed({
        code: 'secured_amounts_recorded',
        reference: securedReference,
        message: `the loan also pledges ${unsupportedTypes.join(', ')}, which the policy does not support: only the part secured by its ${p.eligibleRightTypes.value.join(', ')} pledges is paid, min(IP part, Σ their secured amounts), and it cannot be computed until each pledge's securedAmount is recorded (missing: ${missingText})`,
        params: { unsupported: unsupportedTypes.join(', '), missing: missingText, missingCount: missing.length },
        toMeet: `record each pledge's securedAmount, the secured claim (担保债权数额) its registration states (missing: ${missingText}); the bank records it once per pledge`,
      });
    }
    supportedPart = {
      ipPartFen: fen(ipPartFen),
      pledges: pledges.map((pledge) => ({
        rightType: pledge.rightType,
        number: pledge.number,
        securedFen: pledge.securedFen === null || pledge.securedFen === undefined ? null : fen(pledge.securedFen),
        supported: ctx.eligibleTypes.has(pledge.rightType),
      })),
      securedSupportedFen: securedSupportedFen === null ? null : fen(securedSupportedFen),
      supportedPartFen: supportedFen === null ? null : fen(supportedFen),
      reference: securedReference,
    };
  } else if (p.supportedPart.value === 'secured_by_eligible_pledges' && rightType.rightType !== null) {
    if (sink.all) sink.met('secured_amounts_recorded', securedReference, () => `the loan pledges only right types the policy supports (${rightType.pledgedTypes.join(', ')}): its whole IP part counts, no secured amount is needed`, () => ({ pledged: rightType.pledgedTypes.join(', ') }));
  }
  let shareNumerator = loan.collateral === 'ip_only' ? 1n : (loan.ipPledgedFen ?? 0n);
  let shareDenominator = loan.collateral === 'ip_only' ? 1n : principalFen;
  if (supportedFen !== null && supportedFen !== principalFen) {
    shareNumerator = supportedFen;
    shareDenominator = principalFen;
  }
  const minimum = p.minIpShareOfCombination.value;
  if (ipKnown && loan.collateral === 'combination' && minimum !== null) {
    const reference = p.minIpShareOfCombination.reference;
    const ipPart = formatYuan(shareNumerator);
    const principal = formatYuan(shareDenominator);
    if (new Dec(shareNumerator.toString()).div(shareDenominator.toString()).lt(ctx.caches.decimals.get(minimum))) {
      sink.missed({
        code: 'ip_share_at_least_minimum',
        reference,
        message: `the IP share ${ipPart} / ${principal} is below the minimum ${minimum}`,
        params: { ipPart, principal, minimum },
        toMeet: `an IP part of at least ${minimum} of the principal: this contract pledges ${ipPart} of ${principal}`,
      });
    } else {
      if (sink.all) sink.met('ip_share_at_least_minimum', reference, () => `the IP share ${ipPart} / ${principal} is at least the minimum ${minimum}`, () => ({ ipPart, principal, minimum }));
    }
  }
  const share: ShareStage = { ipKnown, shareNumerator, shareDenominator };
  if (supportedPart) share.supportedPart = supportedPart;
  return share;
}

/** Repaid on time, when the policy makes it a condition: settled on or before maturity, with no overdue or default event. */
export function repaidOnTimeConditions(ctx: RunContext, notes: TraceNotes, sink: ConditionSink, facts: LoanFacts): void {
  const p = ctx.p;
  if (p.condition.value !== 'repaid_on_time') return;
  notes.use('condition', p.condition);
  const reference = p.condition.reference;
  const maturityDate = facts.loan.maturityDate;
  const settlementDate = facts.settlementDay === null ? null : ctx.caches.date(facts.settlementDay);
  if (settlementDate === null) {
    sink.missed({
      code: 'settled',
      reference,
      message: `the loan is not settled: it cannot yet have been repaid on time (maturity ${maturityDate})`,
      params: { maturityDate },
      toMeet: `settle on or before ${maturityDate} with no overdue event`,
    });
  } else {
    if (sink.all) sink.met('settled', reference, () => `settled ${settlementDate} (maturity ${maturityDate})`, () => ({ settlementDate, maturityDate }));
    // 按期还清: settled on or before the maturity date. A settlement after it is late even when the bank recorded no
    // overdue event.
    if (facts.settlementDay! > facts.maturityDay) {
      sink.missed({
        code: 'settled_by_maturity',
        reference,
        message: `the loan was settled ${settlementDate}, after its maturity ${maturityDate}: it was not repaid on time`,
        params: { settlementDate, maturityDate },
        toMeet: `settled ${settlementDate} after maturity ${maturityDate}: on-time repayment is required (settled on or before the maturity date), so this loan cannot meet it`,
      });
    } else if (sink.all) {
      sink.met('settled_by_maturity', reference, () => `settled ${settlementDate}, on or before maturity ${maturityDate}`, () => ({ settlementDate, maturityDate }));
    }
  }
  if (facts.firstLateDay !== null) {
    const date = ctx.caches.date(facts.firstLateDay);
    const late = settlementDate !== null && facts.settlementDay! > facts.maturityDay ? `settled ${settlementDate} after maturity ${maturityDate}` : settlementDate !== null ? `settled ${settlementDate}` : `maturity ${maturityDate}`;
    sink.missed({
      code: 'no_overdue_event',
      reference,
      message: `the loan was not repaid on time: ${facts.firstLateType} event on ${date}`,
      params: { eventType: facts.firstLateType, date },
      toMeetParams: { maturityDate, ...(settlementDate === null ? {} : { settlementDate }) },
      toMeet: `${facts.firstLateType} on ${date}, ${late}: on-time repayment is required (settled by maturity with no overdue event), so this loan cannot meet it`,
    });
  } else {
    if (sink.all) sink.met('no_overdue_event', reference, () => 'no overdue or default event is recorded', () => ({}));
  }
}

/** The same patent or trademark is subsidised in one year only: assets paid by this policy's runs of other years. */
export function indexPriorAssets(ctx: RunContext, assets: readonly RunSubsidisedAsset[]): Map<string, RunSubsidisedAsset[]> {
  const prior = new Map<string, RunSubsidisedAsset[]>();
  if (ctx.p.sameAsset.value !== 'one_year_only') return prior;
  for (const asset of assets) {
    if (asset.year === ctx.year) continue;
    const key = `${asset.rightType}\u0000${asset.number}`;
    let list = prior.get(key);
    if (!list) prior.set(key, (list = []));
    list.push(asset);
  }
  for (const list of prior.values()) list.sort((a, b) => a.year - b.year || compareStrings(a.loanId, b.loanId));
  return prior;
}

export function sameAssetCondition(
  ctx: RunContext,
  notes: TraceNotes,
  sink: ConditionSink,
  pledges: readonly RunPledge[],
  priorAssets: ReadonlyMap<string, RunSubsidisedAsset[]>,
): void {
  const p = ctx.p;
  if (p.sameAsset.value !== 'one_year_only') return;
  notes.use('sameAsset', p.sameAsset);
  const named: string[] = [];
  const numbers: string[] = [];
  const years = new Set<number>();
  for (const pledge of pledges) {
    if (!ctx.eligibleTypes.has(pledge.rightType)) continue;
    const prior = priorAssets.get(`${pledge.rightType}\u0000${pledge.number}`);
    if (!prior) continue;
    named.push(`${pledge.rightType} ${pledge.number} was subsidised in ${prior.map((asset) => `${asset.year} (loan ${asset.loanId})`).join(', ')}`);
    numbers.push(pledge.number);
    for (const asset of prior) years.add(asset.year);
  }
  if (named.length === 0) {
    if (sink.all) sink.met('asset_not_subsidised_in_another_year', p.sameAsset.reference, () => 'no pledged asset was subsidised by this policy in another year', () => ({}));
    return;
  }
  const yearsText = [...years].sort((a, b) => a - b).join(', ');
  sink.missed({
    code: 'asset_not_subsidised_in_another_year',
    reference: p.sameAsset.reference,
    message: `${named.join('; ')}: the same asset is subsidised in one year only`,
    params: { numbers: numbers.join(', '), years: yearsText },
    toMeet: `none for this loan: ${numbers.join(', ')} ${numbers.length > 1 ? 'were' : 'was'} subsidised in ${yearsText}, and the same patent or trademark is subsidised in one year only; a loan pledging assets not subsidised before qualifies`,
  });
}

/** The day whose fixing applies; a rule fixing the rate by the contract date needs the date. */
export function fixingCondition(ctx: RunContext, sink: ConditionSink, facts: LoanFacts): FixingDay {
  const p = ctx.p;
  const fixing = fixingDay(p.rateFixing.value, facts);
  const byContract = p.rateFixing.value.rule === 'in_force_on_contract_date' || p.rateFixing.value.rule === 'latest_published_in_month_before_contract';
  if (!fixing.ok) {
    sink.missed({
      code: 'contract_date_recorded',
      reference: p.rateFixing.reference,
      message: 'the rate is fixed by the contract date, which the loan does not record',
      params: {},
      toMeet: 'record the loan\'s contract date: the policy fixes the rate by it',
    });
  } else if (byContract) {
    if (sink.all) sink.met('contract_date_recorded', p.rateFixing.reference, () => `the contract date ${facts.loan.contractDate} is recorded`, () => ({ contractDate: facts.loan.contractDate ?? '' }));
  }
  return fixing;
}
