/**
 * A reform: a policy version with some parameters changed (OpenFisca's reforms; docs/api.md "Simulations"). The
 * changes are named as the parameters are in `GET /api/v1/policies` (`ratio`, `capPerLoan`, `dayCount`,
 * `windowMonths`, `fundingSplit`, `rateIndex`, …) and give the parameter's new `value`; its clause reference is kept
 * and marked as changed by the simulation, so a reform line's trace says where the figure came from. The changed
 * version is validated exactly as a new version would be (`checkPolicy`), and every refusal names the change:
 * `changes.ratio`, `changes.fundingSplit.0.share`, `changes.noSuchParameter`.
 */
import type { FieldError } from '../errors';
import { checkPolicy, rawPolicySchema, type Policy, type RawPolicy } from '../policy';

/** The names a change may use: every parameter of the policy record, in the schema's order. */
export const PARAMETER_NAMES: readonly string[] = Object.keys(rawPolicySchema.shape.parameters.shape);

/** At most one change per parameter: the number of parameters bounds a request. */
export const CHANGES_MAX = PARAMETER_NAMES.length;

export type ReformCheck = { ok: true; raw: RawPolicy; policy: Policy; changed: string[] } | { ok: false; errors: FieldError[] };

/** Where a refusal of the changed record points: `parameters.ratio.value…` → `changes.ratio…`. */
function changePath(path: string): string {
  const match = /^parameters\.([A-Za-z]+)(?:\.value)?(\..*)?$/.exec(path);
  if (!match) return `changes.${path}`;
  return `changes.${match[1]}${match[2] ?? ''}`;
}

/**
 * The version `baseline` with `changes` applied, validated as a new version; never throws. An unknown parameter, a
 * value the parameter's schema refuses or one that breaks a rule across parameters (shares adding up to 1, a right
 * type ranked) is an error naming the change.
 */
export function applyChanges(baseline: RawPolicy, changes: Record<string, unknown>): ReformCheck {
  const errors: FieldError[] = [];
  const names = Object.keys(changes);
  for (const name of names) {
    if (!PARAMETER_NAMES.includes(name)) {
      errors.push({ path: `changes.${name}`, message: `unknown parameter "${name}"; the parameters are ${PARAMETER_NAMES.join(', ')}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const parameters: Record<string, unknown> = { ...baseline.parameters };
  for (const name of names) {
    const before = (baseline.parameters as unknown as Record<string, { value: unknown; reference: string; interpretation?: string }>)[name]!;
    // The reading of the old value no longer describes the new one: the trace says what was changed instead.
    const { interpretation: _reading, ...kept } = before;
    parameters[name] = {
      ...kept,
      value: changes[name],
      reference: `${before.reference} — changed in a reform simulation`,
      interpretation: `Reform simulation: ${name} changed from ${JSON.stringify(before.value)} to ${JSON.stringify(changes[name])}.`,
    };
  }
  const check = checkPolicy({ ...baseline, parameters });
  if (!check.ok) {
    return { ok: false, errors: check.errors.map((error) => ({ path: changePath(error.path), message: error.message })) };
  }
  const raw = { ...baseline, parameters } as unknown as RawPolicy;
  return { ok: true, raw, policy: check.policy, changed: names };
}
