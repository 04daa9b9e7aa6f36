import { EmployeeRepo } from '../lambdas/adapters/employee-repo.ts';
import { UnknownPartnerError } from '../lambdas/app/jobs/job-partners.ts';
import { backfillWorkforceHistory } from '../lambdas/app/jobs/workforce-backfill.ts';
import type { CommandContext } from './context.ts';
import { CliError } from './io.ts';

/**
 * `workforce backfill [--partner id]`: the one-time backfill of eligibility histories (SPEC §19)
 * for employees stored before they were recorded. Runs here, with the operator's credentials,
 * against local mode or the stack's employees table; safe to repeat (a second run writes nothing).
 */
export async function runWorkforceBackfill(ctx: CommandContext, options: { partner?: string }): Promise<void> {
  const clients = await ctx.clients();
  const employees = new EmployeeRepo(clients.aws.dynamo, clients.deployment.tables.employees);
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  try {
    const results = await backfillWorkforceHistory(
      { partners: clients.partners, employees, log: quiet },
      options.partner ? { partnerId: options.partner } : {},
    );
    for (const r of results)
      ctx.io.stdout.write(`${r.partnerId}: ${r.written} histor${r.written === 1 ? 'y' : 'ies'} written, ${r.unchanged} unchanged\n`);
    if (results.length === 0) ctx.io.stdout.write('no partners\n');
  } catch (error) {
    if (error instanceof UnknownPartnerError) throw new CliError(error.message);
    throw error;
  }
}
