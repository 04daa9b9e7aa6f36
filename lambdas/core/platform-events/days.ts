/**
 * Calendar days as UTC epoch-day numbers, so date ranges, proration and per-day counts are
 * integer arithmetic with no time-zone surprises. Dates in and out are `YYYY-MM-DD`.
 */

const MS_PER_DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → epoch day; throws on anything that is not a real calendar date. */
export function dayNumber(date: string): number {
  const match = DATE.exec(date);
  if (!match) throw new Error(`not a date (YYYY-MM-DD): ${date}`);
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  if (new Date(ms).getUTCDate() !== d || new Date(ms).getUTCMonth() !== m - 1) throw new Error(`no such date: ${date}`);
  return ms / MS_PER_DAY;
}

export function isDate(date: string): boolean {
  try {
    dayNumber(date);
    return true;
  } catch {
    return false;
  }
}

export function dateOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The UTC day of an ISO instant. */
export function dayOfInstant(at: string): number {
  return Math.floor(new Date(at).getTime() / MS_PER_DAY);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day `months` months earlier, clamped to the month's last day (2024-02-29 − 12 → 2023-02-28). */
export function monthsBefore(date: string, months: number): string {
  const day = dayNumber(date);
  const d = new Date(day * MS_PER_DAY);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const dom = Math.min(d.getUTCDate(), daysInMonth(year, month + 1));
  return dateOf(Date.UTC(year, month, dom) / MS_PER_DAY);
}
