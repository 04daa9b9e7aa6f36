import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { ENV, QUEUES, SECRETS, TABLES } from '../../lib/resources.ts';
import { createProcessors, DEFAULT_MAX_ROWS } from '../flows/registry.ts';
import { CreditRepo } from './credit-repo.ts';
import { EmployeeRepo } from './employee-repo.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, type Log, type PipelineDeps } from '../ingest/pipeline-deps.ts';
import { awsClients } from './aws-clients.ts';
import { SesMailer } from './mailer.ts';
import { ObjectStore } from './object-store.ts';
import { PartnerRepo } from './partner-repo.ts';
import { SqsUploadQueue } from './upload-queue.ts';
import { UploadRepo } from './upload-repo.ts';
import { ApprovalRepo } from './approval-repo.ts';
import { ProviderKeyStore } from './provider-key.ts';

/**
 * Builds a handler's dependencies from its environment, once per process, failing fast with the
 * name of any variable the deployment forgot.
 */

export const logger = new Logger({ serviceName: 'benefits-exchange' });

const log: Log = {
  info: (message, attributes) => logger.info(message, (attributes ?? {}) as LogAttributes),
  warn: (message, attributes) => logger.warn(message, (attributes ?? {}) as LogAttributes),
  error: (message, attributes) => logger.error(message, (attributes ?? {}) as LogAttributes),
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

function numberFrom(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

let deps: PipelineDeps | undefined;

export function pipelineDepsFromEnv(): PipelineDeps {
  if (deps) return deps;
  const clients = awsClients();
  const store = new ObjectStore(clients.s3, required(ENV.bucket));
  // Only the processing function has the employees table; the ingest function never reads it.
  const employees = new EmployeeRepo(clients.dynamo, process.env[TABLES.employees.envVar] ?? '');
  const credits = new CreditRepo(clients.dynamo, process.env[TABLES.credits.envVar] ?? '');
  const uploads = new UploadRepo(clients.dynamo, required(TABLES.uploads.envVar));
  const approvals = new ApprovalRepo(clients.dynamo, required(TABLES.uploads.envVar));
  const built: PipelineDeps = {
    store,
    partners: new PartnerRepo(clients.dynamo, required(TABLES.partners.envVar)),
    uploads,
    // The ingest function sends here; the processing function, triggered by it, only makes an
    // upload that ran out of time visible again.
    queue: new SqsUploadQueue(clients.sqs, process.env[QUEUES.uploads.envVar] ?? ''),
    mailer: new SesMailer(clients.ses, process.env[ENV.senderEmail] ?? ''),
    processors: createProcessors({
      store,
      employees,
      uploads,
      approvals,
      maxRows: numberFrom('MAX_UPLOAD_ROWS', DEFAULT_MAX_ROWS),
      flexben: { credits, history: uploads },
    }),
    log,
    clock: () => new Date(),
    limits: { maxUploadBytes: numberFrom('MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES) },
    // Only the processing function reads the provider key (it decrypts uploads).
    ...(process.env[SECRETS.providerPgpKey.envVar]
      ? { providerKey: new ProviderKeyStore(clients.secrets, process.env[SECRETS.providerPgpKey.envVar] as string) }
      : {}),
  };
  deps = built;
  return built;
}

/** Deliveries after which SQS moves a message to its DLQ (the last attempt is this one). */
export function maxReceiveCount(envVar: string, fallback: number): number {
  return numberFrom(envVar, fallback);
}
