import { LOCAL_SENDER_EMAIL, localResourceNames } from '../lib/resources.ts';
import { SesMailer } from '../lambdas/adapters/mailer.ts';
import { findUserPoolId, PortalUsers } from '../lambdas/adapters/portal-users.ts';
import { RecordingMailer } from '../lambdas/adapters/recording-mailer.ts';
import { syncPortalUsers } from '../lambdas/app/web/invitations.ts';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import type { CommandContext, DeploymentClients } from './context.ts';

/**
 * `partner add|update|remove` keep the portal's users in step with the admin emails (SPEC §18):
 * a new admin is invited (a user with a temporary password, and our email saying where to sign
 * in), a removed one loses their user. In local mode the invitation is sent through the emulator
 * and recorded, so `emails` shows it.
 *
 * The web channel of a deployed stack is not wired to the CLI yet; there, nothing is done.
 */
export async function syncPortalAdmins(
  ctx: CommandContext,
  clients: DeploymentClients,
  partner: Pick<Partner, 'partnerId' | 'adminEmails'>,
  before: readonly string[] = [],
): Promise<void> {
  const { deployment, aws, store } = clients;
  if (deployment.stackName) return;
  const poolName = localResourceNames(process.env.BX_LOCAL_PREFIX || 'bx-local').userPool;
  const poolId = await findUserPoolId(aws.cognito, poolName);
  if (!poolId) {
    ctx.io.stderr.write(`note: local mode has no portal user pool (${poolName}) yet: start it, then run partner update to invite admins\n`);
    return;
  }
  const portalUrl = `http://127.0.0.1:${process.env.BX_WEB_PORT || '8080'}`;
  const mailer = new RecordingMailer(new SesMailer(aws.ses, LOCAL_SENDER_EMAIL), store, LOCAL_SENDER_EMAIL);
  const { invited, removed } = await syncPortalUsers({ users: new PortalUsers(aws.cognito, poolId), mailer }, partner, portalUrl, before);
  if (invited + removed > 0) {
    ctx.io.stdout.write(`portal: ${invited} admin${invited === 1 ? '' : 's'} invited, ${removed} removed (${portalUrl})\n`);
  }
}
