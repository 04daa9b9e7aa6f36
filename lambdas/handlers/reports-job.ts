import { jobDepsFromEnv } from '../adapters/job-runtime.ts';
import { reportsRequest, type JobRequest } from '../jobs/job-requests.ts';
import { runReportsJob, type ReportsResult } from '../jobs/reports-job.ts';

/** The reports job: on its schedule (12 months ending today) or invoked by `job reports --end`. */
export async function handler(event: JobRequest = {}): Promise<ReportsResult[]> {
  const deps = jobDepsFromEnv();
  return runReportsJob(deps, reportsRequest(event ?? {}, deps.clock()));
}
