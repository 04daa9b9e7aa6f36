import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createAwsClients, type AwsClients } from '../lambdas/adapters/aws-clients.ts';
import type { CreditRepo } from '../lambdas/adapters/credit-repo.ts';
import type { EmployeeRepo } from '../lambdas/adapters/employee-repo.ts';
import type { PartnerRepo } from '../lambdas/adapters/partner-repo.ts';
import type { PlatformEventRepo } from '../lambdas/adapters/platform-event-repo.ts';
import type { FlowDeps } from '../lambdas/app/flows/registry.ts';
import { RecordingMailer } from '../lambdas/adapters/recording-mailer.ts';
import { ProviderKeyStore } from '../lambdas/adapters/provider-key.ts';
import type { ProcessorRegistry } from '../lambdas/app/flows/upload-processor.ts';
import { createIngestHandler } from '../lambdas/handlers/ingest.ts';
import { createLoadEventsHandler } from '../lambdas/handlers/load-events.ts';
import { createProcessUploadHandler } from '../lambdas/handlers/process-upload.ts';
import type { Log, PipelineDeps } from '../lambdas/app/ingest/pipeline-deps.ts';
import { EventBusAnnouncer } from '../lambdas/adapters/upload-announcer.ts';
import type { BusEntry } from '../lambdas/core/transfers/transfer-events.ts';
import { composeJobs } from '../lambdas/wiring/compose-jobs.ts';
import { composePipeline } from '../lambdas/wiring/compose-pipeline.ts';
import { composeRepositories } from '../lambdas/wiring/repositories.ts';
import { describeErrorInline } from '../lambdas/core/diagnostics/error-description.ts';
import { FUNCTIONS, localResourceNames, QUEUES, type QueueName } from '../lib/resources.ts';
import { startLocalMetrics } from './local-metrics.ts';
import { provisionLocalResources, type LocalResources, type ProvisionOptions } from './provision.ts';
import { startPoller, type Poller } from './queue-poller.ts';
import { startWebServer, type RunningWebServer } from './web-server.ts';
import { PortalUsers, userPoolOf } from '../lambdas/adapters/portal-users.ts';
import { composeWeb } from '../lambdas/wiring/compose-web.ts';
import { startSftpServer, type RunningSftpServer } from './sftp/sftp-server.ts';

/**
 * The whole pipeline on one machine: resources in the emulator, the SFTP server, and pollers that
 * feed the queues to the same handler modules Lambda runs. `npm run local` and the integration
 * tests both start it through here.
 */

export interface LocalPipelineOptions {
  readonly endpoint: string;
  readonly prefix?: string;
  readonly sftpPort?: number;
  readonly sftpHost?: string;
  readonly hostKey?: string | Buffer;
  /** Replaces the flow processors, or builds them from the flows' dependencies (tests inject failures). */
  readonly processors?: ProcessorRegistry | ((deps: FlowDeps) => ProcessorRegistry);
  readonly visibilityTimeoutSeconds?: number;
  /** Time budget of one processing invocation (default: the Lambda's timeout); tests shrink it. */
  readonly invocationMs?: number;
  readonly maxUploadBytes?: number;
  readonly maxRows?: number;
  readonly log?: (line: string) => void;
  /** Seconds an arrival waits for its transfer result (`--transfer-grace`; default 15 minutes). */
  readonly transferGraceSeconds?: number;
  /** Which of the SFTP server's upload-result events reach the bus (tests drop some). */
  readonly transferEventFilter?: (entry: BusEntry) => boolean;
  readonly beforeNotifications?: ProvisionOptions['beforeNotifications'];
  /**
   * With `--persist`: where the provider PGP key pair is kept between runs (the emulator forgets
   * its secrets), so partners' copies of the public key stay valid.
   */
  readonly providerKeyFile?: string;
  /** Port of the web channel (SPEC §18: portal and API); 0 picks a free one; absent, none runs. */
  readonly webPort?: number;
}

export interface LocalPipeline {
  readonly clients: AwsClients;
  readonly resources: LocalResources;
  readonly deps: PipelineDeps;
  readonly partners: PartnerRepo;
  readonly employees: EmployeeRepo;
  readonly credits: CreditRepo;
  readonly events: PlatformEventRepo;
  readonly sftp: RunningSftpServer;
  /** The web channel, when `webPort` was given. */
  readonly web?: RunningWebServer;
  /** The portal's users (Cognito in the emulator), for `partner add|update|remove`. */
  readonly portalUsers: PortalUsers;
  stop(): Promise<void>;
}

function lineLog(write: (line: string) => void): Log {
  const format = (level: string, message: string, attributes?: Record<string, unknown>): string => {
    const fields = Object.entries(attributes ?? {}).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return [level === 'INFO' ? '' : `${level} `, message, fields.length ? ` ${fields.join(' ')}` : ''].join('');
  };
  return {
    info: (m, a) => write(format('INFO', m, a)),
    warn: (m, a) => write(format('WARN', m, a)),
    error: (m, a) => write(format('ERROR', m, a)),
  };
}

