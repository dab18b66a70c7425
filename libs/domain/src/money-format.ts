/**
 * Formats a peso amount with comma thousands separators ("12,400,000,000").
 * Done by hand because Intl's grouping depends on the runtime's locale data, and the
 * tier reasons are stored text that must read the same on every worker.
 */
export function formatThousands(amount: number): string {
  const whole = Math.round(amount);
  // Beyond 1e21 String() switches to exponent notation, which cannot be grouped.
  if (!Number.isFinite(whole) || Math.abs(whole) >= 1e21) return String(amount);
  const digits = String(Math.abs(whole));
  let grouped = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const chunk = digits.slice(Math.max(0, end - 3), end);
    grouped = grouped === '' ? chunk : `${chunk},${grouped}`;
  }
  return whole < 0 ? `-${grouped}` : grouped;
}
