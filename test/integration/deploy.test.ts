import { ApiGatewayV2Client, CreateApiCommand, DeleteApiCommand } from '@aws-sdk/client-apigatewayv2';
import {
  CognitoIdentityProviderClient,
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CloudFrontClient,
  CreateDistributionCommand,
  CreateOriginAccessControlCommand,
  DeleteDistributionCommand,
  DeleteOriginAccessControlCommand,
} from '@aws-sdk/client-cloudfront';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  type PutCompositeAlarmCommandInput,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeRuleCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteObjectsCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  PutBucketCorsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  type CORSConfiguration,
  S3Client,
  type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { GetSendQuotaCommand, SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { CreateSecretCommand, DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  CreateServerCommand,
  DeleteServerCommand,
  DescribeServerCommand,
  DescribeUserCommand,
  TransferClient,
  type CreateServerCommandInput,
} from '@aws-sdk/client-transfer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadEnvironmentConfig } from '../../lib/config/environments.ts';
import {
  JOBS,
  jobOutputKey,
  NOTIFICATIONS,
  QUEUES,
  STACK_OUTPUTS,
  TABLES,
  tableOutputKey,
  WEB,
  type JobName,
  type QueueName,
  type TableName,
} from '../../lib/resources.ts';
import { jobCron } from '../../lib/schedules.ts';
import { generateEd25519KeyPair } from '../../local/sftp/host-key.ts';
import { buildApp } from '../cdk/synth-app.ts';
import {
  EMULATOR_DEPLOY_OPTIONS,
  emulatorTemplate,
  resolveFromOutputs,
  SKIPPED_BY_EMULATOR,
  type CfnTemplate,
  type EmulatorTemplate,
  type Json,
} from '../support/emulator-template.ts';

/**
 * The dev stack deployed into the emulator the way an operator deploys it: `cdk bootstrap`, then
 * `cdk deploy` (the CLI pinned in package.json) of the synthesized assembly, assets published to
 * the bootstrap bucket. What moto cannot deploy as synthesized is changed by the entries of
 * test/support/emulator-template.ts, and nowhere else. Then the checks through the SDK, the CLI
 * in stack mode, a second deploy that changes nothing, and the stack's deletion.
 */

const STACK = 'BenefitsExchange-dev';
const config = loadEnvironmentConfig('dev');
const region = config.region;
// S3 virtual-host addressing (the CDK CLI's asset upload) needs a host name, not an IP address.
const endpoint = inject('deployEndpoint').replace('//127.0.0.1', '//localhost');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const aws = { endpoint, region, credentials };
const repoRoot = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const childEnv = {
  ...process.env,
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  CDK_DISABLE_VERSION_CHECK: 'true',
  CI: 'true',
};

const cloudFormation = new CloudFormationClient(aws);
const s3 = new S3Client({ ...aws, forcePathStyle: true });
const dynamo = new DynamoDBClient(aws);
const sqs = new SQSClient(aws);
const lambda = new LambdaClient(aws);
const events = new EventBridgeClient(aws);
const cloudWatch = new CloudWatchClient(aws);
const logs = new CloudWatchLogsClient(aws);
const transfer = new TransferClient(aws);
const secrets = new SecretsManagerClient(aws);
const cognito = new CognitoIdentityProviderClient(aws);
const apis = new ApiGatewayV2Client(aws);
const cloudFront = new CloudFrontClient(aws);
const ses = new SESClient(aws);

const workDir = mkdtempSync(join(tmpdir(), 'bx-deploy-'));
const outdir = join(workDir, 'cdk.out');
let prepared: EmulatorTemplate;
const parameters: string[] = [];
/** The values given for the stand-ins' parameters, to resolve settings the test applies itself. */
const parameterValues = new Map<string, string>();
const standInCleanups: (() => Promise<unknown>)[] = [];
let outputs = new Map<string, string>();
let resources: StackResourceSummary[] = [];
let deployed = false;

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

async function cdk(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run(join(repoRoot, 'node_modules', '.bin', 'cdk'), [...args, '--app', outdir], {
    cwd: workDir,
    env: childEnv,
    maxBuffer: 32 * 1024 * 1024,
  });
  return `${stdout}\n${stderr}`;
}

/** `cdk deploy` with the options the emulator needs (EMULATOR_DEPLOY_OPTIONS). */
const deploy = (): Promise<string> =>
  cdk(
    'deploy',
    STACK,
    ...EMULATOR_DEPLOY_OPTIONS.map((o) => o.option),
    '--require-approval',
    'never',
    '--progress',
    'events',
    ...parameters.flatMap((p) => ['--parameters', p]),
  );

async function describeStack() {
  const out = await cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }));
  return out.Stacks?.[0];
}

