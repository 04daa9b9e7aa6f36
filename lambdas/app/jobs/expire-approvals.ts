import type { Partner } from '../../core/partners/partner.ts';
import { decideApproval, type ApprovalDeps } from '../flows/approvals/approval-flow.ts';

/**
 * The approval expiry sweep (SPEC §10): every approval still pending after 14 days ends its
 * upload as `Deleted`, nobody removed. Runs on a schedule and on demand (`job expire-approvals`);
 * running it twice expires nothing twice.
 */
export async function expireApprovals(
  deps: ApprovalDeps & { readonly partners: { list(): Promise<Partner[]> } },
  now: Date,
): Promise<{ expired: string[] }> {
  const expired: string[] = [];
  for (const partner of await deps.partners.list()) {
    for (const approval of await deps.approvals.pending(partner.partnerId)) {
      if (approval.expiresOn > now.toISOString()) continue;
      const result = await decideApproval(deps, partner, approval.uploadName, 'expire', now, 'system');
      if (result.ok) expired.push(`${partner.partnerId}/${approval.uploadName}`);
    }
  }
  return { expired };
}
