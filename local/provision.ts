import { CreateUserPoolClientCommand, CreateUserPoolCommand, ListUserPoolClientsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import type { AwsClients } from '../lambdas/adapters/aws-clients.ts';
import { findUserPoolId } from '../lambdas/adapters/portal-users.ts';
import {
  localResourceNames,
  NOTIFICATIONS,
  QUEUES,
  TABLES,
  TRANSFER_RESULTS,
  transferResultsPattern,
  type QueueName,
  type SecretName,
  type TableName,
  LOCAL_SENDER_EMAIL,
} from '../lib/resources.ts';

/**
 * Creates in the emulator the resources the CDK stack declares, from the same definitions
 * (lib/resources.ts). Safe to run against resources that already exist.
 */

export interface LocalResources {
  readonly bucket: string;
  readonly tables: Record<TableName, string>;
  readonly queueUrls: Record<QueueName, string>;
  readonly deadLetterQueueUrls: Record<QueueName, string>;
  readonly senderEmail: string;
  /** Secret names (SPEC §16: the provider key); their values are written by their owners. */
  readonly secrets: Record<SecretName, string>;
  /** The web channel's user pool and its app client (SPEC §18). */
  readonly userPool: { readonly id: string; readonly clientId: string };
}

export interface ProvisionOptions {
  readonly prefix?: string;
  /**
   * Shorter than in AWS, so a failed message comes back soon; the local poller takes one batch at a
   * time per queue, so a handler that outlives it is still not run twice at once.
   */
  readonly visibilityTimeoutSeconds?: number;
  readonly senderEmail?: string;
  /** Called after tables and bucket exist but before S3 notifications are wired (restores state). */
  readonly beforeNotifications?: (resources: LocalResources) => Promise<void>;
}

function alreadyExists(error: unknown): boolean {
  const name = (error as Error).name;
  return ['BucketAlreadyOwnedByYou', 'BucketAlreadyExists', 'ResourceInUseException', 'QueueAlreadyExists'].includes(name);
}

async function ignoreExisting(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!alreadyExists(error)) throw error;
  }
}

async function createTable(dynamo: DynamoDBClient, tableName: string, name: TableName): Promise<void> {
  const def = TABLES[name];
  const keys = [def.partitionKey, ...('sortKey' in def ? [def.sortKey] : [])];
  await ignoreExisting(() =>
    dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
        KeySchema: keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      }),
    ),
  );
  await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
}

async function createQueue(clients: AwsClients, name: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
  const created = await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl as string;
  const attrs = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attrs.Attributes?.QueueArn as string };
}

export async function provisionLocalResources(clients: AwsClients, options: ProvisionOptions = {}): Promise<LocalResources> {
  const names = localResourceNames(options.prefix);
  const visibility = String(options.visibilityTimeoutSeconds ?? 30);

  await ignoreExisting(() => clients.s3.send(new CreateBucketCommand({ Bucket: names.bucket })));
  await clients.s3.send(new PutBucketVersioningCommand({ Bucket: names.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  for (const table of Object.keys(TABLES) as TableName[]) {
    await createTable(clients.dynamo as unknown as DynamoDBClient, names.tables[table], table);
  }

  const queueUrls = {} as Record<QueueName, string>;
  const deadLetterQueueUrls = {} as Record<QueueName, string>;
  const queueArns = {} as Record<QueueName, string>;
  for (const queue of Object.keys(QUEUES) as QueueName[]) {
    const def = QUEUES[queue];
    const fifo: Record<string, string> = def.fifo ? { FifoQueue: 'true' } : {};
    const dlq = await createQueue(clients, names.deadLetterQueues[queue], { ...fifo, MessageRetentionPeriod: '1209600' });
    const main = await createQueue(clients, names.queues[queue], {
      ...fifo,
      VisibilityTimeout: visibility,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: def.maxReceiveCount }),
    });
    queueUrls[queue] = main.url;
    queueArns[queue] = main.arn;
    deadLetterQueueUrls[queue] = dlq.url;
  }

  // The stack's rule, on the emulator's default bus: upload results into the ingest queue (SPEC §15).
  await clients.events.send(
    new PutRuleCommand({
      Name: names.transferResultsRule,
      Description: TRANSFER_RESULTS.description,
      EventPattern: JSON.stringify(transferResultsPattern(names.bucket)),
      State: 'ENABLED',
    }),
  );
  await clients.events.send(
    new PutTargetsCommand({
      Rule: names.transferResultsRule,
      Targets: [{ Id: TRANSFER_RESULTS.queue, Arn: queueArns[TRANSFER_RESULTS.queue] }],
    }),
  );

  const senderEmail = options.senderEmail ?? LOCAL_SENDER_EMAIL;
  await clients.ses.send(new VerifyEmailIdentityCommand({ EmailAddress: senderEmail }));

  const resources: LocalResources = {
    bucket: names.bucket,
    tables: names.tables,
    queueUrls,
    deadLetterQueueUrls,
    senderEmail,
    secrets: names.secrets,
    userPool: await ensureUserPool(clients, names.userPool),
  };
  await options.beforeNotifications?.(resources);
  await clients.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: names.bucket,
      NotificationConfiguration: {
        QueueConfigurations: NOTIFICATIONS.map(({ prefix, queue }) => ({
          QueueArn: queueArns[queue],
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
        })),
      },
    }),
  );
  return resources;
}

/** The pool and app client of that name, created once (a restarted local mode keeps its users while the emulator runs). */
async function ensureUserPool(clients: AwsClients, name: string): Promise<{ id: string; clientId: string }> {
  const id =
    (await findUserPoolId(clients.cognito, name)) ??
    (
      await clients.cognito.send(
        new CreateUserPoolCommand({
          PoolName: name,
          UsernameAttributes: ['email'],
          AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
          Policies: {
            PasswordPolicy: {
              MinimumLength: 12,
              RequireLowercase: true,
              RequireUppercase: true,
              RequireNumbers: true,
              RequireSymbols: true,
            },
          },
        }),
      )
    ).UserPool?.Id;
  if (!id) throw new Error(`user pool ${name} could not be created`);
  const existing = await clients.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: id, MaxResults: 60 }));
  const clientId =
    existing.UserPoolClients?.find((c) => c.ClientName === 'portal')?.ClientId ??
    (
      await clients.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: id,
          ClientName: 'portal',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient?.ClientId;
  if (!clientId) throw new Error(`user pool client of ${name} could not be created`);
  return { id, clientId };
}
