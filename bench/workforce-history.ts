import type { StoredEmployee } from '../lambdas/adapters/employee-repo.ts';
import { dateOf, dayNumber } from '../lambdas/core/platform-events/days.ts';
import { changeEntry, endEntry, startEntry } from '../lambdas/core/workforce/history.ts';

/**
 * Employees with 24 months of eligibility history for the workforce benchmark, generated lazily
 * in key order as DynamoDB pages would deliver them: hires spread over the 24 months before
 * `end`, 25% leave, a fifth of those come back, 10% change department, across 12 departments.
 */

const DEPARTMENTS = Array.from({ length: 12 }, (_, i) => `Department ${String(i + 1).padStart(2, '0')}`);

export async function* employeesWithHistory(n: number, taxId: string, end: string): AsyncGenerator<StoredEmployee> {
  const last = dayNumber(end);
  const first = last - 730;
  for (let i = 0; i < n; i++) {
    const r = (i * 2654435761) >>> 0;
    const hired = first + (r % 700);
    const department = DEPARTMENTS[r % DEPARTMENTS.length] as string;
    const history = [startEntry(dateOf(hired), department)];
    let active = true;
    let effective = hired;
    let terminated: number | undefined;
    if (i % 10 === 3) history.push(changeEntry(dateOf(hired + 30 + (r % 200)), DEPARTMENTS[(r + 1) % DEPARTMENTS.length] as string));
    if (i % 4 === 1) {
      terminated = Math.min(last, hired + 20 + (r % 400));
      history.push(endEntry(dateOf(terminated)));
      active = false;
      if (i % 20 === 1 && terminated + 60 < last) {
        effective = terminated + 60;
        history.push(startEntry(dateOf(effective), department));
        active = true;
        terminated = undefined;
      }
    }
    yield {
      employeeKey: `k${String(i).padStart(9, '0')}`,
      companyTaxId: taxId,
      active,
      fingerprint: '',
      identifiers: { employeeId: `E${i}` },
      values: { name: `Person ${i}`, email: `p${i}@example.com`, employeeId: `E${i}`, department },
      effectiveDate: dateOf(effective),
      ...(terminated === undefined ? {} : { terminationDate: dateOf(terminated) }),
      history,
    };
  }
}
