import type { EligibilityPeriod, EmployeeHistory } from './history.ts';
import { calendarMonth, monthIndex, type CalendarMonth } from './months.ts';

/**
 * The workforce figures of SPEC §19 for one company, accumulated one employee at a time so a
 * company of a million people is one pass and a few counters per month and department. Pure.
 *
 * Day conventions (ADR 0601): an employee is eligible on day d when a period has
 * `from <= d < to` (eligible from the effective date through the day before the termination
 * date). A month's Headcount Start counts who was eligible as the month began, before any upload
 * of its first day — i.e. on the previous month's last day, so it equals the previous month's
 * Headcount End — and Headcount End who was eligible on its last day. A hire is a first period
 * whose effective date falls in the month; a leaver a period whose termination date does. So
 * Start + Hires + reactivations − Leavers = End, exactly.
 */

/** Counter slots per month. */
const START = 0;
const HIRES = 1;
const LEAVERS = 2;
const END = 3;
/** Retention 12M: eligible as the window's first month began, and of those, eligible at this month's end. */
const COHORT = 4;
const RETAINED = 5;
const SLOTS = 6;

/** One month's figures. Percentages are in tenths of a percent, rounded half up; `null` is a blank cell. */
export interface MonthFigures {
  readonly month: string;
  readonly headcountStart: number;
  readonly hires: number;
  readonly leavers: number;
  readonly headcountEnd: number;
  /** (Start + End) / 2, kept in halves so it stays exact. */
  readonly averageHalves: number;
  readonly turnoverTenths: number | null;
  readonly retentionTenths: number | null;
}

export interface DepartmentMonthFigures extends MonthFigures {
  /** `(none)` for a blank department. */
  readonly department: string;
}

export const NO_DEPARTMENT = '(none)';
/** The retention window: this month and the 11 before it. */
const WINDOW_MONTHS = 12;

function eligibleOn(periods: readonly EligibilityPeriod[], day: number): boolean {
  for (const p of periods) if (p.from <= day && (p.to === undefined || day < p.to)) return true;
  return false;
}

export class WorkforceCounter {
  private readonly company: Int32Array;
  private readonly byDepartment = new Map<string, Int32Array>();
  /** Per month: the day before its first (the opening), its last day, and the opening of its retention window. */
  private readonly days: { first: number; last: number; opening: number; windowOpening: number }[];

  constructor(readonly months: readonly CalendarMonth[]) {
    this.company = new Int32Array(months.length * SLOTS);
    this.days = months.map((m) => ({
      first: m.first,
      last: m.last,
      opening: m.first - 1,
      windowOpening: calendarMonth(monthIndex(`${m.id}-01`) - (WINDOW_MONTHS - 1)).first - 1,
    }));
  }

  add(employee: EmployeeHistory): void {
    const { periods } = employee;
    if (periods.length === 0) return;
    const hiredOn = periods[0]!.from;
    for (let m = 0; m < this.days.length; m++) {
      const { first, last, opening, windowOpening } = this.days[m]!;
      const start = eligibleOn(periods, opening) ? 1 : 0;
      const end = eligibleOn(periods, last) ? 1 : 0;
      const hire = hiredOn >= first && hiredOn <= last ? 1 : 0;
      let leavers = 0;
      let startedInMonth = hire;
      for (const p of periods) {
        if (p.to !== undefined && p.to >= first && p.to <= last) leavers++;
        if (p.from >= first && p.from <= last) startedInMonth = 1;
      }
      const cohort = eligibleOn(periods, windowOpening) ? 1 : 0;
      if (start + end + leavers + cohort + startedInMonth === 0) continue;
      const department = departmentFor(employee, last);
      const slots = [start, hire, leavers, end, cohort, cohort & end];
      this.bump(this.company, m, slots);
      let counts = this.byDepartment.get(department);
      if (!counts) this.byDepartment.set(department, (counts = new Int32Array(this.days.length * SLOTS)));
      this.bump(counts, m, slots);
    }
  }

  monthly(): MonthFigures[] {
    return this.months.map((month, m) => figures(month.id, this.company, m));
  }

  /** Per month, then department (names in order, `(none)` last); a department appears in the months it has anyone. */
  byDepartments(): DepartmentMonthFigures[] {
    const names = [...this.byDepartment.keys()].sort(departmentOrder);
    const rows: DepartmentMonthFigures[] = [];
    this.months.forEach((month, m) => {
      for (const name of names) {
        const counts = this.byDepartment.get(name)!;
        let any = 0;
        for (let s = 0; s < SLOTS; s++) any |= counts[m * SLOTS + s]!;
        // A department with only a retention cohort this month (everyone left earlier) still has a row:
        // its Retention 12M % is a real 0.
        if (any !== 0) rows.push({ department: name === '' ? NO_DEPARTMENT : name, ...figures(month.id, counts, m) });
      }
    });
    return rows;
  }

  private bump(counts: Int32Array, m: number, slots: readonly number[]): void {
    for (let s = 0; s < SLOTS; s++) counts[m * SLOTS + s]! += slots[s]!;
  }
}

function departmentOrder(a: string, b: string): number {
  if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The department an employee counts in for a month (SPEC §19): the one their record had on the
 * month's last day, or on their last eligible day before it.
 */
export function departmentFor(employee: EmployeeHistory, last: number): string {
  let day = -Infinity;
  for (const p of employee.periods) {
    if (p.from > last) continue;
    day = Math.max(day, Math.min(last, p.to === undefined ? last : p.to - 1));
  }
  const { departments } = employee;
  let name = departments[0]?.name ?? '';
  for (const d of departments) {
    if (d.from > day) break;
    name = d.name;
  }
  return name;
}

/** `part / whole` in tenths of a percent, half up, with integers only (no float rounding surprises). */
export function tenthsOfPercent(part: number, whole: number): number {
  return Math.floor((2000 * part + whole) / (2 * whole));
}

function figures(month: string, counts: Int32Array, m: number): MonthFigures {
  const at = (slot: number): number => counts[m * SLOTS + slot]!;
  const averageHalves = at(START) + at(END);
  // Leavers / ((Start + End) / 2) × 100 = 2 × Leavers / (Start + End) × 100.
  return {
    month,
    headcountStart: at(START),
    hires: at(HIRES),
    leavers: at(LEAVERS),
    headcountEnd: at(END),
    averageHalves,
    turnoverTenths: averageHalves === 0 ? null : tenthsOfPercent(2 * at(LEAVERS), averageHalves),
    retentionTenths: at(COHORT) === 0 ? null : tenthsOfPercent(at(RETAINED), at(COHORT)),
  };
}
