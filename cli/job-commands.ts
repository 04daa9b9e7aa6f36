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
export async function runEligibleListsJob(_ctx: CommandContext): Promise<void> {
  throw notAvailable('job eligible-lists', 'the eligibility flow (SPEC §6)');
}
