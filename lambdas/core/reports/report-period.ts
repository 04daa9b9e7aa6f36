import { dayNumber, isDate, monthsBefore } from '../platform-events/days.ts';

/**
 * The 12 months a report run covers (SPEC §9.2): from the same day a year before the end date to
 * the end date, both included (`2024-07-01-2025-07-01`).
 */
export interface ReportPeriod {
  readonly start: string;
  readonly end: string;
  readonly startDay: number;
  readonly endDay: number;
}

export function reportPeriod(end: string): ReportPeriod {
  if (!isDate(end)) throw new Error(`end must be a date YYYY-MM-DD (e.g. 2025-07-01), got "${end}"`);
  const start = monthsBefore(end, 12);
  return { start, end, startDay: dayNumber(start), endDay: dayNumber(end) };
}

export const REPORTS = [
  { id: 'SUBSCRIPTION-HISTORY', name: 'subscription-history' },
  { id: 'SUBSCRIBERS-SNAPSHOT', name: 'subscribers-snapshot' },
  { id: 'CHECK-INS', name: 'check-ins' },
  { id: 'ADOPTION-OVER-TIME', name: 'adoption-over-time' },
] as const;
export type ReportKind = (typeof REPORTS)[number];

export function reportZipName(period: ReportPeriod, report: ReportKind): string {
  return `${period.start}-${period.end}_${report.id}.zip`;
}

/** `company` already made safe for a file name. */
export function reportCsvName(company: string, period: ReportPeriod, report: ReportKind): string {
  return `${company}_${period.start}-${period.end}_${report.name}-wellhub.csv`;
}
