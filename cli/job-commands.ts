import { EmployeeRepo } from '../lambdas/adapters/employee-repo.ts';
import { refreshEligibleLists } from '../lambdas/jobs/eligible-lists.ts';
import { expireApprovals } from '../lambdas/jobs/expire-approvals.ts';
import { approvalDeps } from './upload-commands.ts';
import type { CommandContext } from './context.ts';
import { notAvailable } from './not-available.ts';

/** `job …`: runs the scheduled jobs on demand (SPEC §8, §9, §12). */

/** `job payroll --cycle YYYY-MM [--partner id]`: writes payroll deduction files for a cycle. */
export async function runPayrollJob(_ctx: CommandContext, _options: { cycle: string; partner?: string }): Promise<void> {
  throw notAvailable('job payroll', 'the payroll deduction feature (SPEC §8)');
}

/** `job reports --end YYYY-MM-DD [--partner id]`: writes the usage reports ending that day. */
export async function runReportsJob(_ctx: CommandContext, _options: { end: string; partner?: string }): Promise<void> {
  throw notAvailable('job reports', 'the usage reports feature (SPEC §9)');
}

/** `job eligible-lists`: rewrites every partner's eligible list (the nightly schedule). */
export async function runEligibleListsJob(ctx: CommandContext): Promise<void> {
  const clients = await ctx.clients();
  const employees = new EmployeeRepo(clients.aws.dynamo, clients.deployment.tables.employees);
  const result = await refreshEligibleLists({ partners: clients.partners, store: clients.store, employees }, new Date());
  const skipped = result.skipped.length ? `; skipped ${result.skipped.join(', ')} (profile not available yet)` : '';
  ctx.io.stdout.write(`wrote ${result.written} eligible list${result.written === 1 ? '' : 's'}${skipped}\n`);
}

/** `job expire-approvals [--now <instant>]`: the approval expiry sweep (SPEC §10). */
export async function runExpireApprovalsJob(ctx: CommandContext, options: { now?: Date }): Promise<void> {
  const clients = await ctx.clients();
  const result = await expireApprovals({ ...approvalDeps(clients), partners: clients.partners }, options.now ?? new Date());
  const names = result.expired.length ? `: ${result.expired.join(', ')}` : '';
  ctx.io.stdout.write(`expired ${result.expired.length} approval${result.expired.length === 1 ? '' : 's'}${names}\n`);
}