/** Puts a saved key pair back into the emulator's (fresh) secret. */
async function restoreProviderKey(clients: AwsClients, secretId: string, file: string): Promise<void> {
  if (!existsSync(file)) return;
  const value = await readFile(file, 'utf8');
  await clients.secrets.send(new CreateSecretCommand({ Name: secretId, SecretString: value })).catch(async (error: Error) => {
    if (error.name !== 'ResourceExistsException') throw error;
  });
}

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const write = options.log ?? (() => {});
  const clients = createAwsClients({ endpoint: options.endpoint });
  const visibility = options.visibilityTimeoutSeconds ?? 30;
  const resources = await provisionLocalResources(clients, {
    prefix: options.prefix,
    visibilityTimeoutSeconds: visibility,
    beforeNotifications: options.beforeNotifications,
  });
  const composed = composeRepositories(clients, {
    bucket: resources.bucket,
    tables: resources.tables,
    queues: resources.queueUrls,
    senderEmail: resources.senderEmail,
    secrets: resources.secrets,
  });
  // Local mode keeps its own copy of each sent message for `emails` (ADR 0303).
  const repos = { ...composed, mailer: new RecordingMailer(composed.mailer, composed.store, resources.senderEmail) };
  const { partners, store, employees, credits, events } = repos;
  // SPEC §16: local mode has its provider key from the start (created once, then reused).
  const providerKey = repos.providerKey ?? new ProviderKeyStore(clients.secrets, resources.secrets.providerPgpKey);
  if (options.providerKeyFile) await restoreProviderKey(clients, resources.secrets.providerPgpKey, options.providerKeyFile);
  const { key } = await providerKey.ensure('local');
  if (options.providerKeyFile) await writeFile(options.providerKeyFile, JSON.stringify(key), { mode: 0o600 });
  const localMetrics = await startLocalMetrics(options.endpoint, localResourceNames(options.prefix).metricsLogGroup, write);
  const deps: PipelineDeps = composePipeline(repos, {
    log: lineLog(write),
    metrics: localMetrics.metrics,
    processors: options.processors,
    maxRows: options.maxRows,
    maxUploadBytes: options.maxUploadBytes,
    transferGraceSeconds: options.transferGraceSeconds,
  });
  const bus = new EventBusAnnouncer(clients.events);
  const filter = options.transferEventFilter;

  const arnOf = async (queue: QueueName): Promise<string> => {
    const out = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: resources.queueUrls[queue], AttributeNames: ['QueueArn'] }),
    );
    return out.Attributes?.QueueArn ?? '';
  };
  const onError =
    (queue: QueueName) =>
    (error: unknown): void =>
      write(`ERROR queue poller failed step=poll.${queue} ${describeErrorInline(error)}`);
  const pollers: Poller[] = [
    startPoller({
      sqs: clients.sqs,
      queueUrl: resources.queueUrls.ingest,
      queueArn: await arnOf('ingest'),
      batchSize: FUNCTIONS.ingest.batchSize,
      handler: createIngestHandler(() => deps, QUEUES.ingest.maxReceiveCount),
      onError: onError('ingest'),
    }),
    startPoller({
      sqs: clients.sqs,
      queueUrl: resources.queueUrls.uploads,
      queueArn: await arnOf('uploads'),
      batchSize: FUNCTIONS.processUpload.batchSize,
      handler: createProcessUploadHandler(() => deps, {
        maxReceives: QUEUES.uploads.maxReceiveCount,
        invocationMs: options.invocationMs,
      }),
      onError: onError('uploads'),
    }),
    startPoller({
      sqs: clients.sqs,
      queueUrl: resources.queueUrls.platformEvents,
      queueArn: await arnOf('platformEvents'),
      batchSize: FUNCTIONS.loadEvents.batchSize,
      handler: createLoadEventsHandler(() => composeJobs(repos, deps.log, deps.clock)),
      onError: onError('platformEvents'),
    }),
  ];

  const sftp = await startSftpServer({
    host: options.sftpHost ?? '127.0.0.1',
    port: options.sftpPort ?? 2222,
    partners,
    store,
    hostKey: options.hostKey,
    log: write,
    transferEvents: { put: async (entry) => (filter && !filter(entry) ? undefined : bus.put(entry)) },
  });

  const web =
    options.webPort === undefined
      ? undefined
      : await startWebServer(
          composeWeb(clients, repos, userPoolOf(resources.userPool.id, resources.userPool.clientId, options.endpoint), deps.log, {
            maxUploadBytes: options.maxUploadBytes,
          }),
          { port: options.webPort, uploadOrigins: [new URL(options.endpoint).origin] },
        );

  return {
    clients,
    resources,
    deps,
    partners,
    employees,
    credits,
    events,
    sftp,
    web,
    portalUsers: new PortalUsers(clients.cognito, resources.userPool.id),
    stop: async () => {
      await web?.stop();
      await sftp.close();
      await Promise.all(pollers.map((p) => p.stop()));
      await localMetrics.close();
    },
  };
}
