/**
 * Stage 1b — the enterprise itself, for the year:
 * - an independent legal person in normal operation (《关于全面加强知识产权工作的实施意见》 § 20 "具有独立法人资格…并正常生产经营的
 *   企业"), when the policy sets `enterpriseConditions`: an individual business (USCC beginning 92) is not; staff's
 *   records whose period overlaps the year say when an enterprise is not (docs/subsidy-rules.md "Enterprise
 *   conditions");
 * - not excluded for the year (§ 23: a safety or environmental accident, a mass labour dispute, a tax or IP violation
 *   under investigation), when the policy applies exclusions.
 * A missed condition makes every line of the enterprise in the run ineligible (its fee, premium and carried lines
 * too). Checked once per enterprise and run.
 */
import { compareStrings } from './trace';
import type { EnterpriseCondition } from '../policy';
import type { LineTrace, RunEnterpriseStatus, RunExclusion, RunInput, TraceEnterpriseCondition } from '../types';
import { parseDate } from '../dates';
import { ConditionSink, type Condition, type ConditionCode } from './conditions';
import { invalid, type RunContext } from './context';

export interface EnterpriseCheck {
  /** Missed conditions (a run), or every condition (an explanation), in the order: legal person, operation, exclusion. */
  conditions: Condition[];
  /** The trace fragment of § 20 (null when the policy sets no condition on the enterprise). */
  trace: NonNullable<LineTrace['enterprise']> | null;
  /** Some condition is missed: every line of the enterprise in the run is ineligible. */
  anyMissed: boolean;
}

/** Staff's inputs about enterprises that concern the year, by USCC, in a stable order. */
export class EnterpriseRecords {
  readonly exclusions = new Map<string, RunExclusion[]>();
  readonly status = new Map<string, RunEnterpriseStatus[]>();

  constructor(ctx: RunContext, input: Pick<RunInput, 'exclusions' | 'enterpriseStatus'>) {
    const p = ctx.p;
    if (p.exclusions.value === 'apply') {
      for (const exclusion of input.exclusions) {
        if (exclusion.year !== ctx.year) continue;
        let list = this.exclusions.get(exclusion.uscc);
        if (!list) this.exclusions.set(exclusion.uscc, (list = []));
        list.push(exclusion);
      }
      for (const list of this.exclusions.values()) {
        list.sort((a, b) => compareStrings(a.reason, b.reason) || compareStrings(a.setBy ?? '', b.setBy ?? ''));
      }
    }
    if (p.enterpriseConditions.value) {
      input.enterpriseStatus.forEach((record, position) => {
        const from = parseDate(record.from, `enterpriseStatus.${position}.from`);
        const to = record.to === null ? null : parseDate(record.to, `enterpriseStatus.${position}.to`);
        if (to !== null && to < from) throw invalid(`enterpriseStatus.${position}.to`, 'must not be before from');
        // A record counts for the run of every year its period [from, to] overlaps.
        if (from >= ctx.yearTo || (to !== null && to < ctx.yearFrom)) return;
        let list = this.status.get(record.uscc);
        if (!list) this.status.set(record.uscc, (list = []));
        list.push(record);
      });
      for (const list of this.status.values()) list.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.recordId, b.recordId));
    }
  }
}

const WHAT: Record<EnterpriseCondition, { code: ConditionCode; text: string }> = {
  not_independent_legal_person: { code: 'independent_legal_person', text: 'an independent legal person' },
  not_in_normal_operation: { code: 'in_normal_operation', text: 'in normal operation' },
};

function period(record: RunEnterpriseStatus): string {
  return record.to === null ? `from ${record.from}` : `from ${record.from} to ${record.to}`;
}

