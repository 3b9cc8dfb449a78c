/**
 * Stage 1a — jurisdiction: a policy applies only to enterprises registered in its area (《关于全面加强知识产权工作的实施意见》
 * § 20 "在本市登记注册"; 袁府办字〔2023〕25号 is the district's own document; docs/subsidy-rules.md "Jurisdiction"). An
 * enterprise's division is the one staff recorded, else characters 3–8 of its USCC. In a run, a loan of an enterprise
 * outside the area is not a line at all; an explanation says so, and what would change it.
 */
import type { LineTrace, RunEnterprise, RunInput } from '../types';
import type { Condition } from './conditions';
import { invalid, type RunContext } from './context';
import { RULES } from './trace';

export type JurisdictionTrace = NonNullable<LineTrace['jurisdiction']>;

/** The enterprises of the input by USCC; an enterprise listed twice is refused. */
export function indexEnterprises(input: Pick<RunInput, 'enterprises'>): Map<string, RunEnterprise> {
  const enterprises = new Map<string, RunEnterprise>();
  input.enterprises.forEach((enterprise, position) => {
    if (enterprises.has(enterprise.uscc)) throw invalid(`enterprises.${position}.uscc`, `enterprise ${enterprise.uscc} is listed twice`);
    enterprises.set(enterprise.uscc, enterprise);
  });
  return enterprises;
}

/** A prefix of a division code as a person reads it: "6109" covers "6109xx". */
export function coveredDivisions(prefixes: readonly string[]): string {
  return prefixes.map((prefix) => prefix.padEnd(6, 'x')).join(', ');
}

export interface JurisdictionMatch {
  divisionCode: string;
  source: JurisdictionTrace['source'];
  /** The trace fragment when the enterprise is in the area, else null. */
  trace: JurisdictionTrace | null;
}

/** Where the enterprise is registered and whether the policy covers it (once per enterprise and run). */
export class Jurisdiction {
  private readonly matches: Map<string, JurisdictionMatch>;
  readonly reference: string;

  constructor(
    private readonly ctx: RunContext,
    private readonly enterprises: ReadonlyMap<string, RunEnterprise>,
  ) {
    this.reference = ctx.policy.jurisdiction.reference ?? `${RULES} "Jurisdiction"`;
    this.matches = ctx.caches.jurisdictions;
  }

  match(uscc: string): JurisdictionMatch {
    let found = this.matches.get(uscc);
    if (found === undefined) {
      const record = this.enterprises.get(uscc);
      const divisionCode = record ? record.divisionCode : uscc.substring(2, 8);
      const source = record ? 'enterprise_record' : 'uscc';
      const matchedPrefix = this.ctx.policy.jurisdiction.divisionPrefixes.find((prefix) => divisionCode.startsWith(prefix));
      found = {
        divisionCode,
        source,
        trace: matchedPrefix === undefined ? null : { divisionCode, source, matchedPrefix, reference: this.reference },
      };
      this.matches.set(uscc, found);
    }
    return found;
  }

  /** The trace fragment of a line of the enterprise, or null: not a line of the run. */
  of(uscc: string): JurisdictionTrace | null {
    return this.match(uscc).trace;
  }

  /** The condition as an explanation states it. */
  condition(uscc: string): Condition {
    const { divisionCode, source, trace } = this.match(uscc);
    const covered = coveredDivisions(this.ctx.policy.jurisdiction.divisionPrefixes);
    const where = source === 'enterprise_record' ? 'as recorded' : 'by characters 3–8 of its USCC';
    const params = { uscc, divisionCode, source, covered };
    if (trace) {
      return {
        code: 'in_jurisdiction',
        met: true,
        reference: this.reference,
        message: `enterprise ${uscc} is registered in ${divisionCode} (${where}); the policy covers ${covered}`,
        params,
        toMeet: null,
      };
    }
    return {
      code: 'in_jurisdiction',
      met: false,
      reference: this.reference,
      message: `enterprise ${uscc} is registered in ${divisionCode} (${where}); the policy covers ${covered} only, so none of its loans is a line of the run`,
      params,
      toMeet: `registered in ${covered}; this enterprise is registered in ${divisionCode}: staff can correct its division if it is wrong`,
    };
  }
}
