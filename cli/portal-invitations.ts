import { LOCAL_SENDER_EMAIL, localResourceNames } from '../lib/resources.ts';
import { type Mailer, SesMailer } from '../lambdas/adapters/mailer.ts';
import { findUserPoolId, PortalUsers } from '../lambdas/adapters/portal-users.ts';
import { RecordingMailer } from '../lambdas/adapters/recording-mailer.ts';
import { syncPortalUsers } from '../lambdas/app/web/invitations.ts';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import type { CommandContext, DeploymentClients } from './context.ts';

/**
 * `partner add|update|remove` keep the portal's users in step with the admin emails (SPEC §18):
 * a new admin is invited (a user with a temporary password, and our email saying where to sign
 * in), a removed one loses their user. On a stack, the pool, the portal's URL and the sender come
 * from its outputs and the email goes out through SES, as the functions' emails do; in local mode
 * the invitation is sent through the emulator and recorded, so `emails` shows it.
 */
export async function syncPortalAdmins(
  ctx: CommandContext,
  clients: DeploymentClients,
  partner: Pick<Partner, 'partnerId' | 'adminEmails'>,
  before: readonly string[] = [],
): Promise<void> {
  const target = await invitationTarget(ctx, clients);
  if (!target) return;
  const { invited, removed } = await syncPortalUsers(
    { users: new PortalUsers(clients.aws.cognito, target.poolId), mailer: target.mailer },
    partner,
    target.portalUrl,
    before,
  );
  if (invited + removed > 0) {
    ctx.io.stdout.write(`portal: ${invited} admin${invited === 1 ? '' : 's'} invited, ${removed} removed (${target.portalUrl})\n`);
  }
}

async function invitationTarget(
  ctx: CommandContext,
  { deployment, aws, store }: DeploymentClients,
): Promise<{ poolId: string; portalUrl: string; mailer: Mailer } | undefined> {
  if (deployment.stackName) {
    if (!deployment.portal) {
      ctx.io.stderr.write(`note: stack ${deployment.stackName} has no portal outputs (deployed before SPEC §18?): no admin invited\n`);
      return undefined;
    }
    const { userPoolId, url, senderEmail } = deployment.portal;
    return { poolId: userPoolId, portalUrl: url, mailer: new SesMailer(aws.ses, senderEmail) };
  }
  const poolName = localResourceNames(process.env.BX_LOCAL_PREFIX || 'bx-local').userPool;
  const poolId = await findUserPoolId(aws.cognito, poolName);
  if (!poolId) {
    ctx.io.stderr.write(`note: local mode has no portal user pool (${poolName}) yet: start it, then run partner update to invite admins\n`);
    return undefined;
  }
  return {
    poolId,
    portalUrl: `http://127.0.0.1:${process.env.BX_WEB_PORT || '8080'}`,
    mailer: new RecordingMailer(new SesMailer(aws.ses, LOCAL_SENDER_EMAIL), store, LOCAL_SENDER_EMAIL),
  };
}
