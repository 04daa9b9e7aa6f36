import type { App } from 'aws-cdk-lib';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitsExchangeStack } from '../../lib/benefits-exchange-stack.ts';
import { loadEnvironmentConfig } from '../../lib/config/environments.ts';
import { BUCKET_LAYOUT, NOTIFICATIONS, QUEUES, TABLES, type QueueName, type TableDefinition, type TableName } from '../../lib/resources.ts';
import { getAtt, logicalId, ref, removeAssembly, synthApp } from './synth-app.ts';

// Storage, encryption, SFTP and messaging of the dev stack; functions, alarms and outputs are in
// functions.test.ts.
describe('BenefitsExchangeStack (dev): data plane', () => {
  const config = loadEnvironmentConfig('dev');
  let app: App;
  let stack: BenefitsExchangeStack;
  let template: Template;

  beforeAll(() => {
    ({ app, stack, template } = synthApp({ env: 'dev', cfnValidation: false }));
  });

  afterAll(() => removeAssembly(app));

  const props = (construct: Parameters<typeof logicalId>[0]): Record<string, unknown> =>
    template.toJSON().Resources[logicalId(construct)].Properties;

  it('creates one KMS key with rotation on', () => {
    // Prepare / Act: synthesised in beforeAll
    // Assess
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('encrypts, versions and locks down the exchange bucket', () => {
    // Assess
    expect(props(stack.bucket)).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: getAtt(stack.key) } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^AccessLogBucket/) } },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(stack.bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('expires archived uploads and old versions and aborts stale multipart uploads', () => {
    // Prepare
    const rules = new Capture();
    // Act
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: rules },
    });
    // Assess
    expect(rules.asArray()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: BUCKET_LAYOUT.archive, ExpirationInDays: config.archiveRetentionDays, Status: 'Enabled' }),
        expect.objectContaining({
          NoncurrentVersionExpiration: { NoncurrentDays: config.noncurrentVersionRetentionDays },
          Status: 'Enabled',
        }),
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
      ]),
    );
  });

  it('runs a public, SFTP-only, service-managed Transfer server with the configured policy and structured logs', () => {
    // Assess
    template.hasResourceProperties('AWS::Transfer::Server', {
      EndpointType: 'PUBLIC',
      Protocols: ['SFTP'],
      IdentityProviderType: 'SERVICE_MANAGED',
      SecurityPolicyName: config.transferSecurityPolicy,
      ProtocolDetails: { SetStatOption: 'ENABLE_NO_OP' },
      StructuredLogDestinations: [getAtt(stack.sftp.logGroup)],
    });
    expect(props(stack.sftp.logGroup)).toEqual({ RetentionInDays: config.logRetentionDays });
  });

  it('lets partner users list and read/write only under partners/, through the bucket key', () => {
    // Prepare
    const statements = new Capture();
    // Act
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(stack.sftp.userRole)],
      PolicyDocument: { Statement: statements },
    });
    // Assess
    expect(statements.asArray()).toEqual([
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: getAtt(stack.bucket),
        Condition: { StringLike: { 's3:prefix': [`${BUCKET_LAYOUT.partners}*`] } },
      }),
      expect.objectContaining({
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [getAtt(stack.bucket), `/${BUCKET_LAYOUT.partners}*`]] },
      }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: getAtt(stack.key) }),
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'transfer.amazonaws.com' }, Condition: Match.objectLike({}) })],
      },
    });
  });

  it.each(Object.keys(TABLES) as TableName[])('builds the %s table from lib/resources.ts', (name) => {
    // Prepare
    const def: TableDefinition = TABLES[name];
    const keySchema = [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
    ];
    // Act
    const table = props(stack.tables[name]);
    // Assess
    expect(table).toMatchObject({
      KeySchema: keySchema,
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        expect.objectContaining({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { KMSMasterKeyId: getAtt(stack.key) },
        }),
      ],
    });
    expect(table.TimeToLiveSpecification).toEqual(
      def.timeToLiveAttribute ? { AttributeName: def.timeToLiveAttribute, Enabled: true } : undefined,
    );
  });

  it.each(Object.keys(QUEUES) as QueueName[])('builds the %s queue and its dead-letter queue from lib/resources.ts', (name) => {
    // Prepare
    const def = QUEUES[name];
    const fifo = def.fifo ? true : Match.absent();
    // Act
    const queue = props(stack.queues[name]);
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: getAtt(stack.deadLetterQueues[name]), maxReceiveCount: def.maxReceiveCount },
      VisibilityTimeout: def.visibilityTimeoutSeconds,
      KmsMasterKeyId: getAtt(stack.key),
      FifoQueue: fifo,
      ContentBasedDeduplication: def.fifo ? false : Match.absent(),
    });
    // FIFO queues are named after the stack (emulators do not add `.fifo` to generated names).
    expect(queue.QueueName).toBe(def.fifo ? `${stack.stackName}-${name}.fifo` : undefined);
    expect(props(stack.deadLetterQueues[name]).QueueName).toBe(def.fifo ? `${stack.stackName}-${name}-dlq.fifo` : undefined);
    expect(props(stack.deadLetterQueues[name])).toMatchObject({
      KmsMasterKeyId: getAtt(stack.key),
      MessageRetentionPeriod: 14 * 24 * 3600,
      ...(def.fifo ? { FifoQueue: true } : {}),
    });
    for (const q of [stack.queues[name], stack.deadLetterQueues[name]]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(q)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('sends every ObjectCreated event under each notified prefix to its queue (partners/ → ingest)', () => {
    // Prepare
    const expected = NOTIFICATIONS.map(({ prefix, queue }) => ({
      Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
      QueueArn: getAtt(stack.queues[queue]),
    }));
    // Assess
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: ref(stack.bucket),
      NotificationConfiguration: { QueueConfigurations: expected },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(stack.queues.ingest)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnLike: { 'aws:SourceArn': getAtt(stack.bucket) } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 's3.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });

  it('gives no resource a fixed physical name but FIFO queues, named after the stack', () => {
    // Prepare: a literal string is a fixed name; a Ref to a generated name is not
    const nameProperties = [
      'BucketName',
      'TableName',
      'QueueName',
      'FunctionName',
      'RoleName',
      'TopicName',
      'LogGroupName',
      'AlarmName',
      'AliasName',
    ];
    const fifoName = new RegExp(`^${stack.stackName}-\\w+(-dlq)?\\.fifo$`);
    // Act
    const named = Object.entries(template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>)
      .filter(([, r]) => !r.Type.startsWith('Custom::'))
      .flatMap(([id, r]) =>
        nameProperties.filter((p) => typeof r.Properties?.[p] === 'string').map((p) => ({ id, p, value: r.Properties?.[p] })),
      )
      .filter(({ p, value }) => !(p === 'QueueName' && fifoName.test(String(value))))
      .map(({ id, p }) => `${id}.${p}`);
    // Assess
    expect(named).toEqual([]);
  });

  it("orders each function after its role's policy, not after the role its Role property already references", () => {
    // Act
    const resources = template.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>;
    const notifications = Object.values(resources).find((r) => r.Type === 'Custom::S3BucketNotifications');
    // Assess: cfn-lint W3005 (redundant DependsOn) has nothing to report, the needed order stays
    for (const fn of [...Object.values(stack.functions), ...Object.values(stack.jobs)]) {
      const policy = fn.role.node.findChild('DefaultPolicy');
      expect(resources[logicalId(fn.function)]?.DependsOn, fn.node.path).toEqual([logicalId(policy)]);
    }
    expect(notifications?.DependsOn).toEqual(
      expect.arrayContaining([
        logicalId(stack.queues.ingest.node.findChild('Policy')),
        logicalId(stack.queues.platformEvents.node.findChild('Policy')),
      ]),
    );
  });
});
