import type { JobDeps } from '../jobs/job-deps.ts';
import type { Log } from '../ingest/pipeline-deps.ts';
import type { Repositories } from './repositories.ts';

/** The scheduled jobs' and the event loader's dependencies. */
export function composeJobs(repos: Repositories, log: Log, clock: () => Date = () => new Date()): JobDeps {
  const { store, partners, employees, events, uploads, approvals } = repos;
  return { store, partners, employees, events, uploads, approvals, log, clock };
}
