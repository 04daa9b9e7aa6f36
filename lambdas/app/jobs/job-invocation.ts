import { JOBS, type JobDefinition, type JobName } from '../../../lib/resources.ts';
import type { JobDeps } from './job-deps.ts';
import { failureAttributes } from '../../core/diagnostics/error-description.ts';
import { JOB_RUNNERS } from './job-registry.ts';
import { pinnedRequest, type JobRequest } from './job-requests.ts';

/**
 * One invocation of a job's function. A scheduled run of a job that fans out does no partner's
 * work itself: it hands each partner to its own invocation, so one huge partner, or many big
 * ones, cannot push the run past Lambda's 15 minutes, and a partner that fails is retried and
 * alarmed on alone. Any other request (the CLI's, or one partner's) runs here.
 */

export interface JobDispatcher {
  /** Starts another invocation of this function with the request, without waiting for it. */
  dispatch(request: JobRequest): Promise<void>;
}

export interface FannedOut {
  readonly dispatched: string[];
}

export async function runJobInvocation(name: JobName, request: JobRequest, deps: JobDeps, dispatcher: JobDispatcher): Promise<unknown> {
  const definition: JobDefinition = JOBS[name];
  if (!definition.fanOut || !request.scheduled || request.partner) return runJobLogged(name, request, deps);
  const pinned = pinnedRequest({}, deps.clock());
  const dispatched: string[] = [];
  for (const partner of await deps.partners.list()) {
    await dispatcher.dispatch({ ...pinned, partner: partner.partnerId });
    dispatched.push(partner.partnerId);
  }
  deps.log.info(`${name}: dispatched one invocation per partner`, { partners: dispatched.length });
  return { dispatched } satisfies FannedOut;
}

/** Runs a job here, logging a failure with the step (the job) and its cause before it propagates. */
export async function runJobLogged(name: JobName, request: JobRequest, deps: JobDeps): Promise<unknown> {
  try {
    return await JOB_RUNNERS[name](deps, request);
  } catch (error) {
    deps.log.error('job failed', failureAttributes(`job.${name}`, error, request.partner ? { partnerId: request.partner } : {}));
    throw error;
  }
}
