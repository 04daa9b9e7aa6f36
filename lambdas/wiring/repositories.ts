import type { QueueName, SecretName, TableName } from '../../lib/resources.ts';
import { ApprovalRepo } from '../adapters/approval-repo.ts';
import type { AwsClients } from '../adapters/aws-clients.ts';
import { CreditRepo } from '../adapters/credit-repo.ts';
import { EmployeeRepo } from '../adapters/employee-repo.ts';
import { type Mailer, SesMailer } from '../adapters/mailer.ts';
import { ObjectStore } from '../adapters/object-store.ts';
import { PartnerRepo } from '../adapters/partner-repo.ts';
import { PlatformEventRepo } from '../adapters/platform-event-repo.ts';
import { ProviderKeyStore } from '../adapters/provider-key.ts';
import { SqsDeadlineQueue } from '../adapters/transfer-deadlines.ts';
import { DynamoTransferLedger } from '../adapters/transfer-ledger.ts';
import { SqsUploadQueue } from '../adapters/upload-queue.ts';
import { UploadRepo } from '../adapters/upload-repo.ts';

/**
 * The physical names of one deployment's resources: from a function's environment, from local
 * mode's provisioning, or from a stack's outputs (the CLI). A name may be blank where the process
 * was not given that resource (each function gets only the tables its definition names).
 */
export interface ResourceNames {
  readonly bucket: string;
  readonly tables: Readonly<Partial<Record<TableName, string>>>;
  readonly queues: Readonly<Partial<Record<QueueName, string>>>;
  readonly senderEmail?: string;
  /** Secrets Manager ids; only the processing function (and local mode) has the provider key's. */
  readonly secrets?: Readonly<Partial<Record<SecretName, string>>>;
}

/** Every adapter the flows, jobs and CLI use, over one set of clients. */
export interface Repositories {
  readonly store: ObjectStore;
  readonly partners: PartnerRepo;
  readonly uploads: UploadRepo;
  readonly approvals: ApprovalRepo;
  readonly employees: EmployeeRepo;
  readonly credits: CreditRepo;
  readonly events: PlatformEventRepo;
  readonly queue: SqsUploadQueue;
  readonly mailer: Mailer;
  /** Arrivals awaiting their transfer result (SPEC §15), kept beside the uploads. */
  readonly transferLedger: DynamoTransferLedger;
  /** Delayed messages on the ingest queue that end an arrival whose result never came. */
  readonly transferDeadlines: SqsDeadlineQueue;
  /** The provider's PGP key pair (SPEC §16), where this process was given its secret. */
  readonly providerKey?: ProviderKeyStore;
}

/**
 * Builds the adapters. Constructing one touches no AWS API, so a process that never uses a
 * table it was not given costs nothing for it.
 */
export function composeRepositories(clients: AwsClients, names: ResourceNames): Repositories {
  const table = (name: TableName): string => names.tables[name] ?? '';
  return {
    store: new ObjectStore(clients.s3, names.bucket),
    partners: new PartnerRepo(clients.dynamo, table('partners')),
    uploads: new UploadRepo(clients.dynamo, table('uploads')),
    // Approvals are kept beside the uploads they hold (SPEC §10).
    approvals: new ApprovalRepo(clients.dynamo, table('uploads')),
    employees: new EmployeeRepo(clients.dynamo, table('employees')),
    credits: new CreditRepo(clients.dynamo, table('credits')),
    events: new PlatformEventRepo(clients.dynamo, table('platformEvents')),
    queue: new SqsUploadQueue(clients.sqs, names.queues.uploads ?? ''),
    mailer: new SesMailer(clients.ses, names.senderEmail ?? ''),
    transferLedger: new DynamoTransferLedger(clients.dynamo, table('uploads')),
    // Only the ingest function sends deadlines; it has the ingest queue's URL as its trigger.
    transferDeadlines: new SqsDeadlineQueue(clients.sqs, names.queues.ingest ?? ''),
    ...(names.secrets?.providerPgpKey ? { providerKey: new ProviderKeyStore(clients.secrets, names.secrets.providerPgpKey) } : {}),
  };
}
