import { SYSTEM_WRITER_METADATA } from '../../adapters/object-store.ts';
import type { EligibilityDeps } from './eligibility-processor.ts';
import type { Partner } from '../../domain/partner.ts';
import { partnerPrefix, systemPath } from '../../domain/tree.ts';
import {
  ELIGIBLE_LIST_PATTERN,
  eligibleListName,
  eligibleListStream,
  hasDynamicColumns,
  listColumns,
  listOrder,
  type ListedEmployee,
} from '../../eligibility/eligible-list.ts';
import type { FileProfile } from '../../eligibility/profile.ts';

/**
 * Writes the partner's eligible list and removes the previous ones, so the download folder holds
 * only the latest (SPEC §6.8). Companies in tax-ID order, employees in the profile's order within each.
 */
export async function writeEligibleList(
  deps: Pick<EligibilityDeps, 'store' | 'employees'>,
  partner: Partner,
  profile: FileProfile,
  ts: number,
): Promise<string> {
  const folder = `${partnerPrefix(partner.partnerId)}${systemPath(partner.entityType, 'employees/download')}/`;
  const key = `${folder}${eligibleListName(ts)}`;
  const taxIds = partner.companies.map((c) => c.taxId).sort();
  const order = listOrder(profile);
  // Columns decided per file are known only from the stored values: such profiles (US dialects,
  // small bases) read every company before writing the header; wellhub streams one at a time.
  const loaded = hasDynamicColumns(profile)
    ? await Promise.all(taxIds.map((taxId) => deps.employees.activeOf(partner.partnerId, taxId)))
    : undefined;
  async function* companies(): AsyncGenerator<ListedEmployee[]> {
    for (const [i, taxId] of taxIds.entries()) {
      const employees = loaded?.[i] ?? (await deps.employees.activeOf(partner.partnerId, taxId));
      yield employees.sort(order);
    }
  }
  const columns = listColumns(profile, loaded?.flat());
  await deps.store.putStream(key, eligibleListStream(columns, companies()), {
    contentType: 'text/csv; charset=utf-8',
    metadata: { ...SYSTEM_WRITER_METADATA },
  });
  const { objects } = await deps.store.list(folder);
  for (const old of objects) {
    const name = old.key.slice(folder.length);
    if (old.key !== key && ELIGIBLE_LIST_PATTERN.test(name)) await deps.store.delete(old.key);
  }
  return key;
}
