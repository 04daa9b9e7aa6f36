/**
 * A leaver's partial deduction (SPEC §8): price × days active in the cycle ÷ days in the month,
 * rounded half-up to cents. Integer arithmetic, so 0.5 cent never meets a binary fraction.
 */
export function proratedCents(monthlyCents: number, daysActive: number, daysInMonth: number): number {
  if (daysActive <= 0 || monthlyCents <= 0) return 0;
  const days = Math.min(daysActive, daysInMonth);
  // floor(x + 1/2) with x = price·days/month, kept in integers.
  return Math.floor((2 * monthlyCents * days + daysInMonth) / (2 * daysInMonth));
}

/**
 * Days a leaver counts in the cycle: from the cycle's first day (or the employee's effective
 * date, if later) to the termination date, both included — they could use the benefit on the
 * day they left.
 */
export function daysActiveInCycle(cycleFirstDay: number, effectiveDay: number | undefined, terminationDay: number): number {
  const from = Math.max(cycleFirstDay, effectiveDay ?? cycleFirstDay);
  return Math.max(0, terminationDay - from + 1);
}
