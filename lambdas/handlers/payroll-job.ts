import { jobDepsFromEnv } from '../adapters/job-runtime.ts';
import { instrumented } from '../adapters/observability.ts';
import { selfDispatcher } from '../adapters/job-dispatcher.ts';
import { runJobInvocation } from '../jobs/job-invocation.ts';
import type { JobRequest } from '../jobs/job-requests.ts';

const dispatcher = selfDispatcher();

/** The payroll job: on its schedule (the current cycle) or invoked by `job payroll --cycle`. */
export const handler = instrumented(async (event?: JobRequest): Promise<unknown> =>
  runJobInvocation('payroll', event ?? {}, jobDepsFromEnv(), dispatcher));
