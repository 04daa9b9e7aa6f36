import { dayNumber, daysInMonth } from '../platform-events/days.ts';
import type { ReportPeriod } from '../reports/report-period.ts';

/**
 * The calendar months a workforce report has rows for (SPEC §19): from the start date's month
 * through the month before the end date's when the end date is a 1st (12 months for the monthly
 * run), else through the end date's month. Pure.
 */

export interface CalendarMonth {
  /** `YYYY-MM`. */
  readonly id: string;
  /** Epoch days of the month's first and last day. */
  readonly first: number;
  readonly last: number;
}

/** The month `index` months after January of year 0 (so arithmetic on months is integer). */
export function calendarMonth(index: number): CalendarMonth {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const id = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  const first = dayNumber(`${id}-01`);
  return { id, first, last: first + daysInMonth(year, month) - 1 };
}

export function monthIndex(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

export function reportMonths(period: Pick<ReportPeriod, 'start' | 'end'>): CalendarMonth[] {
  const from = monthIndex(period.start);
  const to = monthIndex(period.end) - (period.end.endsWith('-01') ? 1 : 0);
  const months: CalendarMonth[] = [];
  for (let i = from; i <= to; i++) months.push(calendarMonth(i));
  return months;
}
