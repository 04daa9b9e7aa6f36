import { CloudWatchLogsClient, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { METRICS_NAMESPACE } from '../lambdas/adapters/metrics.ts';
import { metricsTable, summarizeEmf } from '../lambdas/core/diagnostics/emf-summary.ts';
import { localResourceNames } from '../lib/resources.ts';
import type { CommandContext } from './context.ts';
import { clientConfig } from './deployment.ts';
import { UsageError } from './io.ts';

/**
 * `metrics [--partner <id>] [--json]`: in local mode, the counters of SPEC §17 summed from the
 * EMF lines the pipeline emitted (local mode sends them to the emulator's CloudWatch Logs, as
 * Lambda's stdout goes to CloudWatch). On a stack CloudWatch itself has them: see the dashboard.
 */
export async function showMetrics(ctx: CommandContext, options: { partner?: string; json?: boolean }): Promise<void> {
  if (ctx.options().stack) {
    throw new UsageError(
      "metrics reads local mode's EMF lines; a stack's metrics are on its CloudWatch dashboard (stack output DashboardName)",
    );
  }
  const deployment = await ctx.deployment();
  const logGroupName = localResourceNames(process.env.BX_LOCAL_PREFIX || 'bx-local').metricsLogGroup;
  const client = new CloudWatchLogsClient(clientConfig(deployment));
  const lines: string[] = [];
  try {
    for await (const page of paginateFilterLogEvents({ client }, { logGroupName })) {
      for (const event of page.events ?? []) if (event.message) lines.push(event.message);
    }
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  } finally {
    client.destroy();
  }
  // The partner id is metadata in each line, never a dimension: filtering is by line.
  const chosen = options.partner ? lines.filter((l) => (JSON.parse(l) as { partnerId?: string }).partnerId === options.partner) : lines;
  const totals = summarizeEmf(chosen, METRICS_NAMESPACE);
  if (options.json) ctx.io.stdout.write(`${JSON.stringify(totals, null, 2)}\n`);
  else if (totals.length === 0) ctx.io.stderr.write('no metrics yet: nothing was uploaded since local mode started with this prefix\n');
  else ctx.io.stdout.write(metricsTable(totals));
}
