import { dayNumber } from '../platform-events/days.ts';
import type { EmployeeWithEvents } from '../platform-events/stored-event.ts';
import { activeCents, stateBeforeDay, stateOnDay, subscriberTimelines } from '../platform-events/subscription-timeline.ts';
import type { Cycle } from './cycle.ts';
import { formatMoney } from './money.ts';
import { daysActiveInCycle, proratedCents } from './proration.ts';

/**
 * Who owes what in a cycle (SPEC §8). Pure: the job feeds it a company's employees joined with
 * their platform events and writes the rows it returns.
 */

export const DEDUCTION_HEADER = [
  'Full Name',
  'Email',
  'National ID',
  'Employee ID',
  'Amount due',
  'Department',
  'Cost center',
  'Office zip code',
  'Payroll ID',
] as const;

/** The employee record as payroll needs it (what EmployeeRepo stores). */
export interface PayrollEmployee {
  readonly employeeKey: string;
  readonly active: boolean;
  readonly values: Readonly<Record<string, string>>;
  readonly effectiveDate: string;
  readonly terminationDate?: string;
}

export type Deduction = { readonly file: 'deduction' | 'leavers'; readonly cents: number };

/**
 * The employee's line of the cycle, if any: payroll-enabled only; active employees with an
 * active subscription (theirs plus their family's) on the job date go in the deduction file;
 * employees removed in the cycle up to the job date who had one when removed go in the leavers
 * file, prorated.
 */
export function deductionOf(item: EmployeeWithEvents<PayrollEmployee>, cycle: Cycle, jobDay: number): Deduction | undefined {
  const { employee, events } = item;
  if (employee.values.payrollEnabled !== 'Yes' || events.length === 0) return undefined;
  const timelines = subscriberTimelines(events);
  if (employee.active) {
    if (employee.effectiveDate && dayNumber(employee.effectiveDate) > jobDay) return undefined;
    const cents = timelines.reduce((sum, t) => sum + activeCents(stateOnDay(t, jobDay)), 0);
    return cents > 0 ? { file: 'deduction', cents } : undefined;
  }
  if (!employee.terminationDate) return undefined;
  const removed = dayNumber(employee.terminationDate);
  if (removed < cycle.firstDay || removed > jobDay) return undefined;
  // "Active when removed": a cancellation the platform sends the same day does not erase the day.
  const monthly = timelines.reduce((sum, t) => {
    const before = activeCents(stateBeforeDay(t, removed));
    return sum + (before > 0 ? before : activeCents(stateOnDay(t, removed)));
  }, 0);
  if (monthly === 0) return undefined;
  const effective = employee.effectiveDate ? dayNumber(employee.effectiveDate) : undefined;
  const cents = proratedCents(monthly, daysActiveInCycle(cycle.firstDay, effective, removed), cycle.days);
  return { file: 'leavers', cents };
}

export function deductionRow(employee: PayrollEmployee, cents: number, currency: string): string[] {
  const v = employee.values;
  return [
    v.name ?? '',
    v.email ?? '',
    v.nationalId ?? '',
    v.employeeId ?? '',
    formatMoney(cents, currency),
    v.department ?? '',
    v.costCenter ?? '',
    v.officeZip ?? '',
    v.payrollId ?? '',
  ];
}

/** File names (SPEC §8); `company` already made safe for a file name. */
export const payrollNames = {
  deductionCsv: (company: string, cycle: Cycle) => `${company}_${cycle.id}_wellhub_payroll_deduction.csv`,
  leaversCsv: (company: string, cycle: Cycle) => `${company}_${cycle.id}_wellhub_partial_payroll_deduction.csv`,
  deductionZip: (cycle: Cycle) => `${cycle.id}_wellhub_payroll_deduction.zip`,
  leaversZip: (cycle: Cycle) => `${cycle.id}_wellhub_partial_payroll_deduction.zip`,
};

/** Any payroll file of any cycle, so older cycles can be moved out of the tree. */
export const PAYROLL_FILE_PATTERN =
  /_\d{6}_wellhub_(partial_)?payroll_deduction\.(csv|zip)(\.pgp)?$|^\d{6}_wellhub_(partial_)?payroll_deduction\.zip(\.pgp)?$/;
