import { composeJobs } from './compose-jobs.ts';
import { composeRepositories } from './repositories.ts';
import { awsClients } from '../adapters/aws-clients.ts';
import { resourceNamesFromEnv } from './environment.ts';
import type { JobDeps } from '../app/jobs/job-deps.ts';
import { lambdaLog } from '../adapters/observability.ts';

/**
 * Dependencies of the event loader and the scheduled jobs, from the function's environment. The
 * platform events and uploads tables are optional here: each job's function gets only the tables
 * its `JOBS` entry names.
 */

// Kept importable from here for older call sites; the port itself lives with the jobs.
export type { JobDeps } from '../app/jobs/job-deps.ts';

let deps: JobDeps | undefined;

export function jobDepsFromEnv(): JobDeps {
  deps ??= composeJobs(composeRepositories(awsClients(), resourceNamesFromEnv(['partners', 'employees'])), lambdaLog);
  return deps;
}
