/** "0.3125" → "31.25%" by moving the decimal point in the string (a growth rate as the API sends it, 4 places). */
export function growthText(growth: string | null): string {
  if (growth === null) return '—';
  const negative = growth.startsWith('-');
  const [whole = '0', fraction = ''] = growth.replace('-', '').split('.');
  const digits = `${whole}${fraction.padEnd(4, '0')}`;
  const integer = digits.slice(0, whole.length + 2).replace(/^0+(?=\d)/, '');
  return `${negative ? '-' : ''}${integer}.${digits.slice(whole.length + 2, whole.length + 4)}%`;
}

/** "30" (per cent, as a clerk types it) → "0.30", "2.5" → "0.025": the API's rate, by moving the decimal point. */
export function rateOfPercent(percent: string | undefined): string | undefined {
  const text = percent?.trim();
  if (!text) return undefined;
  const match = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) return text;
  const [, whole = '', fraction = ''] = match;
  const digits = `${whole}${fraction}`.padStart(fraction.length + 3, '0');
  const point = digits.length - fraction.length - 2;
  return `${digits.slice(0, point).replace(/^0+(?=\d)/, '')}.${digits.slice(point)}`;
}
