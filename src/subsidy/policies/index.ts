/**
 * The shipped policies (API.md: ids `yuanzhou-2023`, `dongyang-2021`, `ankang-2024`), validated when loaded so a
 * shipped policy that breaks a rule fails at start-up, not in a run.
 */
import { validatePolicy, type Policy, type RawPolicy } from '../policy';
import { ankang2024 } from './ankang-2024';
import { dongyang2021 } from './dongyang-2021';
import { yuanzhou2023 } from './yuanzhou-2023';

export const rawShippedPolicies: readonly RawPolicy[] = [yuanzhou2023, dongyang2021, ankang2024];

export const shippedPolicies: readonly Policy[] = rawShippedPolicies.map((raw) => validatePolicy(raw));

export function shippedPolicy(id: string): Policy {
  const policy = shippedPolicies.find((candidate) => candidate.id === id);
  if (!policy) throw new RangeError(`no shipped policy "${id}"`);
  return policy;
}

export { ankang2024, dongyang2021, yuanzhou2023 };
