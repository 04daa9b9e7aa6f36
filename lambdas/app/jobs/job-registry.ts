import type { JobName } from '../../../lib/resources.ts';
import type { JobDeps } from './job-deps.ts';
import { refreshEligibleLists } from './eligible-lists.ts';
import { expireApprovals } from './expire-approvals.ts';
import { payrollRequest, reportsRequest, type JobRequest } from './job-requests.ts';
import { runPayrollJob } from './payroll-job.ts';
import { runReportsJob } from './reports-job.ts';

/**
 * What each entry of `JOBS` runs, for its Lambda handler and for `job …` in local mode alike.
 * Keyed by JobName, so a new `JOBS` entry does not type-check until it says what it runs here.
 */
export const JOB_RUNNERS: Record<JobName, (deps: JobDeps, request: JobRequest) => Promise<unknown>> = {
  payroll: (deps, request) => runPayrollJob(deps, payrollRequest(request, deps.clock())),
  reports: (deps, request) => runReportsJob(deps, reportsRequest(request, deps.clock())),
  eligibleLists: (deps) => refreshEligibleLists(deps, deps.clock()),
  expireApprovals: (deps, request) => expireApprovals(deps, request.now ? new Date(request.now) : deps.clock()),
};
