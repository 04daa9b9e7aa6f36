import type { Readable } from 'node:stream';
import { eligibleListStream, type ListedEmployee } from '../eligibility/eligible-list.ts';
import type { StoredCredit } from './model.ts';
import { CREDIT_COLUMNS } from './profiles.ts';

/**
 * `flexben/download/beneficiaries-list.csv` (SPEC §7.4): every current credit in the columns of
 * the add-or-update file, amounts with two decimals, by company then employee, so it can be
 * edited and uploaded back. Written with the eligible list's streaming writer.
 */

export const BENEFICIARIES_LIST = 'flexben/download/beneficiaries-list.csv';

function listed(credit: StoredCredit): ListedEmployee {
  return {
    companyTaxId: credit.companyTaxId,
    values: {
      ...credit.listed,
      amount: credit.amount,
      month: String(credit.month),
      year: String(credit.year),
    },
  };
}

const collator = new Intl.Collator('en', { numeric: true });

/** Orders credits by company, then Employee ID, National ID and Email as listed. */
export function byCompanyThenEmployee(a: StoredCredit, b: StoredCredit): number {
  return (
    a.companyTaxId.localeCompare(b.companyTaxId) ||
    collator.compare(a.listed.employeeId, b.listed.employeeId) ||
    collator.compare(a.listed.nationalId, b.listed.nationalId) ||
    collator.compare(a.listed.email, b.listed.email)
  );
}

/** The list's CSV, from the partner's stored credits (cancelled ones are left out). */
export function beneficiariesListStream(credits: Iterable<StoredCredit>): Readable {
  const active = [...credits].filter((c) => c.state === 'ACTIVE').sort(byCompanyThenEmployee);
  async function* oneBatch(): AsyncGenerator<ListedEmployee[]> {
    yield active.map(listed);
  }
  return eligibleListStream(CREDIT_COLUMNS, oneBatch());
}
