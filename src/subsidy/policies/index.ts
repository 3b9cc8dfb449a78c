/**
 * The shipped policies (ids `yuanzhou-2023`, `dongyang-2021`, `ankang-2024`), every version, validated when loaded so
 * a shipped policy that breaks a rule fails at start-up, not in a run. Each version is recorded once, by a migration:
 * version 1 by Migration20261123000004Subsidy (`rawShippedPolicies`), version 2 by
 * Migration20261203000100PolicyFidelity (`rawShippedPoliciesV2`). A recorded version is never edited; a later
 * correction is a new version in a new migration.
 */
import { completeRecordedPolicy, validatePolicy, type Policy, type RawPolicy, type RecordedPolicy } from '../policy';
import { ankang2024, ankang2024v1 } from './ankang-2024';
import { dongyang2021, dongyang2021v1 } from './dongyang-2021';
import { yuanzhou2023, yuanzhou2023v1 } from './yuanzhou-2023';

/** Version 1 of each shipped policy, exactly as Migration20261123000004Subsidy records it. */
export const rawShippedPolicies: readonly RecordedPolicy[] = [yuanzhou2023v1, dongyang2021v1, ankang2024v1];

/** Version 2 of each shipped policy, as Migration20261203000100PolicyFidelity records it: the versions in force. */
export const rawShippedPoliciesV2: readonly RawPolicy[] = [yuanzhou2023, dongyang2021, ankang2024];

/** The latest version of each shipped policy, validated. */
export const shippedPolicies: readonly Policy[] = rawShippedPoliciesV2.map((raw) => validatePolicy(raw));

const allVersions: readonly Policy[] = [
  ...rawShippedPolicies.map((raw) => validatePolicy(completeRecordedPolicy(raw))),
  ...shippedPolicies,
];

/** A shipped policy: its latest version, or the version asked for. */
export function shippedPolicy(id: string, version?: number): Policy {
  const candidates = allVersions.filter((candidate) => candidate.id === id && (version === undefined || candidate.version === version));
  const policy = candidates.sort((a, b) => b.version - a.version)[0];
  if (!policy) throw new RangeError(`no shipped policy "${id}"${version === undefined ? '' : ` version ${version}`}`);
  return policy;
}

export { ankang2024, ankang2024v1, dongyang2021, dongyang2021v1, yuanzhou2023, yuanzhou2023v1 };