async function listResources(): Promise<StackResourceSummary[]> {
  const out = await cloudFormation.send(new ListStackResourcesCommand({ StackName: STACK }));
  return out.StackResourceSummaries ?? [];
}

/** Physical ids of the deployed resources of a type, by logical id. */
function physicalIds(type: string): Map<string, string> {
  return new Map(resources.filter((r) => r.ResourceType === type).map((r) => [r.LogicalResourceId ?? '', r.PhysicalResourceId ?? '']));
}

/** The deployed resource of `type` built by the construct `prefix` (its logical id starts with the construct id). */
function physicalIdOf(type: string, prefix: string): string {
  const matches = [...physicalIds(type)].filter(([logicalId]) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(logicalId));
  if (matches.length !== 1)
    throw new Error(`expected one ${type} named ${prefix}…, found ${matches.map(([id]) => id).join(', ') || 'none'}`);
  return matches[0]?.[1] as string;
}

const queueUrl = (construct: string): string => physicalIdOf('AWS::SQS::Queue', construct);

async function queueAttributes(url: string): Promise<Record<string, string>> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  return out.Attributes ?? {};
}

/** What CloudFormation would have done for the resources moto's CloudFormation does not model. */
async function applyDeferred(): Promise<void> {
  for (const resource of prepared.deferred) {
    const properties = resolveFromOutputs(resource.properties, outputs);
    if (resource.type === 'AWS::CloudWatch::Alarm') {
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `${STACK}-${resource.logicalId}`,
          ...(properties as unknown as Omit<PutMetricAlarmCommandInput, 'AlarmName'>),
        }),
      );
    } else if (resource.type === 'AWS::CloudWatch::CompositeAlarm') {
      await cloudWatch.send(
        new PutCompositeAlarmCommand({
          AlarmName: `${STACK}-${resource.logicalId}`,
          ...(properties as unknown as Omit<PutCompositeAlarmCommandInput, 'AlarmName'>),
        }),
      );
    } else if (resource.type === 'Custom::S3BucketNotifications') {
      await s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: properties.BucketName as string,
          NotificationConfiguration: properties.NotificationConfiguration as NotificationConfiguration,
        }),
      );
    } else {
      throw new Error(`no API stand-in for deferred ${resource.type}`);
    }
  }
  const template = prepared.template.Resources;
  for (const [logicalId, table] of physicalIds('AWS::DynamoDB::Table')) {
    const props = template[logicalId]?.Properties ?? {};
    const pitr = props.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled: boolean } | undefined;
    if (pitr) await dynamo.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: pitr }));
    const ttl = props.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl) await dynamo.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: ttl }));
  }
  for (const [logicalId, bucket] of physicalIds('AWS::S3::Bucket')) {
    const versioning = template[logicalId]?.Properties?.VersioningConfiguration as { Status: 'Enabled' | 'Suspended' } | undefined;
    if (versioning) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: versioning }));
    const cors = template[logicalId]?.Properties?.CorsConfiguration as { CorsRules: Record<string, Json>[] } | undefined;
    if (cors) {
      // The rule names the portal's origin through the distribution's stand-in parameter.
      // (CloudFormation's MaxAge is the API's MaxAgeSeconds.)
      const rules = cors.CorsRules.map(({ AllowedOrigins, MaxAge, ...rule }) => ({
        ...rule,
        ...(MaxAge === undefined ? {} : { MaxAgeSeconds: MaxAge }),
        AllowedOrigins: (AllowedOrigins as Json[]).map(resolveParameters),
      }));
      await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } as unknown as CORSConfiguration }));
    }
  }
}

/** A template value whose only intrinsics are `Fn::Join` and `Ref`s to stand-in parameters, resolved. */
function resolveParameters(value: Json): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, Json>;
  if (typeof node.Ref === 'string' && parameterValues.has(node.Ref)) return parameterValues.get(node.Ref) as string;
  if (Array.isArray(node['Fn::Join'])) {
    const [delimiter, parts] = node['Fn::Join'] as [string, Json[]];
    return parts.map(resolveParameters).join(delimiter);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)} from the stand-ins' parameters`);
}

