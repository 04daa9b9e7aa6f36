import { jobDepsFromEnv } from '../adapters/job-runtime.ts';
import { JOB_RUNNERS } from '../jobs/job-registry.ts';
import type { JobRequest } from '../jobs/job-requests.ts';

/** The payroll job: on its schedule (the current cycle) or invoked by `job payroll --cycle`. */
export const handler = async (event?: JobRequest): Promise<unknown> => JOB_RUNNERS.payroll(jobDepsFromEnv(), event ?? {});
