import type { UploadError } from '../../lambdas/core/uploads/upload-errors.ts';
import { BaseIndex } from '../../lambdas/core/eligibility/diff/base-index.ts';
import { planChanges, type PlanOptions } from '../../lambdas/core/eligibility/diff/plan-changes.ts';
import type { BaseEmployee, ChangePlan, Identifiers, RowOutcome } from '../../lambdas/core/eligibility/model.ts';

/** Factories for diff tests: stored employees and row outcomes without any CSV. */

export const ACME = '37211173000169';
export const GLOBEX = '12069193000116';
export const INITECH = '01916628000102';

export function stored(employeeKey: string, identifiers: Identifiers, extra: Partial<BaseEmployee> = {}): BaseEmployee {
  return { employeeKey, companyTaxId: ACME, active: true, fingerprint: `fp-${employeeKey}`, identifiers, ...extra };
}

export function valid(line: number, identifiers: Identifiers, fingerprint: string, companyTaxId = ACME): RowOutcome {
  return { kind: 'valid', row: { line, companyTaxId, identifiers, values: { name: `Person ${line}` }, fingerprint } };
}

export function rejected(
  line: number,
  identifiers: Identifiers,
  companyTaxId: string | undefined = ACME,
  error?: Partial<UploadError>,
): RowOutcome {
  const base: UploadError = { companyTaxId, source: 'Input error', line, field: 'Name', type: 'Missing', description: 'Name is required.' };
  return { kind: 'rejected', line, identifiers, errors: [{ ...base, ...error }], ...(companyTaxId === undefined ? {} : { companyTaxId }) };
}

/** `count` active employees of a company, keys `${prefix}0…`, identified by employee ID. */
export function staff(prefix: string, count: number, companyTaxId = ACME): BaseEmployee[] {
  return Array.from({ length: count }, (_, i) => stored(`${prefix}${i}`, { employeeId: `${prefix}-id-${i}` }, { companyTaxId }));
}

/** The rows that keep `employees` unchanged, from line `firstLine`. */
export function keep(employees: readonly BaseEmployee[], firstLine = 1): RowOutcome[] {
  return employees.map((e, i) => valid(firstLine + i, e.identifiers, e.fingerprint, e.companyTaxId));
}

export type PlanArgs = Partial<Omit<PlanOptions, 'base'>>;

/** Builds an index from `base` and plans `rows` against it (replace, all-or-nothing by default). */
export async function plan(base: readonly BaseEmployee[], rows: readonly RowOutcome[], options: PlanArgs = {}): Promise<ChangePlan> {
  return planChanges({
    base: await BaseIndex.from(base),
    mode: 'replace',
    acceptance: 'all-or-nothing',
    ...options,
    rows: (async function* () {
      yield* rows;
    })(),
  });
}

/** Changes in a comparable shape: `add:line`, `update:key`, `reactivate:key`, `remove:key`. */
export function summarize(result: ChangePlan): string[] {
  return result.changes.map((c) => {
    if (c.kind === 'add') return `add:${c.row.line}`;
    if (c.kind === 'remove') return `remove:${c.employeeKey}`;
    return `${c.reactivate ? 'reactivate' : 'update'}:${c.employeeKey}`;
  });
}
