import { jobDepsFromEnv } from '../adapters/job-runtime.ts';
import { payrollRequest, type JobRequest } from '../jobs/job-requests.ts';
import { runPayrollJob, type PayrollResult } from '../jobs/payroll-job.ts';

/** The payroll job: on its schedule (the current cycle) or invoked by `job payroll --cycle`. */
export async function handler(event: JobRequest = {}): Promise<PayrollResult[]> {
  const deps = jobDepsFromEnv();
  return runPayrollJob(deps, payrollRequest(event ?? {}, deps.clock()));
}
