import type { Mailer } from '../../adapters/mailer.ts';
import type { Partner } from '../../core/partners/partner.ts';
import { invitationEmail } from '../../core/web/invitation-email.ts';

/** Creates and removes portal users (Cognito); `invite` returns the temporary password of a new user. */
export interface PortalUserAdmin {
  invite(email: string): Promise<string | undefined>;
  remove(email: string): Promise<void>;
}

/**
 * Keeps a partner's portal users in step with its admin emails (SPEC §18): each new admin gets a
 * user and one email with the portal's address and a temporary password; an admin no longer
 * listed loses their user. Returns how many were invited and removed.
 */
export async function syncPortalUsers(
  deps: { users: PortalUserAdmin; mailer: Mailer },
  partner: Pick<Partner, 'partnerId' | 'adminEmails'>,
  portalUrl: string,
  before: readonly string[] = [],
): Promise<{ invited: number; removed: number }> {
  const now = new Set(partner.adminEmails.map((e) => e.toLowerCase()));
  let invited = 0;
  for (const email of now) {
    const temporary = await deps.users.invite(email);
    if (temporary === undefined) continue;
    await deps.mailer.send(invitationEmail(email, temporary, portalUrl, partner.partnerId));
    invited += 1;
  }
  let removed = 0;
  for (const email of before.map((e) => e.toLowerCase())) {
    if (now.has(email)) continue;
    await deps.users.remove(email);
    removed += 1;
  }
  return { invited, removed };
}
