import type { ObjectStore } from '../../adapters/object-store.ts';
import type { Partner } from '../../core/partners/partner.ts';
import { uploadFileName, type UploadRecord } from '../../core/uploads/upload.ts';
import type { Change } from '../../core/eligibility/model.ts';
import { planCancellations, type ArrivingEmployee, type RemovedEmployee } from '../../core/flexben/cancellations.ts';
import { creditKey, type HistoryEvent } from '../../core/flexben/model.ts';
import { writeBeneficiariesList, writeUploadHistory, type FlexbenStores } from './flexben/flexben-files.ts';

/**
 * Automatic credit cancellations (SPEC §7.5), the one place eligibility changes reach credits:
 * an employee removed from eligibility loses their credit (`ELIGIBILITY_LOSS`), one moved to
 * another company of the partner loses it too (`RELOCATION`). The credits become tombstones
 * naming the trigger, one history row per trigger and method is recorded, and the beneficiaries
 * list is rewritten. Idempotent: calling it again for the same trigger (a retry, a duplicate
 * event, an apply continued in another invocation) changes nothing more.
 */

export type CancellerDeps = FlexbenStores & { readonly store: ObjectStore };

/** The upload (eligibility file, approval) whose changes cancel credits. */
export type CancellationTrigger = Pick<UploadRecord, 'uploadId' | 'seq' | 'ts' | 'name'>;

/**
 * Cancels the credits of `removed` employees. `arrivals` are the employees the same change adds
 * or reactivates elsewhere: a removed employee arriving in another company relocated. Returns
 * how many credits this trigger has cancelled in all.
 */
export async function cancelCredits(
  deps: CancellerDeps,
  partner: Partner,
  trigger: CancellationTrigger,
  removed: readonly RemovedEmployee[],
  arrivals: readonly ArrivingEmployee[] = [],
  now: Date = new Date(),
): Promise<number> {
  // Single-entity partners have no flexible benefits (SPEC §7). With nobody removed there is
  // nothing to finish either: a re-run only lacks removals once the first run wrote everything.
  if (partner.entityType === 'single-entity' || removed.length === 0) return 0;
  const credits = await deps.credits.all(partner.partnerId);
  if (credits.size === 0) return 0;
  const cancellations = planCancellations(removed, arrivals, credits, trigger.uploadId);
  if (cancellations.length === 0) return 0;

  for (const method of ['ELIGIBILITY_LOSS', 'RELOCATION'] as const) {
    const these = cancellations.filter((c) => c.method === method).map((c) => c.credit);
    if (these.length === 0) continue;
    // Tombstones this trigger already wrote stay as they are: each credit is cancelled once.
    const live = these.filter((credit) => credit.state === 'ACTIVE');
    await deps.credits.cancel(partner.partnerId, live, { uploadId: trigger.uploadId, method, now });
    for (const credit of live) credits.set(creditKey(credit), { ...credit, state: 'CANCELED' });
    await deps.history.putHistory(partner.partnerId, historyEvent(trigger, method, now));
  }
  await writeBeneficiariesList(deps, partner, credits);
  await writeUploadHistory({ store: deps.store, uploads: deps.history }, partner);
  return cancellations.length;
}

/** The removals and arrivals of an eligibility plan, as {@link cancelCredits} takes them. */
export function eligibilityChanges(changes: readonly Change[]): { removed: RemovedEmployee[]; arrivals: ArrivingEmployee[] } {
  const removed: RemovedEmployee[] = [];
  const arrivals: ArrivingEmployee[] = [];
  for (const change of changes) {
    if (change.kind === 'remove') removed.push({ companyTaxId: change.companyTaxId, employeeKey: change.employeeKey });
    else if (change.kind === 'add' || change.reactivate)
      arrivals.push({ companyTaxId: change.row.companyTaxId, identifiers: change.row.identifiers });
  }
  return { removed, arrivals };
}

/** The row of one trigger and method: its id follows the trigger's place among uploads, its time when it happened. */
function historyEvent(trigger: CancellationTrigger, method: 'ELIGIBILITY_LOSS' | 'RELOCATION', now: Date): HistoryEvent {
  return {
    id: `${trigger.seq}#${method}`,
    fileName: uploadFileName(trigger),
    at: now.toISOString(),
    type: 'CANCEL',
    method,
    status: 'CANCELED',
    author: 'system',
    errors: 0,
  };
}
