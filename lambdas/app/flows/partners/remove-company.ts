import type { EmployeeRepo } from '../../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../../adapters/object-store.ts';
import type { Partner } from '../../../core/partners/partner.ts';
import type { RemoveChange } from '../../../core/eligibility/model.ts';
import { profileFor } from '../../../core/eligibility/profiles/index.ts';
import { cancelCredits, type CancellationTrigger } from '../credit-canceller.ts';
import { writeEligibleList } from '../eligibility/write-eligible-list.ts';
import type { FlexbenStores } from '../flexben/flexben-files.ts';

/**
 * Removing a company from a partner (`partner update --remove-company … --force`, SPEC §17):
 * its active employees are removed as a full file without them would remove them — termination
 * date today, credits cancelled as `ELIGIBILITY_LOSS` with a history row, beneficiaries list and
 * eligible list rewritten. Safe to run again: a second run finds nobody active and cancels no
 * credit twice (the canceller's tombstones name the trigger).
 */

export interface RemoveCompanyDeps {
  readonly store: ObjectStore;
  readonly employees: EmployeeRepo;
  readonly flexben: FlexbenStores;
}

/** The active employees of one of the partner's companies. */
export async function activeEmployeeCount(employees: EmployeeRepo, partnerId: string, taxId: string): Promise<number> {
  let active = 0;
  for await (const e of employees.allOf(partnerId, taxId)) if (e.active) active++;
  return active;
}

/** A trigger for the credit canceller, ordered among uploads by its time like an upload. */
export function companyRemovalTrigger(taxId: string, now: Date): CancellationTrigger {
  const ts = Math.floor(now.getTime() / 1000);
  const uploadId = `company-removal-${taxId}-${now.getTime()}`;
  return { uploadId, seq: `${String(now.getTime()).padStart(13, '0')}#${uploadId}`, ts, name: `partner-update-remove-company-${taxId}` };
}

/**
 * Removes the company's active employees and cancels their credits. `before` is the partner as
 * it is (with the company), used for the cancellation; the eligible list is written for `after`.
 *
 * @returns how many employees were removed and how many credits cancelled
 */
export async function removeCompanyEmployees(
  deps: RemoveCompanyDeps,
  before: Partner,
  after: Partner,
  taxId: string,
  now: Date,
): Promise<{ removed: number; creditsCancelled: number }> {
  const removals: RemoveChange[] = [];
  for await (const e of deps.employees.allOf(before.partnerId, taxId)) {
    if (e.active) removals.push({ kind: 'remove', companyTaxId: taxId, employeeKey: e.employeeKey });
  }
  const trigger = companyRemovalTrigger(taxId, now);
  // Credits first, as the eligibility processor does: a re-run after a crash no longer sees
  // the removals already written, while the canceller is harmless to call again.
  const creditsCancelled = await cancelCredits(
    { store: deps.store, ...deps.flexben },
    before,
    trigger,
    removals.map((r) => ({ companyTaxId: r.companyTaxId, employeeKey: r.employeeKey })),
    [],
    now,
  );
  await deps.employees.apply(before.partnerId, trigger.uploadId, removals, now.toISOString().slice(0, 10));
  await writeEligibleList(deps, after, profileFor(after.profile), trigger.ts);
  return { removed: removals.length, creditsCancelled };
}
