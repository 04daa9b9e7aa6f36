import { jobDepsFromEnv } from '../adapters/job-runtime.ts';
import { JOB_RUNNERS } from '../jobs/job-registry.ts';
import type { JobRequest } from '../jobs/job-requests.ts';

/** The reports job: on its schedule (12 months ending today) or invoked by `job reports --end`. */
export const handler = async (event?: JobRequest): Promise<unknown> => JOB_RUNNERS.reports(jobDepsFromEnv(), event ?? {});
