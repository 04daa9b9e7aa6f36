import { jobDepsFromEnv } from '../wiring/lambda-jobs.ts';
import { instrumented } from '../adapters/observability.ts';
import { selfDispatcher } from '../adapters/job-dispatcher.ts';
import { runJobInvocation } from '../app/jobs/job-invocation.ts';
import type { JobRequest } from '../app/jobs/job-requests.ts';

const dispatcher = selfDispatcher();

/** The reports job: on its schedule (12 months ending today) or invoked by `job reports --end`. */
export const handler = instrumented(
  async (event?: JobRequest): Promise<unknown> => runJobInvocation('reports', event ?? {}, jobDepsFromEnv(), dispatcher),
);
