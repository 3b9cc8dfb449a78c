/**
 * Rates as a clerk reads them, in per cent ("3.45" %), and as the API takes them, as a decimal string ("0.0345"):
 * string and bigint maths only, so no float ever rounds a fixing. Pure, tested in test/web.rates.test.ts.
 */

/** The API's rate ("0.0345") → per cent ("3.45"); anything that is not a rate is shown as it came. */
export function toPercent(rate: string): string {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!match) return rate;
  const digits = `${match[1]}${match[2] ?? ''}`;
  const scale = (match[2] ?? '').length - 2;
  return shift(digits, scale);
}

/** A per cent as typed ("3.45", at most 8 places) → the API's rate ("0.0345"); null when it is not one. */
export function fromPercent(percent: string): string | null {
  const match = /^(\d{1,3})(?:\.(\d{1,8}))?$/.exec(percent.trim());
  if (!match) return null;
  const digits = `${match[1]}${match[2] ?? ''}`;
  return shift(digits, (match[2] ?? '').length + 2);
}

/** The number `digits` × 10^−scale written without needless zeros ("345", 4 → "0.0345"; "345", 0 → "345"). */
function shift(digits: string, scale: number): string {
  let whole: string;
  let fraction: string;
  if (scale <= 0) {
    whole = digits + '0'.repeat(-scale);
    fraction = '';
  } else {
    const padded = digits.padStart(scale + 1, '0');
    whole = padded.slice(0, padded.length - scale);
    fraction = padded.slice(padded.length - scale);
  }
  whole = whole.replace(/^0+(?=\d)/, '');
  fraction = fraction.replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
