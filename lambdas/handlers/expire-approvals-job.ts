import { jobDepsFromEnv } from '../adapters/job-runtime.ts';
import { instrumented } from '../adapters/observability.ts';
import { JOB_RUNNERS } from '../jobs/job-registry.ts';
import type { JobRequest } from '../jobs/job-requests.ts';

/** The approval expiry sweep (SPEC §10): daily on its schedule, or invoked by `job expire-approvals`. */
export const handler = instrumented(async (event?: JobRequest): Promise<unknown> => JOB_RUNNERS.expireApprovals(jobDepsFromEnv(), event ?? {}));
