import type { PayrollResult } from '../lambdas/app/jobs/payroll-job.ts';
import type { ReportsResult } from '../lambdas/app/jobs/reports-job.ts';
import type { CommandContext } from './context.ts';
import { runJob } from './job-runner.ts';

/** `job …`: runs the scheduled jobs on demand (SPEC §8, §9, §12), locally or on a stack. */

/** `job payroll --cycle YYYY-MM [--partner id]`: writes payroll deduction files for a cycle. */
export async function runPayrollJob(ctx: CommandContext, options: { cycle: string; partner?: string }): Promise<void> {
  const results = (await runJob(ctx, 'payroll', {
    cycle: options.cycle,
    ...(options.partner ? { partner: options.partner } : {}),
  })) as PayrollResult[];
  for (const r of results) {
    ctx.io.stdout.write(
      `${r.partnerId}: ${r.deductions} deduction${r.deductions === 1 ? '' : 's'}, ${r.leavers} leaver${r.leavers === 1 ? '' : 's'}, ${r.archived} older file${r.archived === 1 ? '' : 's'} archived\n`,
    );
    for (const file of r.files) ctx.io.stdout.write(`  ${file}\n`);
  }
  if (results.length === 0) ctx.io.stdout.write('no partners\n');
}

/** `job reports --end YYYY-MM-DD [--partner id]`: writes the usage reports ending that day. */
export async function runReportsJob(ctx: CommandContext, options: { end: string; partner?: string }): Promise<void> {
  const results = (await runJob(ctx, 'reports', {
    end: options.end,
    ...(options.partner ? { partner: options.partner } : {}),
  })) as ReportsResult[];
  for (const r of results) {
    ctx.io.stdout.write(`${r.partnerId}: ${r.files.length} report zips\n`);
    for (const file of r.files) ctx.io.stdout.write(`  ${file}\n`);
  }
  if (results.length === 0) ctx.io.stdout.write('no partners\n');
}

/** `job eligible-lists`: rewrites every partner's eligible list (the nightly schedule). */
export async function runEligibleListsJob(ctx: CommandContext): Promise<void> {
  const result = (await runJob(ctx, 'eligibleLists', {})) as { written: number; skipped: string[] };
  const skipped = result.skipped.length ? `; skipped ${result.skipped.join(', ')} (profile not available yet)` : '';
  ctx.io.stdout.write(`wrote ${result.written} eligible list${result.written === 1 ? '' : 's'}${skipped}\n`);
}

/** `job expire-approvals [--now <instant>]`: the approval expiry sweep (SPEC §10). */
export async function runExpireApprovalsJob(ctx: CommandContext, options: { now?: Date }): Promise<void> {
  const result = (await runJob(ctx, 'expireApprovals', options.now ? { now: options.now.toISOString() } : {})) as { expired: string[] };
  const names = result.expired.length ? `: ${result.expired.join(', ')}` : '';
  ctx.io.stdout.write(`expired ${result.expired.length} approval${result.expired.length === 1 ? '' : 's'}${names}\n`);
}
