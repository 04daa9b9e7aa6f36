import type { EmployeeRepo } from '../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../adapters/object-store.ts';
import type { Partner } from '../../core/partners/partner.ts';
import { FILE_PROFILES } from '../../core/eligibility/profiles/index.ts';
import { writeEligibleList } from '../flows/eligibility/write-eligible-list.ts';

/**
 * The nightly eligible-list job (SPEC §6.8): rewrites every partner's list from the stored base,
 * so the download folder stays right even after changes that came without an upload. Safe to run
 * twice: each run writes one list per partner and removes the older ones.
 */
export async function refreshEligibleLists(
  deps: { partners: { list(): Promise<Partner[]> }; store: ObjectStore; employees: EmployeeRepo },
  now: Date,
): Promise<{ written: number; skipped: string[] }> {
  const ts = Math.floor(now.getTime() / 1000);
  let written = 0;
  const skipped: string[] = [];
  for (const partner of await deps.partners.list()) {
    const profile = FILE_PROFILES[partner.profile];
    if (!profile) {
      skipped.push(partner.partnerId); // its profile's flow has not landed, so it has no base yet
      continue;
    }
    await writeEligibleList(deps, partner, profile, ts);
    written += 1;
  }
  return { written, skipped };
}
