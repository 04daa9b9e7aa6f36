import { plainAmount } from '../payroll/money.ts';
import { dateOf, dayNumber, dayOfInstant } from '../platform-events/days.ts';
import { priceCents } from '../platform-events/event-schema.ts';
import type { CheckinEvent, EmployeeWithEvents } from '../platform-events/stored-event.ts';
import { activeRanges, stateOnDay, subscriberTimelines } from '../platform-events/subscription-timeline.ts';
import type { ReportPeriod } from './report-period.ts';

/** The rows of the four usage reports (SPEC §9.2), one company at a time. Pure. */

export const HEADERS = {
  'SUBSCRIPTION-HISTORY': ['Date', 'Employee ID', 'Email', 'Full Name', 'Family Member', 'Event', 'Plan', 'Price', 'Currency'],
  'SUBSCRIBERS-SNAPSHOT': ['Employee ID', 'Email', 'Full Name', 'Family Member', 'Plan', 'Price', 'Currency', 'Subscribed Since', 'Status'],
  'CHECK-INS': ['Date and Time', 'Employee ID', 'Email', 'Full Name', 'Family Member', 'Venue', 'Activity', 'Mode'],
  'ADOPTION-OVER-TIME': ['Date', 'Eligibles', 'Members', 'Subscribers', 'Family Members'],
} as const;

/** The employee record as the reports need it (what EmployeeRepo stores). */
export interface ReportEmployee {
  readonly employeeKey: string;
  readonly values: Readonly<Record<string, string>>;
  readonly effectiveDate: string;
  readonly terminationDate?: string;
}

const yesNo = (b: boolean): string => (b ? 'Yes' : 'No');
const price = (p: string): string => (p ? plainAmount(priceCents(p)) : '');
const who = (e: ReportEmployee): string[] => [e.values.employeeId ?? '', e.values.email ?? '', e.values.name ?? ''];

/** Subscription events in the period, each subscriber's in time order. */
export function* historyRows(item: EmployeeWithEvents<ReportEmployee>, period: ReportPeriod): Generator<string[]> {
  for (const t of subscriberTimelines(item.events)) {
    for (const step of t.steps) {
      if (step.day < period.startDay || step.day > period.endDay) continue;
      const s = step.state;
      yield [dateOf(step.day), ...who(item.employee), yesNo(t.familyMember), step.label, s.plan, price(s.price), s.currency];
    }
  }
}

/** Subscribers with an active or paused subscription at the end of the end date. */
export function* snapshotRows(item: EmployeeWithEvents<ReportEmployee>, period: ReportPeriod): Generator<string[]> {
  for (const t of subscriberTimelines(item.events)) {
    const s = stateOnDay(t, period.endDay);
    if (s.status === 'NONE') continue;
    const since = s.since ? dateOf(dayOfInstant(s.since)) : '';
    yield [...who(item.employee), yesNo(t.familyMember), s.plan, price(s.price), s.currency, since, s.status];
  }
}

export function checkinRow(c: CheckinEvent): string[] {
  return [c.at.replace(/\.\d{3}Z$/, 'Z'), c.employeeId, c.email, c.name, yesNo(c.familyMember), c.venue, c.activity, c.mode];
}

/**
 * Adoption over time: per day of the period, how many employees were eligible (effective date
 * on or before the day, termination date after it), and among them how many had registered
 * (`member.registered` of the employee), had an active subscription of their own, and how many
 * family members had one. Someone removed from eligibility stops counting the day of removal,
 * in every column. Difference arrays: O(employees + days) time, O(days) memory.
 */
export class AdoptionCounter {
  private readonly columns: Int32Array[];

  constructor(private readonly period: ReportPeriod) {
    this.columns = [0, 1, 2, 3].map(() => new Int32Array(period.endDay - period.startDay + 2));
  }

  add(item: EmployeeWithEvents<ReportEmployee>): void {
    const { employee } = item;
    if (!employee.effectiveDate) return;
    const from = dayNumber(employee.effectiveDate);
    const to = employee.terminationDate ? dayNumber(employee.terminationDate) : Infinity;
    if (to <= from) return;
    this.range(0, from, to);
    for (const t of subscriberTimelines(item.events)) {
      if (!t.familyMember && t.registeredDay !== undefined) this.range(1, Math.max(from, t.registeredDay), to);
      for (const r of activeRanges(t)) {
        this.range(t.familyMember ? 3 : 2, Math.max(from, r.from), Math.min(to, r.to ?? Infinity));
      }
    }
  }

  *rows(): Generator<string[]> {
    const running = [0, 0, 0, 0];
    for (let d = this.period.startDay; d <= this.period.endDay; d++) {
      const i = d - this.period.startDay;
      this.columns.forEach((c, k) => {
        running[k] = (running[k] ?? 0) + (c[i] ?? 0);
      });
      yield [dateOf(d), ...running.map(String)];
    }
  }

  /** Adds 1 to days [from, to) of one column, clipped to the period. */
  private range(column: number, from: number, to: number): void {
    const lo = Math.max(from, this.period.startDay);
    const hi = Math.min(to, this.period.endDay + 1);
    if (hi <= lo) return;
    const c = this.columns[column] as Int32Array;
    c[lo - this.period.startDay]! += 1;
    c[hi - this.period.startDay]! -= 1;
  }
}
