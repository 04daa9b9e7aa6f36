import { ENV, TABLES } from '../../lib/resources.ts';
import type { Log } from '../ingest/pipeline-deps.ts';
import { awsClients } from './aws-clients.ts';
import { EmployeeRepo } from './employee-repo.ts';
import { ObjectStore } from './object-store.ts';
import { PartnerRepo } from './partner-repo.ts';
import { PlatformEventRepo } from './platform-event-repo.ts';
import { ApprovalRepo } from './approval-repo.ts';
import { UploadRepo } from './upload-repo.ts';
import { lambdaLog } from './observability.ts';

/**
 * Dependencies of the event loader and the scheduled jobs, from the function's environment. The
 * platform events and uploads tables are optional here: each job's function gets only the tables
 * its `JOBS` entry names.
 */

export interface JobDeps {
  readonly store: ObjectStore;
  readonly partners: PartnerRepo;
  readonly employees: EmployeeRepo;
  readonly events: PlatformEventRepo;
  /** Uploads and the approvals kept beside them (the approval expiry sweep). */
  readonly uploads: UploadRepo;
  readonly approvals: ApprovalRepo;
  readonly log: Log;
  readonly clock: () => Date;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

// The one logger setup (observability.ts), which job bundles import without the upload flows.
export { lambdaLog };

let deps: JobDeps | undefined;

export function jobDepsFromEnv(): JobDeps {
  if (deps) return deps;
  const clients = awsClients();
  deps = {
    store: new ObjectStore(clients.s3, required(ENV.bucket)),
    partners: new PartnerRepo(clients.dynamo, required(TABLES.partners.envVar)),
    employees: new EmployeeRepo(clients.dynamo, required(TABLES.employees.envVar)),
    events: new PlatformEventRepo(clients.dynamo, process.env[TABLES.platformEvents.envVar] ?? ''),
    uploads: new UploadRepo(clients.dynamo, process.env[TABLES.uploads.envVar] ?? ''),
    approvals: new ApprovalRepo(clients.dynamo, process.env[TABLES.uploads.envVar] ?? ''),
    log: lambdaLog,
    clock: () => new Date(),
  };
  return deps;
}
