import type { Identifiers } from '../eligibility/model.ts';
import { IdentityMatcher } from './identity-matcher.ts';
import { creditKey, type StoredCredit } from './model.ts';

/**
 * Which credits an eligibility change cancels, and why (SPEC §7.5): an employee removed from
 * their company loses the credit (`ELIGIBILITY_LOSS`); one who at the same time arrives in
 * another company of the partner with an identifier in common moved (`RELOCATION`). Pure.
 */

/** An employee eligibility removes. */
export interface RemovedEmployee {
  readonly companyTaxId: string;
  readonly employeeKey: string;
}

/** An employee eligibility adds or reactivates in the same upload (a relocation's other half). */
export interface ArrivingEmployee {
  readonly companyTaxId: string;
  readonly identifiers: Identifiers;
}

export interface Cancellation {
  readonly credit: StoredCredit;
  readonly method: 'ELIGIBILITY_LOSS' | 'RELOCATION';
}

/**
 * The credits to cancel for `removed`. A credit this same trigger cancelled before (a retry after
 * a crash, or the rest of an apply split over invocations) is listed again, so its history row
 * and the beneficiaries list are still written; writing its tombstone again changes nothing.
 */
export function planCancellations(
  removed: readonly RemovedEmployee[],
  arrivals: readonly ArrivingEmployee[],
  credits: ReadonlyMap<string, StoredCredit>,
  triggerId: string,
): Cancellation[] {
  const arrived = new IdentityMatcher<ArrivingEmployee>();
  for (const arrival of arrivals) arrived.add(arrival);
  const others = [...new Set(arrivals.map((arrival) => arrival.companyTaxId))];

  const found: Cancellation[] = [];
  const seen = new Set<string>();
  const consider = (credit: StoredCredit | undefined): void => {
    if (!credit || seen.has(creditKey(credit))) return;
    if (credit.state === 'CANCELED') {
      // Done by this trigger before: keep the reason it was given then.
      const reason = credit.method;
      if (credit.changedBy !== triggerId || (reason !== 'ELIGIBILITY_LOSS' && reason !== 'RELOCATION')) return;
      seen.add(creditKey(credit));
      found.push({ credit, method: reason });
      return;
    }
    seen.add(creditKey(credit));
    const moved = others.some((company) => company !== credit.companyTaxId && arrived.find(company, credit.identifiers));
    found.push({ credit, method: moved ? 'RELOCATION' : 'ELIGIBILITY_LOSS' });
  };
  for (const employee of removed) consider(credits.get(creditKey(employee)));
  // On a re-run the base already lacks what was removed: the tombstones of this trigger say what was done.
  for (const credit of credits.values()) if (credit.state === 'CANCELED' && credit.changedBy === triggerId) consider(credit);
  return found;
}
