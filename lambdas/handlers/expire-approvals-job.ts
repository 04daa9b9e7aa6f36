import { jobDepsFromEnv } from '../wiring/lambda-jobs.ts';
import { instrumented } from '../adapters/observability.ts';
import { runJobLogged } from '../app/jobs/job-invocation.ts';
import type { JobRequest } from '../app/jobs/job-requests.ts';

/** The approval expiry sweep (SPEC §10): daily on its schedule, or invoked by `job expire-approvals`. */
export const handler = instrumented(
  async (event?: JobRequest): Promise<unknown> => runJobLogged('expireApprovals', event ?? {}, jobDepsFromEnv()),
);
