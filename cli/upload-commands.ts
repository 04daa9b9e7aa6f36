import { ApprovalRepo } from '../lambdas/adapters/approval-repo.ts';
import { CreditRepo } from '../lambdas/adapters/credit-repo.ts';
import { EmployeeRepo } from '../lambdas/adapters/employee-repo.ts';
import { UploadRepo } from '../lambdas/adapters/upload-repo.ts';
import { decideApproval, type ApprovalDeps } from '../lambdas/app/flows/approvals/approval-flow.ts';
import type { CommandContext, DeploymentClients } from './context.ts';
import { CliError } from './io.ts';

/** What the approval flow needs, on the deployment's tables and bucket. */
export function approvalDeps(clients: DeploymentClients): ApprovalDeps {
  const { dynamo } = clients.aws;
  const { tables } = clients.deployment;
  const uploads = new UploadRepo(dynamo, tables.uploads);
  return {
    store: clients.store,
    employees: new EmployeeRepo(dynamo, tables.employees),
    uploads,
    approvals: new ApprovalRepo(dynamo, tables.uploads),
    flexben: { credits: new CreditRepo(dynamo, tables.credits), history: uploads },
  };
}

/** `upload approve|decline <partner> <ts>-<name>`: answers an upload awaiting approval (SPEC §10). */
export async function decideUpload(ctx: CommandContext, decision: 'approve' | 'decline', partnerId: string, upload: string): Promise<void> {
  const clients = await ctx.clients();
  const partner = await clients.partners.get(partnerId);
  if (!partner) throw new CliError(`partner ${partnerId} not found`);
  const result = await decideApproval(approvalDeps(clients), partner, upload, decision, new Date(), 'operator');
  if (!result.ok) throw new CliError(result.description);
  const what = decision === 'approve' ? `approved: ${result.removed} removed` : 'declined: nobody removed';
  ctx.io.stdout.write(`${upload} ${what}; status ${result.upload.status}\n`);
}
