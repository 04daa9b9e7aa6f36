import { ENV, TABLES } from '../../lib/resources.ts';
import type { Log } from '../ingest/pipeline-deps.ts';
import { awsClients } from './aws-clients.ts';
import { EmployeeRepo } from './employee-repo.ts';
import { ObjectStore } from './object-store.ts';
import { PartnerRepo } from './partner-repo.ts';
import { PlatformEventRepo } from './platform-event-repo.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';

/**
 * Dependencies of the event loader and the scheduled jobs, from the function's environment. The
 * platform events table is optional here: the eligible-lists job does not get it.
 */

export interface JobDeps {
  readonly store: ObjectStore;
  readonly partners: PartnerRepo;
  readonly employees: EmployeeRepo;
  readonly events: PlatformEventRepo;
  readonly log: Log;
  readonly clock: () => Date;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

// Its own logger rather than runtime.ts's, so job bundles do not pull in the upload flows.
const logger = new Logger({ serviceName: 'benefits-exchange' });

export const lambdaLog: Log = {
  info: (message, attributes) => logger.info(message, (attributes ?? {}) as LogAttributes),
  warn: (message, attributes) => logger.warn(message, (attributes ?? {}) as LogAttributes),
  error: (message, attributes) => logger.error(message, (attributes ?? {}) as LogAttributes),
};

let deps: JobDeps | undefined;

export function jobDepsFromEnv(): JobDeps {
  if (deps) return deps;
  const clients = awsClients();
  deps = {
    store: new ObjectStore(clients.s3, required(ENV.bucket)),
    partners: new PartnerRepo(clients.dynamo, required(TABLES.partners.envVar)),
    employees: new EmployeeRepo(clients.dynamo, required(TABLES.employees.envVar)),
    events: new PlatformEventRepo(clients.dynamo, process.env[TABLES.platformEvents.envVar] ?? ''),
    log: lambdaLog,
    clock: () => new Date(),
  };
  return deps;
}
