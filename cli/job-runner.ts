import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { JOB_RUNNERS } from '../lambdas/app/jobs/job-registry.ts';
import { pinnedRequest, type JobRequest } from '../lambdas/app/jobs/job-requests.ts';
import { UnknownPartnerError } from '../lambdas/app/jobs/job-partners.ts';
import type { Log } from '../lambdas/app/ingest/pipeline-deps.ts';
import { composeJobs } from '../lambdas/wiring/compose-jobs.ts';
import { composeRepositories } from '../lambdas/wiring/repositories.ts';
import { JOBS, type JobDefinition, type JobName } from '../lib/resources.ts';
import type { CommandContext, DeploymentClients } from './context.ts';
import { clientConfig } from './deployment.ts';
import { CliError, oneLine } from './io.ts';

/**
 * Runs a job on demand (SPEC §12). On a deployed stack the job's own Lambda is invoked, so it
 * runs with the function's role, memory and time limit exactly as its schedule runs it (once per
 * partner for a job that fans out); in local mode the same module runs in this process against
 * the emulator.
 */

const QUIET: Log = { info: () => {}, warn: () => {}, error: () => {} };

export async function runJob(ctx: CommandContext, name: JobName, request: JobRequest): Promise<unknown> {
  const clients = await ctx.clients();
  const fn = clients.deployment.jobFunctions?.[name];
  if (clients.deployment.stackName) {
    if (!fn) throw new CliError(`stack ${clients.deployment.stackName} has no ${name} job function: deploy this version first`);
    const definition: JobDefinition = JOBS[name];
    if (!definition.fanOut || request.partner) return invoke(clients, fn, request);
    // As its schedule does: one invocation per partner, each with a whole 15 minutes.
    const pinned = pinnedRequest(request, new Date());
    const results: unknown[] = [];
    for (const partner of await clients.partners.list()) {
      results.push(...[await invoke(clients, fn, { ...pinned, partner: partner.partnerId })].flat());
    }
    return results;
  }
  try {
    return await runInProcess(clients, name, request);
  } catch (error) {
    if (error instanceof UnknownPartnerError) throw new CliError(error.message);
    throw error;
  }
}

async function runInProcess(clients: DeploymentClients, name: JobName, request: JobRequest): Promise<unknown> {
  const { deployment, aws } = clients;
  const repos = composeRepositories(aws, { bucket: deployment.bucket, tables: deployment.tables, queues: {} });
  return JOB_RUNNERS[name](composeJobs(repos, QUIET), request);
}

async function invoke(clients: DeploymentClients, functionName: string, request: JobRequest): Promise<unknown> {
  const lambda = new LambdaClient(clientConfig({ endpoint: clients.deployment.endpoint, region: clients.deployment.region }));
  try {
    const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(request)) }));
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : 'null';
    if (out.FunctionError) {
      const message = (JSON.parse(text) as { errorMessage?: string }).errorMessage ?? text;
      throw new CliError(`job failed: ${oneLine(message)}`);
    }
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot invoke ${functionName}: ${oneLine((error as Error).message)}`);
  } finally {
    lambda.destroy();
  }
}
