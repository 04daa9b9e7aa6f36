import { userInfo } from 'node:os';
import { CreditRepo } from '../lambdas/adapters/credit-repo.ts';
import { EmployeeRepo } from '../lambdas/adapters/employee-repo.ts';
import { PartnerChangeLog } from '../lambdas/adapters/partner-change-log.ts';
import { UploadRepo } from '../lambdas/adapters/upload-repo.ts';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import type { CommandContext, DeploymentClients } from './context.ts';
import { CliError } from './io.ts';

/**
 * What the operating commands (`partner update`, `partner user`, `uploads`, `queues`) need beyond
 * the shared clients, built on the same adapters the Lambdas use.
 */

export interface OperatorClients extends DeploymentClients {
  readonly employees: EmployeeRepo;
  readonly credits: CreditRepo;
  readonly uploads: UploadRepo;
  readonly changeLog: PartnerChangeLog;
}

export async function operatorClients(ctx: CommandContext): Promise<OperatorClients> {
  const clients = await ctx.clients();
  const { dynamo } = clients.aws;
  const { tables } = clients.deployment;
  return {
    ...clients,
    employees: new EmployeeRepo(dynamo, tables.employees),
    credits: new CreditRepo(dynamo, tables.credits),
    uploads: new UploadRepo(dynamo, tables.uploads),
    changeLog: new PartnerChangeLog(dynamo, tables.uploads),
  };
}

/** Who a change is recorded as made by: `--actor`, else the OS user who ran the CLI. */
export function actorName(actor: string | undefined): string {
  if (actor?.trim()) return actor.trim();
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The stored partner, or a one-line failure. */
export async function existingPartner(clients: Pick<DeploymentClients, 'partners'>, id: string): Promise<Partner> {
  const partner = await clients.partners.get(id);
  if (!partner) throw new CliError(`unknown partner ${id}`);
  return partner;
}
