import { formatAmount } from '../format/money';

/** An amount, right-aligned in tabular figures. */
export function Amount({ value }: { value: string }) {
  return <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatAmount(value)}</span>;
}
