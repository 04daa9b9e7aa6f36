import { jobDepsFromEnv } from '../wiring/lambda-jobs.ts';
import { instrumented } from '../adapters/observability.ts';
import { selfDispatcher } from '../adapters/job-dispatcher.ts';
import { runJobInvocation } from '../app/jobs/job-invocation.ts';
import type { JobRequest } from '../app/jobs/job-requests.ts';

const dispatcher = selfDispatcher();

/** The payroll job: on its schedule (the current cycle) or invoked by `job payroll --cycle`. */
export const handler = instrumented(
  async (event?: JobRequest): Promise<unknown> => runJobInvocation('payroll', event ?? {}, jobDepsFromEnv(), dispatcher),
);
