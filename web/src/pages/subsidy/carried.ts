/**
 * The part of a line the contribution cap carried to later years (《关于全面加强知识产权工作的实施意见》 § 22: support
 * above the enterprise's local contribution of the year "可在后两年内兑现"). The engine records it as the cut of the
 * `contribution_cap` adjustment (src/subsidy/stages/contribution.ts); the console says it in words on the line.
 */
import { formatFenText } from '../../format/figures';

export function carriedText(trace: { adjustments?: Array<{ step: string; cutFen: string }>; run?: { year: number } }): string | undefined {
  const cut = (trace.adjustments ?? []).find((adjustment) => adjustment.step === 'contribution_cap' && /^[1-9]\d*$/.test(adjustment.cutFen));
  if (!cut) return undefined;
  return `超出贡献额 ${formatFenText(cut.cutFen)} 结转${trace.run ? `至 ${trace.run.year + 1}–${trace.run.year + 2} 年兑现` : '以后两年兑现'}`;
}
