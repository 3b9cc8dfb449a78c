/**
 * Stage 6 — caps on the sum of an enterprise's loans in the run (docs/subsidy-rules.md "Caps" 2), in this order: per
 * right type per year (《关于全面加强知识产权工作的实施意见》 § 6 "单个企业每种权项质押每年最高贴息补助30万元"), per year
 * (袁府办字〔2023〕25号 四(三)2 "贴息总额最高不超过10万元"), cumulative over the policy's runs (when set). A cut is shared
 * among the group's loans (loan-id order) in proportion to their amounts with the exact split, so the lines still add
 * up to the capped total; each group is recorded for the run's closing checks.
 */
import type { Fen } from '../../money';
import { capGroup } from '../caps';
import type { ParameterName } from '../policy';
import type { AdjustmentStep, InterestLine, RunInput } from '../types';
import { requireFen, type RunContext } from './context';
import { assertGroupCapped, type CapGroupRecord } from './invariants';
import { adjust, compareStrings, yuan, type LineWork } from './trace';

/** What earlier runs of this policy paid each enterprise (for the cumulative cap). */
export function indexCumulativePaid(input: Pick<RunInput, 'cumulativePaid'>): Map<string, Fen> {
  const paid = new Map<string, Fen>();
  (input.cumulativePaid ?? []).forEach((entry, position) => {
    const amount = requireFen(entry.amountFen, `cumulativePaid.${position}.amountFen`);
    paid.set(entry.uscc, (paid.get(entry.uscc) ?? 0n) + amount);
  });
  return paid;
}

function groupBy(eligible: readonly LineWork[], key: (work: LineWork) => string): Map<string, LineWork[]> {
  const groups = new Map<string, LineWork[]>();
  for (const work of eligible) {
    const k = key(work);
    let group = groups.get(k);
    if (!group) groups.set(k, (group = []));
    group.push(work); // the eligible lines are in loan-id order, so each group is too.
  }
  return groups;
}

function capGroups(
  ctx: RunContext,
  groups: Map<string, LineWork[]>,
  capFenOf: (key: string) => Fen,
  step: AdjustmentStep,
  name: ParameterName,
  describe: (key: string, capFen: Fen) => string,
  records: CapGroupRecord[],
): void {
  const parameter = ctx.p[name];
  for (const key of [...groups.keys()].sort(compareStrings)) {
    const group = groups.get(key)!;
    const capFen = capFenOf(key);
    for (const work of group) work.notes.use(name, parameter);
    const result = capGroup(
      group.map((work) => work.amountFen),
      capFen,
    );
    if (result.cutFen !== 0n) {
      group.forEach((work, index) => {
        adjust(
          work,
          step,
          parameter.reference,
          result.amountsFen[index]!,
          `${describe(key, capFen)}: the ${group.length} loan(s) total ${yuan(result.totalBeforeFen)}, cut ${yuan(result.cutFen)} shared in proportion to their amounts; this loan's part ${yuan(result.cutsFen[index]!)}`,
        );
      });
    }
    const record: CapGroupRecord = { step, key, capFen, totalBeforeFen: result.totalBeforeFen, totalAfterFen: result.totalAfterFen, lines: group };
    assertGroupCapped(record);
    records.push(record);
  }
}

/** Applies the enterprise caps the policy sets to the eligible interest lines (in loan-id order); returns each group. */
export function applyEnterpriseCaps(ctx: RunContext, eligible: readonly LineWork[], cumulativePaid: ReadonlyMap<string, Fen>): CapGroupRecord[] {
  const p = ctx.p;
  const records: CapGroupRecord[] = [];
  const capRightType = p.capPerEnterpriseRightTypeYear.value;
  if (capRightType !== null) {
    capGroups(
      ctx,
      groupBy(eligible, (work) => `${work.line.enterpriseUscc}\u0000${(work.line as InterestLine).rightType}`),
      () => capRightType,
      'cap_per_enterprise_right_type_year',
      'capPerEnterpriseRightTypeYear',
      (key, capFen) => `enterprise ${key.split('\u0000')[0]}, right type ${key.split('\u0000')[1]}: capped at ${yuan(capFen)} a year`,
      records,
    );
  }
  const capYear = p.capPerEnterpriseYear.value;
  if (capYear !== null) {
    capGroups(
      ctx,
      groupBy(eligible, (work) => work.line.enterpriseUscc),
      () => capYear,
      'cap_per_enterprise_year',
      'capPerEnterpriseYear',
      (key, capFen) => `enterprise ${key}: capped at ${yuan(capFen)} a year`,
      records,
    );
  }
  const capCumulative = p.capPerEnterpriseCumulative.value;
  if (capCumulative !== null) {
    capGroups(
      ctx,
      groupBy(eligible, (work) => work.line.enterpriseUscc),
      (key) => {
        const paid = cumulativePaid.get(key) ?? 0n;
        return paid >= capCumulative ? 0n : capCumulative - paid;
      },
      'cap_per_enterprise_cumulative',
      'capPerEnterpriseCumulative',
      (key, capFen) => `enterprise ${key}: cumulative cap ${yuan(capCumulative)} less ${yuan(cumulativePaid.get(key) ?? 0n)} paid by earlier runs leaves ${yuan(capFen)}`,
      records,
    );
  }
  return records;
}
