/** "part ÷ whole" of two amounts as a percentage to two places, in bigint maths (no float holds an amount). */
import { toFen } from '../../format/money';

export function percentOf(part: string, whole: string): string {
  const wholeFen = toFen(whole);
  if (wholeFen === 0n) return '—';
  // Hundredths of a percent, rounded half up.
  const basisPoints = (toFen(part) * 20000n + wholeFen) / (2n * wholeFen);
  return `${basisPoints / 100n}.${(basisPoints % 100n).toString().padStart(2, '0')}%`;
}
