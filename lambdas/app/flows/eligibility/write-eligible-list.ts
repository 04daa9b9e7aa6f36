import type { EmployeeRepo } from '../../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../../adapters/object-store.ts';
import { writeSystemFile } from '../../files/system-files.ts';
import type { Partner } from '../../../core/partners/partner.ts';
import { partnerPrefix, systemPath } from '../../../core/partners/tree.ts';
import {
  ELIGIBLE_LIST_PATTERN,
  eligibleListName,
  eligibleListStream,
  hasDynamicColumns,
  listColumns,
  listOrder,
  type ListedEmployee,
} from '../../../core/eligibility/eligible-list.ts';
import type { FileProfile } from '../../../core/eligibility/profile.ts';
import { activeByCompany, type SnapshotRecord } from '../../../core/eligibility/snapshot/base-snapshot.ts';

/** What writing an eligible list needs: the bucket and the employees (not the whole eligibility flow). */
export interface EligibleListDeps {
  readonly store: ObjectStore;
  readonly employees: EmployeeRepo;
}

/**
 * Writes the partner's eligible list and removes the previous ones, so the download folder holds
 * only the latest (SPEC §6.8). Companies in tax-ID order, employees in the profile's order within each.
 * `snapshot` reads the employees from a base snapshot just written (base-state.ts) instead of the
 * table; each call reads it from the start.
 */
export async function writeEligibleList(
  deps: EligibleListDeps,
  partner: Partner,
  profile: FileProfile,
  ts: number,
  snapshot?: () => AsyncIterable<SnapshotRecord>,
): Promise<string> {
  const folder = `${partnerPrefix(partner.partnerId)}${systemPath(partner.entityType, 'employees/download')}/`;
  const key = `${folder}${eligibleListName(ts)}`;
  const taxIds = partner.companies.map((c) => c.taxId).sort();
  const order = listOrder(profile);
  // Columns decided per file (US dialects' custom attributes, phones) are known only from the
  // stored values: a first pass keeps one sample per filled field, then companies load one at a time.
  const samples = hasDynamicColumns(profile) ? await filledFieldSamples(deps, partner.partnerId, taxIds, snapshot) : [];
  async function* companies(): AsyncGenerator<ListedEmployee[]> {
    if (snapshot) {
      for await (const company of activeByCompany(snapshot(), taxIds)) yield company.employees.sort(order);
      return;
    }
    for (const taxId of taxIds) yield (await deps.employees.activeOf(partner.partnerId, taxId)).sort(order);
  }
  const columns = listColumns(profile, samples);
  const written = await writeSystemFile(deps.store, partner, {
    key,
    body: eligibleListStream(columns, companies()),
    contentType: 'text/csv; charset=utf-8',
    personal: true,
  });
  const { objects } = await deps.store.list(folder);
  for (const old of objects) {
    const name = old.key.slice(folder.length);
    if (old.key !== written && ELIGIBLE_LIST_PATTERN.test(name)) await deps.store.delete(old.key);
  }
  return written;
}

/** One active employee's value per field anyone fills: all `listColumns` needs to pick columns. */
async function filledFieldSamples(
  deps: Pick<EligibleListDeps, 'employees'>,
  partnerId: string,
  taxIds: readonly string[],
  snapshot?: () => AsyncIterable<SnapshotRecord>,
): Promise<ListedEmployee[]> {
  const samples = new Map<string, ListedEmployee>();
  const note = (taxId: string, values: Readonly<Record<string, string>>) => {
    for (const [field, value] of Object.entries(values)) {
      if (value !== '' && !samples.has(field)) samples.set(field, { companyTaxId: taxId, values: { [field]: value } });
    }
  };
  if (snapshot) {
    const wanted = new Set(taxIds);
    for await (const r of snapshot()) if (r.active && wanted.has(r.companyTaxId)) note(r.companyTaxId, r.values ?? {});
    return [...samples.values()];
  }
  for (const taxId of taxIds) {
    for await (const employee of deps.employees.allOf(partnerId, taxId)) {
      if (employee.active) note(taxId, employee.values);
    }
  }
  return [...samples.values()];
}
