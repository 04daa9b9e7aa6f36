import { jobDepsFromEnv } from '../wiring/lambda-jobs.ts';
import { instrumented } from '../adapters/observability.ts';
import { runJobLogged } from '../app/jobs/job-invocation.ts';

/** The nightly eligible-list job (SPEC §6.8), also invoked by `job eligible-lists`. */
export const handler = instrumented(async (): Promise<unknown> => runJobLogged('eligibleLists', {}, jobDepsFromEnv()));
