/**
 * The one definition of the system's data resources and functions.
 *
 * The CDK stack (lib/benefits-exchange-stack.ts) and local mode (local/provision.ts) both build
 * from this file, so a table key, a queue setting or an environment variable name cannot drift
 * between AWS and a developer's laptop. Nothing here imports aws-cdk-lib: local mode must load it
 * without synthesising anything.
 */

import type { ScheduleConfig } from './config/environments.ts';
import {
  ANNOUNCED_DETAIL_TYPES,
  ANNOUNCED_SOURCE,
  TRANSFER_DETAIL_TYPES,
  TRANSFER_SOURCE,
} from '../lambdas/core/transfers/transfer-events.ts';

export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: AttributeType;
}

export interface TableDefinition {
  /** Environment variable through which handlers learn the table's physical name. */
  readonly envVar: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  /** Attribute holding an epoch-seconds expiry, when items expire on their own. */
  readonly timeToLiveAttribute?: string;
  readonly description: string;
}

export const TABLES = {
  partners: {
    envVar: 'PARTNERS_TABLE',
    partitionKey: { name: 'partnerId', type: 'S' },
    description: 'One item per partner (SFTP account): entity type, profile, companies, admins, keys.',
  },
  uploads: {
    envVar: 'UPLOADS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    description:
      'Uploads per partner (pk PARTNER#id, sk UPLOAD#seq; automatic flexben history events under ' +
      'sk HISTORY#at#id) plus one marker per received S3 object ' +
      'version (pk OBJECT#hash) so an object is recorded once however often its event arrives.',
  },
  employees: {
    envVar: 'EMPLOYEES_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    description:
      'Eligible employees, one partition per partner company (pk partnerId#taxId, sk employeeKey), ' +
      "so a company's base loads with one query and a full file never touches other companies.",
  },
  credits: {
    envVar: 'CREDITS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    description:
      'Flexible-benefit credits, one partition per partner (pk partnerId, sk taxId#employeeKey); ' +
      'cancelled credits stay as tombstones naming the upload that cancelled them until they expire.',
  },
  platformEvents: {
    envVar: 'PLATFORM_EVENTS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    description:
      'Platform events per partner company (pk partnerId#taxId): subscription and membership events ' +
      'under the employee (sk EMP#employeeKey#at#id), check-ins by time (sk CHK#at#id); plus one ' +
      'marker per loaded file version (pk FILE#key) so a file loaded twice changes nothing.',
  },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof TABLES;

export interface QueueDefinition {
  readonly envVar: string;
  readonly fifo: boolean;
  /** Seconds a received message stays hidden; at least the consuming function's timeout. */
  readonly visibilityTimeoutSeconds: number;
  /** Deliveries before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly description: string;
}

export const QUEUES = {
  ingest: {
    envVar: 'INGEST_QUEUE_URL',
    fifo: false,
    visibilityTimeoutSeconds: 6 * 60,
    maxReceiveCount: 5,
    description:
      'S3 ObjectCreated events for partners/ (standard queue: S3 cannot notify FIFO), upload-result ' +
      'events from EventBridge (TRANSFER_RESULTS) and the delayed grace-period checks the ingest sends itself.',
  },
  uploads: {
    envVar: 'UPLOADS_QUEUE_URL',
    fifo: true,
    visibilityTimeoutSeconds: 16 * 60,
    // Deliveries, not failures: an upload too big for one invocation (ContinueLater) uses one per
    // invocation, so the budget covers a million-row first load plus three real failures.
    maxReceiveCount: 6,
    description:
      "Recorded uploads, message group = partner id: FIFO delivers one partner's uploads one at " +
      'a time in the order they were recorded, while different partners proceed in parallel.',
  },
  platformEvents: {
    envVar: 'PLATFORM_EVENTS_QUEUE_URL',
    fifo: false,
    visibilityTimeoutSeconds: 16 * 60,
    maxReceiveCount: 5,
    description: 'S3 ObjectCreated events for internal/platform-events/ (JSON Lines from the core platform).',
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof QUEUES;

/**
 * Secrets of the environment. `providerPgpKey`: the provider's OpenPGP key pair (SPEC §16), one
 * per environment, KMS-encrypted, written by `pgp init` (local mode: at start) and read by the
 * functions that decrypt uploads. The stack creates it with a placeholder value; `pgp init`
 * replaces the placeholder with the key pair once.
 */
export const SECRETS = {
  providerPgpKey: {
    envVar: 'PROVIDER_PGP_KEY_SECRET',
    description: "The provider's OpenPGP key pair (JSON: privateKey, publicKey, fingerprint, createdAt), written by `pgp init`.",
  },
} as const satisfies Record<string, { envVar: string; description: string }>;

export type SecretName = keyof typeof SECRETS;
export const SECRET_NAMES = Object.keys(SECRETS) as SecretName[];

/** Environment variables every handler may read (besides the table and queue ones above). */
export const ENV = {
  bucket: 'BUCKET_NAME',
  senderEmail: 'SENDER_EMAIL',
  uploadsMaxReceiveCount: 'UPLOADS_MAX_RECEIVE_COUNT',
  ingestMaxReceiveCount: 'INGEST_MAX_RECEIVE_COUNT',
  platformEventsMaxReceiveCount: 'PLATFORM_EVENTS_MAX_RECEIVE_COUNT',
  environment: 'BX_ENVIRONMENT',
  /** Seconds an arrival waits for its transfer result (SPEC §15). */
  transferGraceSeconds: 'TRANSFER_GRACE_SECONDS',
} as const;

/** The sender of local mode's emails (a verified identity in the emulator's SES). */
export const LOCAL_SENDER_EMAIL = 'noreply@benefits-exchange.local';

/** Key prefixes inside the exchange bucket. */
export const BUCKET_LAYOUT = {
  partners: 'partners/',
  archive: 'archive/uploads/',
  platformEvents: 'internal/platform-events/',
  /** Removals held until an admin approves them (SPEC §10), one JSON file per upload. */
  heldRemovals: 'internal/held-removals/',
  /** Payroll files of earlier cycles, moved out of the partner trees (SPEC §8). */
  payrollArchive: 'archive/payroll/',
  /**
   * Web uploads (SPEC §18) land here first, outside the notified partner trees, so a preview can
   * dry-run them; "confirm" copies the file into the partner's upload folder, where the pipeline
   * takes it like an SFTP upload. Objects expire after a day.
   */
  webStaging: 'internal/web-staging/',
  /**
   * One copy of each partner's employees, written after every apply, that the next upload reads
   * its base from in one object (docs/decisions/0140-base-snapshot.md).
   */
  employeeSnapshots: 'internal/employee-snapshots/',
  /** Local mode only: a copy of every email sent, for `emails` (one JSON file per message). */
  sentEmails: 'internal/local-sent-emails/',
} as const;

/** Which queue hears of objects created under which prefix (stack and local mode both wire these). */
export const NOTIFICATIONS = [
  { prefix: BUCKET_LAYOUT.partners, queue: 'ingest' },
  { prefix: BUCKET_LAYOUT.platformEvents, queue: 'platformEvents' },
] as const satisfies readonly { prefix: string; queue: QueueName }[];

/** Prefixes whose ObjectCreated events are sent to a queue. */
export const NOTIFIED_PREFIXES = NOTIFICATIONS.map((n) => n.prefix);

/**
 * The EventBridge rule (default bus) that routes upload-result events into the ingest queue
 * (SPEC §15, ADR 0100): Transfer Family's own (`aws.transfer`; local mode's SFTP server emits the
 * same) and those announced by other paths, limited to files of this bucket's partner trees.
 */
export const TRANSFER_RESULTS = {
  queue: 'ingest',
  description: 'Upload-result events (Transfer Family and other paths) for the partner trees → ingest queue.',
} as const satisfies { queue: QueueName; description: string };

export function transferResultsPattern(bucketName: string): {
  source: string[];
  'detail-type': string[];
  detail: Record<string, unknown>;
} {
  const prefix = `/${bucketName}/${BUCKET_LAYOUT.partners}`;
  return {
    source: [TRANSFER_SOURCE, ANNOUNCED_SOURCE],
    'detail-type': [...Object.values(TRANSFER_DETAIL_TYPES), ...Object.values(ANNOUNCED_DETAIL_TYPES)],
    // Uploads name the file in `file-path`, renames in `renamed-file-path`.
    detail: { $or: [{ 'file-path': [{ prefix }] }, { 'renamed-file-path': [{ prefix }] }] },
  };
}

export interface FunctionDefinition {
  /** Source file of the handler, relative to the repository root. */
  readonly entry: string;
  readonly handler: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  /** The queue that triggers it. */
  readonly trigger: QueueName;
  /** SQS messages per invocation. */
  readonly batchSize: number;
  readonly tables: { readonly [T in TableName]?: 'read' | 'readWrite' };
  /** What it does in the bucket. */
  readonly bucket: 'readWrite';
  /** Queues it sends to. */
  readonly sendsTo: readonly QueueName[];
  readonly sendsEmail: boolean;
  /** Secrets it reads (their ARN in the secret's `envVar`). */
  readonly secrets?: readonly SecretName[];
  /**
   * /tmp size; decrypted uploads are spooled there before a flow reads them (SPEC §16), so it
   * holds at least one upload of the size limit. Default: Lambda's 512 MiB.
   */
  readonly ephemeralStorageMiB?: number;
}

export const FUNCTIONS = {
  ingest: {
    entry: 'lambdas/handlers/ingest.ts',
    handler: 'handler',
    description: 'Records each uploaded object once, archives it and queues it for its partner.',
    timeoutSeconds: 60,
    memoryMiB: 512,
    trigger: 'ingest',
    batchSize: 10,
    tables: { partners: 'read', uploads: 'readWrite' },
    bucket: 'readWrite',
    // The ingest queue too: an arrival's grace-period check is a delayed message to itself.
    sendsTo: ['uploads', 'ingest'],
    sendsEmail: false,
  },
  processUpload: {
    entry: 'lambdas/handlers/process-upload.ts',
    handler: 'handler',
    description: 'Runs the flow of one upload and writes its status, reports and emails.',
    timeoutSeconds: 15 * 60,
    memoryMiB: 1769,
    trigger: 'uploads',
    batchSize: 1,
    tables: { partners: 'read', uploads: 'readWrite', employees: 'readWrite', credits: 'readWrite' },
    bucket: 'readWrite',
    sendsTo: [],
    sendsEmail: true,
    secrets: ['providerPgpKey'],
    ephemeralStorageMiB: 1024,
  },
  loadEvents: {
    entry: 'lambdas/handlers/load-events.ts',
    handler: 'handler',
    description: 'Loads platform event files (JSON Lines) into the platform events table, once per file version.',
    timeoutSeconds: 15 * 60,
    memoryMiB: 1769,
    trigger: 'platformEvents',
    batchSize: 1,
    tables: { partners: 'read', employees: 'read', platformEvents: 'readWrite' },
    bucket: 'readWrite',
    sendsTo: [],
    sendsEmail: false,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof FUNCTIONS;

/**
 * A job: a function run on a schedule (an EventBridge rule built by lib/schedules.ts from the
 * environment's `schedules[schedule]`) and on demand (`job <name>` in the CLI, which invokes it
 * on a deployed stack and runs the same module in process in local mode). Adding a job is one
 * entry here plus its schedule in lib/config/environments.ts.
 */
export interface JobDefinition {
  readonly entry: string;
  readonly handler: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  readonly tables: { readonly [T in TableName]?: 'read' | 'readWrite' };
  readonly bucket: 'readWrite';
  /** The key of `ScheduleConfig` (lib/config/environments.ts) that says when it runs. */
  readonly schedule: keyof ScheduleConfig;
  /**
   * A scheduled run invokes the function again once per partner (asynchronously) instead of
   * doing every partner itself, so each partner gets a whole invocation's 15 minutes.
   */
  readonly fanOut?: boolean;
}

export const JOBS = {
  payroll: {
    entry: 'lambdas/handlers/payroll-job.ts',
    handler: 'handler',
    description: "Writes every partner's payroll deduction and leavers files for the current cycle (SPEC §8).",
    timeoutSeconds: 15 * 60,
    memoryMiB: 1769,
    tables: { partners: 'read', employees: 'read', platformEvents: 'read' },
    bucket: 'readWrite',
    schedule: 'payroll',
    fanOut: true,
  },
  reports: {
    entry: 'lambdas/handlers/reports-job.ts',
    handler: 'handler',
    description: "Writes every partner's four usage report zips for the 12 months ending today (SPEC §9.2).",
    timeoutSeconds: 15 * 60,
    memoryMiB: 1769,
    tables: { partners: 'read', employees: 'read', platformEvents: 'read' },
    bucket: 'readWrite',
    schedule: 'reports',
    fanOut: true,
  },
  eligibleLists: {
    entry: 'lambdas/handlers/eligible-lists-job.ts',
    handler: 'handler',
    description: "Rewrites every partner's eligible list from the stored base (SPEC §6.8).",
    timeoutSeconds: 15 * 60,
    memoryMiB: 1769,
    tables: { partners: 'read', employees: 'read' },
    bucket: 'readWrite',
    schedule: 'eligibleLists',
  },
  expireApprovals: {
    entry: 'lambdas/handlers/expire-approvals-job.ts',
    handler: 'handler',
    description: 'Ends every approval pending for 14 days as Deleted, nobody removed (SPEC §10).',
    timeoutSeconds: 5 * 60,
    memoryMiB: 512,
    // Expiry removes nobody, but it settles the upload, rewrites status.csv and drops the pending list.
    tables: { partners: 'read', employees: 'read', uploads: 'readWrite' },
    bucket: 'readWrite',
    schedule: 'expireApprovals',
  },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;

/**
 * The web channel (SPEC §18): one function serving the JSON API under /api/v1 (behind an HTTP API
 * on AWS, on `--web-port` in local mode), the Cognito user pool whose users are the partners'
 * admins, and the static portal.
 */
export const WEB = {
  api: {
    entry: 'lambdas/handlers/web-api.ts',
    handler: 'handler',
    description: "The partner portal's JSON API (/api/v1): sign-in, uploads with preview, history, downloads, approvals.",
    // API Gateway's HTTP API answers 503 after 30 s, so a request never needs longer.
    timeoutSeconds: 29,
    memoryMiB: 1769,
    // It reads partners, uploads and approvals; everything it changes goes through files in the tree.
    tables: { partners: 'read', uploads: 'read' },
    bucket: 'readWrite',
    sendsEmail: false,
  },
  /** Largest file the portal may upload (the presigned POST's content-length-range). */
  maxUploadBytes: 1024 * 1024 * 1024,
  /** Seconds a presigned upload or download URL stays valid. */
  presignSeconds: 15 * 60,
  env: {
    userPoolId: 'USER_POOL_ID',
    userPoolClientId: 'USER_POOL_CLIENT_ID',
  },
  /** Folder of the built portal (npm run build:portal), served by CloudFront and by local mode. */
  portalDist: 'portal/dist',
  /** Source folder of the portal: the stack builds it with Vite when it bundles its assets. */
  portalSource: 'portal',
  /**
   * The exchange bucket's CORS rule for the portal's origin: the browser POSTs a file straight to
   * its presigned URL, with an upload progress listener, which makes the POST preflighted.
   */
  uploadCors: { methods: ['POST'], maxAgeSeconds: 3600 },
  /** Days a staged web upload (`internal/web-staging/`) is kept; a preview or confirm comes within minutes. */
  stagingRetentionDays: 1,
} as const;

/**
 * The portal's security headers (SPEC §18), the same from CloudFront's response headers policy
 * and from local mode's web server. `uploadOrigins` are where the browser POSTs files: the
 * region's S3 hosts on AWS, the emulator in local mode.
 */
export const PORTAL_SECURITY_HEADERS = {
  contentSecurityPolicy: (uploadOrigins: readonly string[]): string =>
    [
      "default-src 'self'",
      `connect-src 'self' ${uploadOrigins.join(' ')}`.trim(),
      "img-src 'self' data:",
      "style-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  strictTransportSecurityMaxAgeSeconds: 2 * 365 * 24 * 3600,
  frameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  /** Headers CloudFront sets as custom headers (its policy has no field of their own). */
  custom: {
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  },
} as const;

/** Every header of {@link PORTAL_SECURITY_HEADERS} as a response would carry it. */
export function portalSecurityHeaderValues(uploadOrigins: readonly string[]): Record<string, string> {
  const h = PORTAL_SECURITY_HEADERS;
  return {
    'Content-Security-Policy': h.contentSecurityPolicy(uploadOrigins),
    'Strict-Transport-Security': `max-age=${h.strictTransportSecurityMaxAgeSeconds}; includeSubDomains; preload`,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': h.frameOptions,
    'Referrer-Policy': h.referrerPolicy,
    ...h.custom,
  };
}
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** The stack output naming a job's function (`payroll` → `PayrollJobFunctionName`). */
export function jobOutputKey(name: JobName): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}JobFunctionName`;
}

export const TABLE_NAMES = Object.keys(TABLES) as TableName[];
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

function byName<K extends string, V>(names: readonly K[], value: (name: K) => V): Record<K, V> {
  return Object.fromEntries(names.map((name) => [name, value(name)])) as Record<K, V>;
}

/** The stack outputs naming a queue's URL and its dead-letter queue's (`uploads` → `UploadsQueueUrl`, `UploadsDeadLetterQueueUrl`). */
export function queueOutputKeys(name: QueueName): { queue: string; deadLetter: string } {
  const pascal = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  return { queue: `${pascal}QueueUrl`, deadLetter: `${pascal}DeadLetterQueueUrl` };
}

/** The stack output naming a table's physical name (`employees` → `EmployeesTableName`). */
export function tableOutputKey(name: TableName): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}TableName`;
}

/**
 * Resource names used in local mode, where there is no CloudFormation to name things. The prefix
 * lets tests run several isolated pipelines against one emulator.
 */
export function localResourceNames(prefix = 'bx-local'): {
  bucket: string;
  tables: Record<TableName, string>;
  queues: Record<QueueName, string>;
  deadLetterQueues: Record<QueueName, string>;
  /** The TRANSFER_RESULTS rule on the emulator's default bus. */
  transferResultsRule: string;
  /** CloudWatch Logs group local mode sends its EMF metric lines to (`benefits-exchange metrics` reads it). */
  metricsLogGroup: string;
  secrets: Record<SecretName, string>;
  /** The Cognito user pool (and its app client) of the web channel. */
  userPool: string;
} {
  const queueName = (name: QueueName, dlq: boolean): string => `${prefix}-${name}${dlq ? '-dlq' : ''}${QUEUES[name].fifo ? '.fifo' : ''}`;
  return {
    bucket: `${prefix}-exchange`,
    tables: byName(TABLE_NAMES, (name) => `${prefix}-${name}`),
    queues: byName(QUEUE_NAMES, (name) => queueName(name, false)),
    deadLetterQueues: byName(QUEUE_NAMES, (name) => queueName(name, true)),
    transferResultsRule: `${prefix}-transfer-results`,
    metricsLogGroup: `/benefits-exchange/${prefix}/metrics`,
    secrets: byName(SECRET_NAMES, (name) => `${prefix}/${name}`),
    userPool: `${prefix}-portal-users`,
  };
}

/**
 * CloudFormation output keys of the stack: the CLI finds a deployed stack's resources through
 * these (`--stack NAME`), so the stack and the CLI share the names from here. Every table has one
 * more, named by {@link tableOutputKey}.
 */
export const STACK_OUTPUTS = {
  sftpEndpoint: 'SftpEndpoint',
  sftpServerId: 'SftpServerId',
  bucketName: 'BucketName',
  ingestQueueUrl: 'IngestQueueUrl',
  uploadsQueueUrl: 'UploadsQueueUrl',
  transferUserRoleArn: 'TransferUserRoleArn',
  alarmTopicArn: 'AlarmTopicArn',
  providerPgpKeySecretArn: 'ProviderPgpKeySecretArn',
  region: 'Region',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  webApiUrl: 'WebApiUrl',
  /** The portal's address (CloudFront), for invitations and for the admins. */
  portalUrl: 'PortalUrl',
  /** The `From:` address of the emails, so the CLI sends invitations as the functions do. */
  senderEmail: 'SenderEmail',
} as const;
