import type { JobDeps } from '../app/jobs/job-deps.ts';
import type { Log } from '../app/ingest/pipeline-deps.ts';
import type { Repositories } from './repositories.ts';

/** The scheduled jobs' and the event loader's dependencies. */
export function composeJobs(repos: Repositories, log: Log, clock: () => Date = () => new Date()): JobDeps {
  const { store, partners, employees, events, uploads, approvals } = repos;
  return { store, partners, employees, events, uploads, approvals, log, clock };
}