async function emptyBucket(bucket: string): Promise<void> {
  for (;;) {
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const objects = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key as string,
      VersionId: v.VersionId,
    }));
    if (objects.length === 0) return;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
  }
}

beforeAll(async () => {
  // Synthesize as `cdk synth -c env=dev` does (bundling and cdk-nag included) into our own directory.
  const { app, stack } = buildApp({ env: 'dev', outdir, cfnValidation: false });
  const assembly = app.synth();
  const templateFile = join(assembly.directory, stack.templateFile);
  const synthesized = JSON.parse(readFileSync(templateFile, 'utf8')) as CfnTemplate;
  prepared = emulatorTemplate(synthesized);
  const poolIds = new Map<string, string>();
  writeFileSync(templateFile, JSON.stringify(prepared.template, undefined, 1));

  for (const standIn of prepared.standIns) {
    if (standIn.type === 'AWS::Transfer::Server') {
      const { ServerId } = await transfer.send(new CreateServerCommand(standIn.properties as unknown as CreateServerCommandInput));
      const { Server } = await transfer.send(new DescribeServerCommand({ ServerId }));
      parameters.push(`${standIn.parameter}=${Server?.Arn}`);
      standInCleanups.push(() => transfer.send(new DeleteServerCommand({ ServerId })));
    } else if (standIn.type === 'AWS::SecretsManager::Secret') {
      const { ARN } = await secrets.send(
        new CreateSecretCommand({
          Name: `${STACK}-${standIn.logicalId}`,
          Description: standIn.properties.Description as string | undefined,
          SecretString: '{}',
        }),
      );
      parameters.push(`${standIn.parameter}=${ARN}`);
      standInCleanups.push(() => secrets.send(new DeleteSecretCommand({ SecretId: ARN, ForceDeleteWithoutRecovery: true })));
    } else if (standIn.type === 'AWS::Cognito::UserPool') {
      const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: standIn.properties.UserPoolName as string }));
      const id = UserPool?.Id as string;
      poolIds.set(standIn.logicalId, id);
      parameters.push(`${standIn.parameter}=${id}`);
      standInCleanups.push(() => cognito.send(new DeleteUserPoolCommand({ UserPoolId: id })));
    } else if (standIn.type === 'AWS::Cognito::UserPoolClient') {
      // Its pool is a stand-in made just before (the template lists the pool first).
      const poolRef = (synthesized.Resources[standIn.logicalId]?.Properties?.UserPoolId as { Ref?: string } | undefined)?.Ref ?? '';
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolIds.get(poolRef),
          ClientName: standIn.logicalId,
          ExplicitAuthFlows: standIn.properties.ExplicitAuthFlows as ExplicitAuthFlowsType[],
        }),
      );
      parameters.push(`${standIn.parameter}=${UserPoolClient?.ClientId}`);
    } else if (standIn.type === 'AWS::ApiGatewayV2::Api') {
      const { ApiId } = await apis.send(new CreateApiCommand({ Name: `${STACK}-${standIn.logicalId}`, ProtocolType: 'HTTP' }));
      parameters.push(`${standIn.parameter}=${ApiId}`);
      standInCleanups.push(() => apis.send(new DeleteApiCommand({ ApiId })));
    } else if (standIn.type === 'AWS::CloudFront::OriginAccessControl') {
      const { OriginAccessControl } = await cloudFront.send(
        new CreateOriginAccessControlCommand({
          OriginAccessControlConfig: {
            Name: `${STACK}-${standIn.logicalId}`.slice(0, 64),
            OriginAccessControlOriginType: 's3',
            SigningBehavior: 'always',
            SigningProtocol: 'sigv4',
          },
        }),
      );
      const id = OriginAccessControl?.Id as string;
      parameters.push(`${standIn.parameter}=${id}`, `${standIn.attributeParameters.Id}=${id}`);
      standInCleanups.push(() => cloudFront.send(new DeleteOriginAccessControlCommand({ Id: id })));
    } else if (standIn.type === 'AWS::CloudFront::ResponseHeadersPolicy') {
      parameters.push(`${standIn.parameter}=${STACK}-${standIn.logicalId}`);
    } else if (standIn.type === 'AWS::CloudFront::Distribution') {
      // A minimal distribution: its real configuration holds references only the deployed stack resolves.
      const { Distribution } = await cloudFront.send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: `${STACK}-${standIn.logicalId}-${Date.now()}`,
            Comment: `stand-in for ${standIn.logicalId}`,
            Enabled: true,
            Origins: {
              Quantity: 1,
              Items: [{ Id: 'stand-in', DomainName: 'stand-in.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }],
            },
            DefaultCacheBehavior: { TargetOriginId: 'stand-in', ViewerProtocolPolicy: 'redirect-to-https' },
          },
        }),
      );
      const id = Distribution?.Id as string;
      parameters.push(`${standIn.parameter}=${id}`, `${standIn.attributeParameters.DomainName}=${Distribution?.DomainName}`);
      standInCleanups.push(() => cloudFront.send(new DeleteDistributionCommand({ Id: id, IfMatch: '*' })));
    } else {
      throw new Error(`no API stand-in for ${standIn.type}`);
    }
  }
  for (const parameter of parameters) {
    const [name, ...value] = parameter.split('=');
    parameterValues.set(name as string, value.join('='));
  }
  await cdk('bootstrap');
  await deploy();
  deployed = true;
  const stack_ = await describeStack();
  outputs = new Map((stack_?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  resources = await listResources();
  await applyDeferred();
}, 300_000);

