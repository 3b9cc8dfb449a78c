/**
 * Money as the console shows it: "1234567.89" (the API's decimal string) → "¥1,234,567.89". String and bigint maths
 * only: a float never holds an amount here either (README "Money"). Pure, so jest tests it (test/web.format.test.ts).
 */

const AMOUNT = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** "1234567.8" → "¥1,234,567.80"; "-5" → "-¥5.00"; anything that is not an amount is shown as it came. */
export function formatAmount(amount: string): string {
  const match = AMOUNT.exec(amount.trim());
  if (!match) return amount;
  const [, sign = '', digits = '', cents = ''] = match;
  const whole = digits.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const negative = sign === '-' && /[1-9]/.test(digits + cents);
  return `${negative ? '-' : ''}¥${whole}.${cents.padEnd(2, '0')}`;
}

/** "123.45" → 12345n fen. */
export function toFen(amount: string): bigint {
  const match = AMOUNT.exec(amount.trim());
  if (!match) throw new RangeError(`not an amount: '${amount}'`);
  const [, sign = '', digits = '', cents = ''] = match;
  const fen = BigInt(digits) * 100n + BigInt(cents.padEnd(2, '0'));
  return sign === '-' ? -fen : fen;
}

/** 12345n → "123.45" (the API's form). */
export function fromFen(fen: bigint): string {
  const abs = fen < 0n ? -fen : fen;
  return `${fen < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** The exact sum of amounts, e.g. a table's total row. */
export function sumAmounts(amounts: Iterable<string>): string {
  let total = 0n;
  for (const amount of amounts) total += toFen(amount);
  return fromFen(total);
}
