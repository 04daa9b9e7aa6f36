import { dayNumber } from '../platform-events/days.ts';

/**
 * An employee's eligibility history (SPEC §19), kept on the employee's own item as a list of
 * short entries appended by the write that already happens for an add, change or removal — so
 * recording it costs no extra DynamoDB write (SPEC §13). Each entry is `YYYY-MM-DD`, one sign
 * and, for the signs that carry one, the department the record had from that day:
 *
 * - `2025-01-01+Sales`: eligibility starts (an addition, or a reactivation after a removal);
 * - `2025-03-10=Ops`: the record changed while eligible (the department as of that day);
 * - `2025-06-01-`: eligibility ends (the termination date: eligible through the day before).
 *
 * The writer does not know the department before an update (the diff keeps only fingerprints),
 * so every update appends `=`; readers fold repeats. Pure: no I/O.
 */

export type HistorySign = '+' | '=' | '-';

/** The stored field a department is read from: `department` (wellhub, upwards), else an agreed custom `Department`. */
export function departmentOf(values: Readonly<Record<string, string>>): string {
  return values.department ?? values['custom:Department'] ?? '';
}

export function startEntry(date: string, department: string): string {
  return `${date}+${department}`;
}

export function changeEntry(date: string, department: string): string {
  return `${date}=${department}`;
}

export function endEntry(date: string): string {
  return `${date}-`;
}

/** One stretch of eligibility: days `from` (inclusive) to `to` (the termination day, exclusive). */
export interface EligibilityPeriod {
  readonly from: number;
  /** Absent while still eligible. */
  readonly to?: number;
}

/** From day `from` on, the record's department was `name` (`''` when blank). */
export interface DepartmentSince {
  readonly from: number;
  readonly name: string;
}

/** What the workforce metrics need of one employee: their periods and their departments over time. */
export interface EmployeeHistory {
  /** In time order, none empty, none overlapping. */
  readonly periods: readonly EligibilityPeriod[];
  /** In time order; the first applies to every day before the second. */
  readonly departments: readonly DepartmentSince[];
}

/** The stored attributes a history is read from (what EmployeeRepo keeps on every employee). */
export interface HistorySource {
  readonly history?: readonly string[];
  readonly effectiveDate?: string;
  readonly terminationDate?: string;
  readonly active?: boolean;
  /** The record's current department. */
  readonly department: string;
}

/**
 * Reads an employee's history. Records written before histories existed (and not yet backfilled)
 * have none: their one period is their effective date to their termination date, in their current
 * department. A history whose first entry is not a start (a legacy record changed before the
 * backfill reached it) starts at the effective date. Periods that begin and end on the same day
 * were never eligible for a day and are dropped.
 */
export function readHistory(source: HistorySource): EmployeeHistory {
  const entries = source.history && source.history.length > 0 ? source.history : legacyHistory(source);
  const periods: EligibilityPeriod[] = [];
  const departments: DepartmentSince[] = [];
  let openFrom: number | undefined;
  // A later write of the same day wins; a repeat of the department in force adds nothing.
  const noteDepartment = (from: number, name: string): void => {
    if (departments.at(-1)?.from === from) departments.pop();
    if (departments.at(-1)?.name !== name) departments.push({ from, name });
  };
  entries.forEach((entry, i) => {
    const day = dayNumber(entry.slice(0, 10));
    const sign = entry.charAt(10) as HistorySign;
    if (sign === '+') {
      if (openFrom === undefined) openFrom = day;
      noteDepartment(day, entry.slice(11));
    } else if (sign === '=') {
      if (openFrom === undefined && i === 0) openFrom = legacyStart(source, day);
      noteDepartment(day, entry.slice(11));
    } else if (sign === '-') {
      const from = openFrom ?? (i === 0 ? legacyStart(source, day) : undefined);
      if (from !== undefined && day > from) periods.push({ from, to: day });
      openFrom = undefined;
    }
  });
  if (openFrom !== undefined) periods.push({ from: openFrom });
  if (departments.length === 0) departments.push({ from: periods[0]?.from ?? 0, name: source.department });
  return { periods: mergeTouching(periods), departments };
}

/** A reactivation the day a period ended continues it: eligible without a gap. */
function mergeTouching(periods: EligibilityPeriod[]): EligibilityPeriod[] {
  const merged: EligibilityPeriod[] = [];
  for (const p of periods) {
    const last = merged.at(-1);
    if (last && last.to !== undefined && p.from <= last.to)
      merged[merged.length - 1] = { from: last.from, ...(p.to === undefined ? {} : { to: p.to }) };
    else merged.push(p);
  }
  return merged;
}

function legacyStart(source: HistorySource, fallback: number): number {
  return source.effectiveDate ? Math.min(dayNumber(source.effectiveDate), fallback) : fallback;
}

/** The entries a record without a history stands for (also what the backfill writes). */
export function legacyHistory(source: Omit<HistorySource, 'history'>): string[] {
  if (!source.effectiveDate) return [];
  const entries = [startEntry(source.effectiveDate, source.department)];
  if (source.terminationDate && source.active !== true) entries.push(endEntry(source.terminationDate));
  return entries;
}