afterAll(async () => {
  // Whatever a failed test left: the stack, the stand-ins.
  if (deployed && (await describeStack().catch(() => undefined))) {
    for (const [, bucket] of physicalIds('AWS::S3::Bucket')) await emptyBucket(bucket).catch(() => undefined);
    await cdk('destroy', STACK, '--force').catch(() => undefined);
  }
  for (const cleanup of standInCleanups) await cleanup().catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true });
}, 120_000);

describe('cdk deploy of the dev stack into the emulator', () => {
  it('reaches CREATE_COMPLETE with every resource of the template, only the types moto skips left unmodelled', async () => {
    // Act
    const stack = await describeStack();
    // Assess
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    const declared = Object.entries(prepared.template.Resources);
    const modelled = declared.filter(([, r]) => !(SKIPPED_BY_EMULATOR as readonly string[]).includes(r.Type));
    const missing = modelled.filter(([id]) => !resources.some((r) => r.LogicalResourceId === id && r.ResourceStatus === 'CREATE_COMPLETE'));
    expect(
      missing.map(([id, r]) => `${id} (${r.Type}): moto's CloudFormation skipped it; add its type to test/support/emulator-template.ts`),
    ).toEqual([]);
    expect(resources.every((r) => r.ResourceStatus === 'CREATE_COMPLETE')).toBe(true);
    expect(resources).toHaveLength(declared.length);
  });

  it("encrypts every bucket as declared, versions the exchange bucket and notifies each prefix's queue", async () => {
    // Prepare
    const bucket = outputs.get(STACK_OUTPUTS.bucketName) as string;
    // Act / Assess: encryption, which moto's CloudFormation applies itself
    for (const [logicalId, name] of physicalIds('AWS::S3::Bucket')) {
      const declared = (
        prepared.template.Resources[logicalId]?.Properties?.BucketEncryption as
          | undefined
          | {
              ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[];
            }
      )?.ServerSideEncryptionConfiguration[0]?.ServerSideEncryptionByDefault.SSEAlgorithm;
      const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: name }));
      expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, logicalId).toBe(
        declared,
      );
    }
    const exchange = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(exchange.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toMatchObject({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: expect.stringContaining(physicalIdOf('AWS::KMS::Key', 'DataKey')),
    });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    const notifications = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    for (const { prefix, queue } of NOTIFICATIONS) {
      const arn = (await queueAttributes(queueUrl(`${pascal(queue)}Queue`))).QueueArn;
      expect(notifications.QueueConfigurations).toContainEqual(
        expect.objectContaining({
          QueueArn: arn,
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
        }),
      );
    }
  });

  it.each(Object.keys(TABLES) as TableName[])('creates the %s table with its keys, KMS encryption, PITR and TTL', async (name) => {
    // Prepare
    const def = TABLES[name];
    const tableName = outputs.get(tableOutputKey(name)) as string;
    // Act
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const backups = await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: tableName }));
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    // Assess
    expect(Table?.KeySchema).toEqual([
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...('sortKey' in def ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.SSEDescription).toMatchObject({
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: expect.stringContaining(physicalIdOf('AWS::KMS::Key', 'DataKey')),
    });
    expect(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('ENABLED');
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('timeToLiveAttribute' in def ? def.timeToLiveAttribute : undefined);
  });

  it.each(Object.keys(QUEUES) as QueueName[])('creates the %s queue, encrypted, with its dead-letter queue', async (name) => {
    // Prepare
    const def = QUEUES[name];
    // Act
    const queue = await queueAttributes(queueUrl(`${pascal(name)}Queue`));
    const dlq = await queueAttributes(queueUrl(`${pascal(name)}DeadLetterQueue`));
    // Assess
    expect(JSON.parse(queue.RedrivePolicy ?? '{}')).toMatchObject({
      deadLetterTargetArn: dlq.QueueArn,
      maxReceiveCount: def.maxReceiveCount,
    });
    expect(Number(queue.VisibilityTimeout)).toBe(def.visibilityTimeoutSeconds);
    expect(queue.KmsMasterKeyId).toBeTruthy();
    expect(dlq.KmsMasterKeyId).toBeTruthy();
    expect(Number(dlq.MessageRetentionPeriod)).toBe(14 * 24 * 3600);
    expect(queue.FifoQueue === 'true').toBe(def.fifo);
    if (def.fifo) expect([queue.QueueArn, dlq.QueueArn].every((arn) => arn?.endsWith('.fifo'))).toBe(true);
  });

  it('schedules every job with its EventBridge rule, and every rule targets a resource of this stack', async () => {
    // Prepare
    const rules = physicalIds('AWS::Events::Rule');
    const ownArns = new Set<string>();
    for (const [, name] of physicalIds('AWS::Lambda::Function')) {
      ownArns.add((await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration?.FunctionArn as string);
    }
    for (const [, url] of physicalIds('AWS::SQS::Queue')) ownArns.add((await queueAttributes(url)).QueueArn as string);
    // Act / Assess
    expect(rules.size).toBeGreaterThanOrEqual(Object.keys(JOBS).length);
    for (const [logicalId, rule] of rules) {
      const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: rule }));
      expect(Targets?.length, logicalId).toBeGreaterThan(0);
      for (const target of Targets ?? []) expect(ownArns, `${logicalId} → ${target.Arn}`).toContain(target.Arn);
    }
    for (const job of Object.keys(JOBS) as JobName[]) {
      const rule = await events.send(new DescribeRuleCommand({ Name: physicalIdOf('AWS::Events::Rule', `${pascal(job)}JobSchedule`) }));
      const cron = jobCron(config.schedules, JOBS[job].schedule);
      expect(rule.ScheduleExpression, job).toBe(`cron(${cron.minute} ${cron.hour} ${cron.day ?? '*'} * ? *)`);
      const fn = await lambda.send(new GetFunctionCommand({ FunctionName: outputs.get(jobOutputKey(job)) }));
      const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
      expect(Targets?.map((t) => t.Arn)).toEqual([fn.Configuration?.FunctionArn]);
    }
  });

  it("runs an SFTP-only, service-managed Transfer server logging into the stack's own log group", async () => {
    // Prepare
    const serverId = outputs.get(STACK_OUTPUTS.sftpServerId) as string;
    const standIn = prepared.standIns.find((s) => s.type === 'AWS::Transfer::Server');
    // Act
    const { Server } = await transfer.send(new DescribeServerCommand({ ServerId: serverId }));
    const logging = resolveFromOutputs(standIn?.deferredProperties ?? {}, outputs).StructuredLogDestinations as string[];
    // Assess
    expect(Server).toMatchObject({
      Protocols: ['SFTP'],
      IdentityProviderType: 'SERVICE_MANAGED',
      EndpointType: 'PUBLIC',
      SecurityPolicyName: config.transferSecurityPolicy,
    });
    expect(outputs.get(STACK_OUTPUTS.sftpEndpoint)).toBe(`${serverId}.server.transfer.${region}.amazonaws.com`);
    const logGroupName = physicalIdOf('AWS::Logs::LogGroup', 'SftpLogs');
    expect(logging).toEqual([expect.stringContaining(`:log-group:${logGroupName}`)]);
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName }));
    expect(logGroups?.[0]?.retentionInDays).toBe(config.logRetentionDays);
  });

  it("alarms the operators' topic on every function's errors and every dead-letter queue", async () => {
    // Prepare
    const topic = outputs.get(STACK_OUTPUTS.alarmTopicArn);
    // Act
    const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${STACK}-` }));
    // Assess
    expect(MetricAlarms.length).toBe(prepared.deferred.filter((d) => d.type === 'AWS::CloudWatch::Alarm').length);
    for (const alarm of MetricAlarms) expect(alarm.AlarmActions, alarm.AlarmName).toEqual([topic]);
    const watched = new Set(MetricAlarms.flatMap((a) => (a.Dimensions ?? []).map((d) => d.Value)));
    const handlers = [...physicalIds('AWS::Lambda::Function')].filter(
      ([id]) => /(Function|JobFunction)[0-9A-F]{8}$/.test(id) && !id.startsWith('Custom') && !id.startsWith('BucketNotifications'),
    );
    for (const [, fn] of handlers) expect(watched, fn).toContain(fn);
    for (const name of Object.keys(QUEUES) as QueueName[]) {
      expect(watched).toContain(
        queueUrl(`${pascal(name)}DeadLetterQueue`)
          .split('/')
          .pop(),
      );
    }
  });

  it("fronts the portal with CloudFront: its configuration resolves to the deployed bucket and API, the exchange bucket admits the portal's origin", async () => {
    // Prepare
    const bucket = outputs.get(STACK_OUTPUTS.bucketName) as string;
    const distribution = prepared.standIns.find((s) => s.type === 'AWS::CloudFront::Distribution');
    const oac = prepared.standIns.find((s) => s.type === 'AWS::CloudFront::OriginAccessControl');
    const api = prepared.standIns.find((s) => s.type === 'AWS::ApiGatewayV2::Api');
    // Act
    const config = resolveFromOutputs(distribution?.deferredProperties ?? {}, outputs).DistributionConfig as {
      Origins: { DomainName: string; OriginAccessControlId?: string }[];
    };
    const cors = await s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    // Assess: the assets come from the stack's portal bucket through the origin access control, the API from the stack's API
    const assetsBucket = physicalIdOf('AWS::S3::Bucket', 'PortalAssets');
    expect(config.Origins).toContainEqual(
      expect.objectContaining({
        DomainName: expect.stringMatching(new RegExp(`^${assetsBucket}\\.s3\\.`)),
        OriginAccessControlId: parameterValues.get(oac?.parameter ?? ''),
      }),
    );
    expect(config.Origins).toContainEqual(
      expect.objectContaining({ DomainName: `${parameterValues.get(api?.parameter ?? '')}.execute-api.${region}.amazonaws.com` }),
    );
    const portalUrl = `https://${parameterValues.get(distribution?.attributeParameters.DomainName ?? '')}`;
    expect(outputs.get(STACK_OUTPUTS.portalUrl)).toBe(portalUrl);
    expect(cors.CORSRules).toEqual([
      expect.objectContaining({
        AllowedOrigins: [portalUrl],
        AllowedMethods: [...WEB.uploadCors.methods],
        MaxAgeSeconds: WEB.uploadCors.maxAgeSeconds,
      }),
    ]);
  });

  it('ships the portal built from source in the cloud assembly: every file index.html loads is in it, nothing from elsewhere', () => {
    // Act
    const built = readdirSync(outdir).filter((name) => name.startsWith('asset.') && existsSync(join(outdir, name, 'index.html')));
    // Assess
    expect(built).toHaveLength(1);
    const dir = join(outdir, built[0] as string);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(loaded.length).toBeGreaterThanOrEqual(2);
    for (const path of loaded) {
      expect(path, 'served from the portal itself').toMatch(/^\/assets\//);
      expect(existsSync(join(dir, path)), path).toBe(true);
    }
  });

  it("partner add --stack creates the partner's Transfer user, with its key and home, invites its admin to the portal, and partner remove deletes both", async () => {
    // Prepare
    const keyFile = join(workDir, 'acme.pub');
    const key = generateEd25519KeyPair('ops@laptop').public;
    writeFileSync(keyFile, `${key}\n`);
    const serverId = outputs.get(STACK_OUTPUTS.sftpServerId) as string;
    const bin = join(repoRoot, 'bin', 'benefits-exchange.mjs');
    const cli = (...args: string[]) => run(process.execPath, [bin, '--stack', STACK, ...args], { cwd: repoRoot, env: childEnv });
    // What the stack's SES identity (skipped by moto) gives on AWS: a sender SES accepts.
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: config.senderEmail }));
    const sentBefore = (await ses.send(new GetSendQuotaCommand({}))).SentLast24Hours ?? 0;
    const userPoolId = outputs.get(STACK_OUTPUTS.userPoolId) as string;
    const portalUser = () =>
      cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'hr@acme.example' })).catch((e: Error) => e);
    // Act
    await cli(
      'partner',
      'add',
      'acme',
      '--entity-type',
      'multi-entity',
      '--company',
      '37211173000169=Acme',
      '--admin-email',
      'hr@acme.example',
      '--ssh-key',
      keyFile,
    );
    const { User } = await transfer.send(new DescribeUserCommand({ ServerId: serverId, UserName: 'acme' }));
    const invited = await portalUser();
    const sentAfter = (await ses.send(new GetSendQuotaCommand({}))).SentLast24Hours ?? 0;
    await cli('partner', 'remove', 'acme');
    const afterRemoveUser = await portalUser();
    const afterRemove = await transfer.send(new DescribeUserCommand({ ServerId: serverId, UserName: 'acme' })).catch((e: Error) => e);
    // Assess
    expect(User).toMatchObject({
      Role: outputs.get(STACK_OUTPUTS.transferUserRoleArn),
      HomeDirectoryType: 'LOGICAL',
      HomeDirectoryMappings: [{ Entry: '/', Target: `/${outputs.get(STACK_OUTPUTS.bucketName)}/partners/acme` }],
    });
    expect(User?.SshPublicKeys?.map((k) => k.SshPublicKeyBody?.trim())).toEqual([key]);
    expect((afterRemove as Error).name).toMatch(/NotFound/);
    // The admin is a portal user with a temporary password, told so by one email from the stack's sender.
    expect(invited).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(sentAfter - sentBefore).toBe(1);
    expect((afterRemoveUser as Error).name).toBe('UserNotFoundException');
  });

  it('deploys again with no change as a no-op', async () => {
    // Prepare
    const before = await describeStack();
    // Act
    const output = await deploy();
    // Assess
    expect(output).toMatch(/no changes/i);
    const after = await describeStack();
    expect(after?.LastUpdatedTime).toEqual(before?.LastUpdatedTime);
    expect(after?.StackStatus).toBe('CREATE_COMPLETE');
  });

  it('destroys the stack and leaves nothing of it behind', async () => {
    // Prepare: what Custom::S3AutoDeleteObjects does on delete (see emulator-template.ts)
    for (const [, bucket] of physicalIds('AWS::S3::Bucket')) await emptyBucket(bucket);
    // Act
    await cdk('destroy', STACK, '--force');
    // Assess
    expect(await describeStack().catch((e: Error) => e.message)).toMatch(/does not exist/);
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    const tables = (await dynamo.send(new ListTablesCommand({}))).TableNames ?? [];
    const queues = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: STACK }))).QueueUrls ?? [];
    const functions = (await lambda.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName) ?? [];
    const rules = (await events.send(new ListRulesCommand({ NamePrefix: STACK }))).Rules ?? [];
    const logGroups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: STACK }))).logGroups ?? [];
    const left = [
      ...[...physicalIds('AWS::S3::Bucket').values()].filter((b) => buckets.includes(b)),
      ...[...physicalIds('AWS::DynamoDB::Table').values()].filter((t) => tables.includes(t)),
      ...queues,
      ...[...physicalIds('AWS::Lambda::Function').values()].filter((f) => functions.includes(f)),
      ...rules.map((r) => r.Name),
      ...logGroups.map((g) => g.logGroupName),
    ];
    expect(left).toEqual([]);
    // The stand-ins for what moto's CloudFormation does not model go with it.
    const alarms = prepared.deferred.filter((d) => d.type.startsWith('AWS::CloudWatch::')).map((d) => `${STACK}-${d.logicalId}`);
    if (alarms.length > 0) await cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: alarms }));
    deployed = false;
  });
});
