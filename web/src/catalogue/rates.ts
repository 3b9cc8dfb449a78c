/**
 * The reference-rate indices in Chinese (the fixings' `index`, a policy's `rateIndex`, a trace's `rate.index`): one
 * table for the rates page, the policy parameters, the run traces and the simulation.
 */
export const RATE_INDEX_LABELS = {
  LPR1Y: '1年期贷款市场报价利率（LPR）',
  LPR5Y: '5年期以上贷款市场报价利率（LPR）',
  PBOC_LE1Y: '人民银行贷款基准利率（1年以内，含1年）',
  PBOC_1TO5Y: '人民银行贷款基准利率（1至5年，含5年）',
  PBOC_GT5Y: '人民银行贷款基准利率（5年以上）',
} as const satisfies Record<string, string>;

/** A policy may name the PBoC benchmark by the loan's term instead of one index. */
export const RATE_RULE_LABELS: Record<string, string> = {
  ...RATE_INDEX_LABELS,
  PBOC_BY_TERM: '按贷款期限档次的人民银行贷款基准利率',
};

/** An index as a clerk reads it; a code the table does not know is shown as it is rather than hidden. */
export function rateIndexText(index: string | null | undefined): string {
  if (!index) return '—';
  return RATE_RULE_LABELS[index] ?? index;
}