/** The enterprise's conditions for the run's year (cached per enterprise: every loan of it shares the answer). */
export function checkEnterprise(ctx: RunContext, records: EnterpriseRecords, uscc: string): EnterpriseCheck {
  const cached = ctx.caches.enterpriseChecks.get(uscc);
  if (cached) return cached;
  const p = ctx.p;
  const sink = new ConditionSink(ctx.explain);
  let trace: EnterpriseCheck['trace'] = null;
  const conditions = p.enterpriseConditions.value;
  if (conditions) {
    const reference = p.enterpriseConditions.reference;
    const checked: TraceEnterpriseCondition[] = [];
    const statusRecords = records.status.get(uscc) ?? [];
    const check = (condition: EnterpriseCondition) => {
      const { code, text } = WHAT[condition];
      const prefix =
        condition === 'not_independent_legal_person' ? conditions.notLegalPersonUsccPrefixes.find((candidate) => uscc.startsWith(candidate)) : undefined;
      if (prefix !== undefined) {
        checked.push({ condition, met: false, source: 'uscc_prefix', recordIds: [] });
        sink.missed({
          code,
          reference,
          message: `enterprise ${uscc} is an individual business (USCC beginning ${prefix}): it is not ${text}`,
          params: { uscc, usccPrefix: prefix },
          toMeet: `the policy supports independent legal persons only: an individual business (个体工商户, USCC beginning ${prefix}) qualifies once it is registered as a company with a USCC of its own`,
        });
        return;
      }
      const matching = statusRecords.filter((record) => record.condition === condition);
      if (matching.length === 0) {
        checked.push({ condition, met: true, source: 'no_record', recordIds: [] });
        if (sink.all) sink.met(
          code,
          reference,
          () =>
            condition === 'not_independent_legal_person'
              ? `enterprise ${uscc} is not an individual business (USCC prefix ${conditions.notLegalPersonUsccPrefixes.join(', ') || 'none'}) and no record says it is not ${text} in ${ctx.year}`
              : `no record says enterprise ${uscc} is not ${text} in ${ctx.year}`,
          () => ({ uscc, year: ctx.year }),
        );
        return;
      }
      checked.push({ condition, met: false, source: 'record', recordIds: matching.map((record) => record.recordId) });
      const first = matching[0]!;
      sink.missed({
        code,
        reference,
        message: `staff recorded that enterprise ${uscc} is not ${text} ${matching.map((record) => `${period(record)} (${record.reason}${record.recordedBy ? `, recorded by ${record.recordedBy}` : ''})`).join('; ')}`,
        params: {
          uscc,
          recordId: first.recordId,
          from: first.from,
          ...(first.to === null ? {} : { to: first.to }),
          reason: first.reason,
          records: matching.length,
        },
        toMeetParams: { year: ctx.year },
        toMeet: `staff recorded that the enterprise is not ${text} ${period(first)} (${first.reason}), which overlaps ${ctx.year}: if the record is wrong, or the period has ended, staff withdraw it (with the reason) and record the period with its last day`,
      });
    };
    if (conditions.independentLegalPerson) check('not_independent_legal_person');
    if (conditions.normalOperation) check('not_in_normal_operation');
    trace = { uscc, conditions: checked, reference };
  }
  const flags = records.exclusions.get(uscc);
  if (flags && flags.length > 0) {
    const text = flags.map((flag) => `${flag.reason}${flag.setBy ? ` (flagged by ${flag.setBy})` : ''}`).join('; ');
    sink.missed({
      code: 'not_excluded',
      reference: p.exclusions.reference,
      message: `enterprise ${uscc} is excluded for ${ctx.year}: ${text}`,
      params: {
        uscc,
        year: ctx.year,
        reasons: flags.map((flag) => flag.reason).join('; '),
        ...(flags.some((flag) => flag.setBy) ? { setBy: flags.map((flag) => flag.setBy ?? '').filter(Boolean).join('; ') } : {}),
      },
      toMeet: `none for ${ctx.year}: an enterprise excluded for a year gets nothing in that year; if the exclusion was recorded in error, staff must correct the record`,
    });
  } else if (p.exclusions.value === 'apply') {
    if (sink.all) sink.met('not_excluded', p.exclusions.reference, () => `no exclusion of enterprise ${uscc} is recorded for ${ctx.year}`, () => ({ uscc, year: ctx.year }));
  }
  const check: EnterpriseCheck = { conditions: sink.conditions, trace, anyMissed: sink.anyMissed };
  ctx.caches.enterpriseChecks.set(uscc, check);
  return check;
}
