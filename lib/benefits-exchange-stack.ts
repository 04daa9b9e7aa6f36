import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  HttpMethods,
  BucketEncryption,
  BucketNotificationDestinationType,
  EventType,
  ObjectOwnership,
  type IBucketNotificationDestination,
} from 'aws-cdk-lib/aws-s3';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from './config/environments.ts';
import { ExchangeFunction } from './constructs/exchange-function.ts';
import { WebChannel } from './constructs/web-channel.ts';
import { PortalSite } from './constructs/portal-site.ts';
import { omitImpliedDependsOn } from './constructs/implied-dependencies.ts';
import { SftpServer } from './constructs/sftp-server.ts';
import { OperationsDashboard } from './constructs/operations-dashboard.ts';
import {
  BUCKET_LAYOUT,
  ENV,
  FUNCTIONS,
  JOBS,
  jobOutputKey,
  NOTIFICATIONS,
  QUEUES,
  queueOutputKeys,
  SECRETS,
  STACK_OUTPUTS,
  TABLE_NAMES,
  TABLES,
  tableOutputKey,
  TRANSFER_RESULTS,
  transferResultsPattern,
  WEB,
  type SecretName,
  type FunctionDefinition,
  type FunctionName,
  type JobDefinition,
  type JobName,
  type QueueName,
  type TableDefinition,
  type TableName,
} from './resources.ts';
import { jobCron } from './schedules.ts';
import { RESULT_MISSING_MESSAGE, RESULT_MISSING_METRIC } from '../lambdas/core/transfers/transfer-verdict.ts';

export interface BenefitsExchangeStackProps extends StackProps {
  /** The environment's settings (lib/config/environments.ts). */
  readonly config: EnvironmentConfig;
}

/** Builds one value per key of a definition record (TABLES, QUEUES, FUNCTIONS), keeping the keys typed. */
function mapDefinitions<K extends string, D, R>(defs: Record<K, D>, build: (name: K, def: D) => R): Record<K, R> {
  return Object.fromEntries(Object.entries<D>(defs).map(([name, def]) => [name, build(name as K, def)])) as Record<K, R>;
}

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The whole exchange of one environment: SFTP server → bucket → ingest queue → functions →
 * tables, emails and alarms. Tables, queues and functions are built by iterating over
 * lib/resources.ts, the definition local mode provisions from too.
 */
export class BenefitsExchangeStack extends Stack {
  public readonly key: Key;
  public readonly bucket: Bucket;
  /** Where the buckets' server access logs go. */
  public readonly accessLogs: Bucket;
  public readonly sftp: SftpServer;
  public readonly tables: Record<TableName, TableV2>;
  public readonly queues: Record<QueueName, Queue>;
  public readonly deadLetterQueues: Record<QueueName, Queue>;
  public readonly functions: Record<FunctionName, ExchangeFunction>;
  /** The scheduled jobs' functions (JOBS in lib/resources.ts). */
  public readonly jobs: Record<JobName, ExchangeFunction>;
  /** The partner portal's API and user pool (SPEC §18). */
  public readonly web: WebChannel;
  /** The portal's assets behind CloudFront, which also fronts the API (SPEC §18). */
  public readonly portal: PortalSite;
  public readonly secrets: Record<SecretName, Secret>;
  public readonly alarmTopic: Topic;
  /** The dashboard and the queue-age and error-rate alarms (SPEC §17). */
  public readonly operations: OperationsDashboard;
  public readonly senderIdentity: EmailIdentity;
  private readonly removal: RemovalPolicy;
  private readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: BenefitsExchangeStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.removal = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    // RetentionDays' values are the day counts LogRetentionDays lists.
    this.logRetention = config.logRetentionDays as RetentionDays;

    this.key = new Key(this, 'DataKey', {
      description: `Encrypts the benefits exchange data (${config.name}): bucket, tables, queues, alarm topic`,
      enableKeyRotation: true,
      removalPolicy: this.removal,
    });
    [this.bucket, this.accessLogs] = this.createBucket(config);
    this.sftp = new SftpServer(this, 'Sftp', {
      bucket: this.bucket,
      bucketKey: this.key,
      partnersPrefix: BUCKET_LAYOUT.partners,
      securityPolicyName: config.transferSecurityPolicy,
      logRetention: this.logRetention,
      removalPolicy: this.removal,
      endpoint: config.sftpEndpointType === 'VPC' ? { type: 'VPC', allowedCidrs: config.sftpAllowedCidrs } : { type: 'PUBLIC' },
      ...(config.sftpHostKeySecret ? { hostKeySecret: config.sftpHostKeySecret } : {}),
    });
    this.tables = mapDefinitions(TABLES, (name, def) => this.createTable(name, def));
    this.alarmTopic = this.createAlarmTopic(config);
    [this.queues, this.deadLetterQueues] = this.createQueues();
    this.notifyQueues();
    this.senderIdentity = new EmailIdentity(this, 'SenderIdentity', { identity: Identity.email(config.senderEmail) });
    this.secrets = mapDefinitions(SECRETS, (name, def) => this.createSecret(name, def.description));
    this.functions = mapDefinitions(FUNCTIONS, (name, def) => this.createFunction(name, def, config));
    this.routeTransferResults();
    this.jobs = mapDefinitions(JOBS, (name, def) => this.createJob(name, def, config));
    this.web = new WebChannel(this, 'Web', {
      bucket: this.bucket,
      tables: this.tables,
      logRetention: this.logRetention,
      removalPolicy: this.removal,
      logLevel: config.logLevel,
      environmentName: config.name,
      alarmAction: new SnsAction(this.alarmTopic),
    });
    this.portal = new PortalSite(this, 'Portal', {
      apiHost: this.web.apiHost,
      accessLogs: this.accessLogs,
      removalPolicy: this.removal,
      logRetentionDays: config.accessLogRetentionDays,
      logRetention: this.logRetention,
      waf: config.portalWaf,
      environmentName: config.name,
    });
    // The portal's browser POSTs uploads straight to their presigned URLs in this bucket.
    this.bucket.addCorsRule({
      allowedOrigins: [this.portal.url],
      allowedMethods: WEB.uploadCors.methods.map((m) => HttpMethods[m]),
      allowedHeaders: ['*'],
      maxAge: WEB.uploadCors.maxAgeSeconds,
    });
    this.operations = this.createOperationsDashboard();
    this.createOutputs(config);
    omitImpliedDependsOn(this);
  }

  private createOperationsDashboard(): OperationsDashboard {
    // The alarms made so far (DLQ depth, function errors) appear on the dashboard too.
    const existing = this.node.findAll().filter((c): c is Alarm => c instanceof Alarm);
    const operations = new OperationsDashboard(this, 'Operations', {
      queues: this.queues,
      deadLetterQueues: this.deadLetterQueues,
      functions: { ...this.functions, ...Object.fromEntries(Object.entries(this.jobs).map(([name, fn]) => [`${name}Job`, fn])) },
      otherAlarms: existing,
      alarmAction: new SnsAction(this.alarmTopic),
      // A census of a million people holds its partner's FIFO group for up to two invocations.
      maxMessageAgeSeconds: { uploads: 2 * FUNCTIONS.processUpload.timeoutSeconds },
    });
    new CfnOutput(this, 'DashboardName', { value: operations.dashboard.dashboardName });
    return operations;
  }

  private createBucket(config: EnvironmentConfig): [Bucket, Bucket] {
    const autoDeleteObjects = this.removal === RemovalPolicy.DESTROY;
    // Access-log targets cannot use SSE-KMS, hence S3-managed keys here.
    // cdk-nag's S1 accepts it unlogged because it is a log target (logging it would recurse).
    const accessLogs = new Bucket(this, 'AccessLogBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(config.accessLogRetentionDays) }],
      removalPolicy: this.removal,
      autoDeleteObjects,
    });
    const exchange = new Bucket(this, 'ExchangeBucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'exchange-bucket/',
      lifecycleRules: [
        { id: 'expire-archived-uploads', prefix: BUCKET_LAYOUT.archive, expiration: Duration.days(config.archiveRetentionDays) },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(config.noncurrentVersionRetentionDays),
          // Moving uploads to the archive leaves delete markers behind in the upload folders.
          expiredObjectDeleteMarker: true,
        },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // A web upload waits here only until its preview and confirm (SPEC §18).
        { id: 'expire-web-staging', prefix: BUCKET_LAYOUT.webStaging, expiration: Duration.days(WEB.stagingRetentionDays) },
      ],
      removalPolicy: this.removal,
      autoDeleteObjects,
    });
    return [exchange, accessLogs];
  }

  /**
   * All ObjectCreated events under each NOTIFICATIONS prefix go to its queue: not just PUT, since
   * SFTP renames arrive as copies and big files as multipart uploads. Not through SqsDestination:
   * it grants s3.amazonaws.com the queue's key on condition of the bucket ARN, and the bucket is
   * encrypted with that same key, so key and bucket would reference each other (a CloudFormation
   * cycle). The queue policy keeps the bucket condition; the key statement is limited to the account.
   */
  private notifyQueues(): void {
    const s3 = new ServicePrincipal('s3.amazonaws.com');
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowS3NotificationsIntoEncryptedQueues',
        principals: [s3],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const destinationFor = (queue: Queue): IBucketNotificationDestination => ({
      bind: (_scope, bucket) => {
        queue.addToResourcePolicy(
          new PolicyStatement({
            principals: [s3],
            actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
            resources: [queue.queueArn],
            conditions: { ArnLike: { 'aws:SourceArn': bucket.bucketRef.bucketArn } },
          }),
        );
        // S3 sends a test event when the configuration is applied: the queue policy must exist first
        // (the queue itself is ordered first by the ARN the configuration references).
        return { arn: queue.queueArn, type: BucketNotificationDestinationType.QUEUE, dependencies: [queue.node.findChild('Policy')] };
      },
    });
    for (const { prefix, queue } of NOTIFICATIONS) {
      this.bucket.addEventNotification(EventType.OBJECT_CREATED, destinationFor(this.queues[queue]), { prefix });
    }
    // The handler applying the configuration is a per-stack singleton CDK creates and shapes itself.
    const handler = this.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (handler)
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'Role of the CDK-owned deploy-time handler that applies the bucket notification configuration; ' +
          'aws-cdk-lib fixes its role, and it runs only during CloudFormation deployments.',
      });
  }

  private createQueues(): [Record<QueueName, Queue>, Record<QueueName, Queue>] {
    const secure = { encryption: QueueEncryption.KMS, encryptionMasterKey: this.key, enforceSSL: true, removalPolicy: this.removal };
    const dlqs = mapDefinitions(QUEUES, (name, def) => {
      const dlq = new Queue(this, `${pascal(name)}DeadLetterQueue`, {
        ...secure,
        fifo: def.fifo || undefined,
        queueName: this.fifoQueueName(name, def, '-dlq'),
        retentionPeriod: Duration.days(14),
      });
      // A message here is an object or upload that exhausted its retries: operators must look.
      dlq
        .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })
        .createAlarm(this, `${pascal(name)}DeadLetterAlarm`, {
          alarmDescription: `Messages from the ${name} queue reached its dead-letter queue`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        })
        .addAlarmAction(new SnsAction(this.alarmTopic));
      return dlq;
    });
    const queues = mapDefinitions(
      QUEUES,
      (name, def) =>
        new Queue(this, `${pascal(name)}Queue`, {
          ...secure,
          // FIFO order comes from the message group (partner id); deduplication ids are explicit
          // (one per recorded upload), never a hash of the body.
          ...(def.fifo ? { fifo: true, contentBasedDeduplication: false, queueName: this.fifoQueueName(name, def, '') } : {}),
          visibilityTimeout: Duration.seconds(def.visibilityTimeoutSeconds),
          deadLetterQueue: { queue: dlqs[name], maxReceiveCount: def.maxReceiveCount },
        }),
    );
    return [queues, dlqs];
  }

  /**
   * FIFO queues are named explicitly, `<stack>-<queue>[-dlq].fifo`: emulators' CloudFormation
   * (moto) does not add the `.fifo` AWS appends to a generated name. Derived from the stack name
   * so dev and prod in one account never collide; standard queues keep generated names.
   */
  private fifoQueueName(name: QueueName, def: { readonly fifo: boolean }, suffix: string): string | undefined {
    return def.fifo ? `${this.stackName}-${name}${suffix}.fifo` : undefined;
  }

  private createTable(name: TableName, def: TableDefinition): TableV2 {
    const attribute = (key: TableDefinition['partitionKey']) => ({
      name: key.name,
      type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
    });
    return new TableV2(this, `${pascal(name)}Table`, {
      partitionKey: attribute(def.partitionKey),
      ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
      ...(def.timeToLiveAttribute ? { timeToLiveAttribute: def.timeToLiveAttribute } : {}),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: this.removal === RemovalPolicy.RETAIN,
      removalPolicy: this.removal,
    });
  }

  private createFunction(name: FunctionName, def: FunctionDefinition, config: EnvironmentConfig): ExchangeFunction {
    const maxReceiveCounts = Object.fromEntries(
      (Object.keys(QUEUES) as QueueName[]).map((queue) => [ENV[`${queue}MaxReceiveCount`], String(QUEUES[queue].maxReceiveCount)]),
    );
    const fn = new ExchangeFunction(this, `${pascal(name)}Function`, {
      definition: def,
      logRetention: this.logRetention,
      removalPolicy: this.removal,
      logLevel: config.logLevel,
      environment: {
        [ENV.senderEmail]: config.senderEmail,
        [ENV.environment]: config.name,
        [ENV.transferGraceSeconds]: String(config.transferGraceSeconds),
        ...maxReceiveCounts,
      },
    });
    for (const [table, access] of Object.entries(def.tables) as [TableName, 'read' | 'readWrite'][]) {
      fn.useTable(TABLES[table].envVar, this.tables[table], access);
    }
    fn.useBucket(ENV.bucket, this.bucket);
    for (const queue of def.sendsTo) fn.sendsTo(QUEUES[queue].envVar, this.queues[queue]);
    fn.consumeFrom(this.queues[def.trigger]);
    fn.addEnvironment(QUEUES[def.trigger].envVar, this.queues[def.trigger].queueUrl);
    if (def.sendsEmail) fn.sendsEmailAs(this.senderIdentity);
    for (const secret of def.secrets ?? []) {
      this.secrets[secret].grantRead(fn.role);
      fn.addEnvironment(SECRETS[secret].envVar, this.secrets[secret].secretArn);
    }
    fn.alarmOnErrors(new SnsAction(this.alarmTopic));
    return fn;
  }

  /**
   * SPEC §15: Transfer Family's upload-result events (and those other paths announce) go from the
   * default bus into the ingest queue, whose DLQ and alarm also catch what EventBridge cannot
   * deliver. Arrivals whose result never comes are counted from the ingest log (ADR 0100) and
   * alarmed on when it repeats.
   */
  private routeTransferResults(): void {
    const queue = this.queues[TRANSFER_RESULTS.queue];
    new Rule(this, 'TransferResultsRule', {
      description: TRANSFER_RESULTS.description,
      eventPattern: transferResultsPattern(this.bucket.bucketName),
      targets: [new SqsQueue(queue, { deadLetterQueue: this.deadLetterQueues[TRANSFER_RESULTS.queue] })],
    });
    const ingest = this.functions.ingest;
    const metric = new MetricFilter(this, 'TransferResultMissingMetric', {
      logGroup: ingest.logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', RESULT_MISSING_MESSAGE),
      metricNamespace: 'BenefitsExchange',
      metricName: RESULT_MISSING_METRIC,
      metricValue: '1',
      defaultValue: 0,
    }).metric({ period: Duration.hours(1), statistic: 'Sum' });
    metric
      .createAlarm(this, 'TransferResultMissingAlarm', {
        alarmDescription: 'Uploads ended Interrupted because no transfer result came within the grace period (2 or more in an hour)',
        threshold: 2,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      })
      .addAlarmAction(new SnsAction(this.alarmTopic));
  }

  /**
   * A job's function and the EventBridge rule that runs it on the environment's schedule. The
   * rule sends `{ "scheduled": true }`; the handler then picks the period itself (the current
   * cycle, the 12 months ending today).
   */
  private createJob(name: JobName, def: JobDefinition, config: EnvironmentConfig): ExchangeFunction {
    const fn = new ExchangeFunction(this, `${pascal(name)}JobFunction`, {
      definition: def,
      logRetention: this.logRetention,
      removalPolicy: this.removal,
      logLevel: config.logLevel,
      environment: { [ENV.environment]: config.name },
    });
    for (const [table, access] of Object.entries(def.tables) as [TableName, 'read' | 'readWrite'][]) {
      fn.useTable(TABLES[table].envVar, this.tables[table], access);
    }
    fn.useBucket(ENV.bucket, this.bucket);
    if ('fanOut' in def && def.fanOut) {
      // Its own policy, not the role's default one: the function depends on the default policy,
      // so naming the function's ARN there would be a circular reference.
      new Policy(this, `${pascal(name)}JobFanOutPolicy`, {
        roles: [fn.role],
        statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.function.functionArn] })],
      });
    }
    fn.alarmOnErrors(new SnsAction(this.alarmTopic));
    new Rule(this, `${pascal(name)}JobSchedule`, {
      description: `Runs the ${name} job (${def.description})`,
      schedule: Schedule.cron(jobCron(config.schedules, def.schedule)),
      targets: [new LambdaFunction(fn.function, { event: RuleTargetInput.fromObject({ scheduled: true }), retryAttempts: 2 })],
    });
    return fn;
  }

  /**
   * A plain AWS::SecretsManager::Secret under the stack's key, with a generated placeholder value
   * (CloudFormation needs one); `pgp init` puts the real value in (SPEC §16).
   */
  private createSecret(name: SecretName, description: string): Secret {
    const secret = new Secret(this, `${pascal(name)}Secret`, { description, encryptionKey: this.key, removalPolicy: this.removal });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An OpenPGP key pair cannot be rotated by a rotation Lambda: partners encrypt to its public key, so a new ' +
        'key is a planned change announced to every partner, not a scheduled one.',
    });
    return secret;
  }

  private createAlarmTopic(config: EnvironmentConfig): Topic {
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `Benefits exchange alarms (${config.name})`,
      masterKey: this.key,
      enforceSSL: true,
    });
    topic.addSubscription(new EmailSubscription(config.alarmEmail));
    // CloudWatch publishes alarm notifications into the encrypted topic with this key.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    return topic;
  }

  // Queue outputs follow the STACK_OUTPUTS naming convention (`<queue>QueueUrl`) and every table
  // gets `tableOutputKey(name)`, so a table added to resources.ts needs no stack edit.
  private createOutputs(config: EnvironmentConfig): void {
    const values: Partial<Record<string, string>> = {
      sftpEndpoint: this.sftp.endpoint,
      sftpServerId: this.sftp.serverId,
      bucketName: this.bucket.bucketName,
      transferUserRoleArn: this.sftp.userRole.roleArn,
      alarmTopicArn: this.alarmTopic.topicArn,
      providerPgpKeySecretArn: this.secrets.providerPgpKey.secretArn,
      region: this.region,
      userPoolId: this.web.userPool.userPoolId,
      userPoolClientId: this.web.client.userPoolClientId,
      webApiUrl: `https://${this.web.apiHost}`,
      portalUrl: this.portal.url,
      senderEmail: config.senderEmail,
      ...Object.fromEntries(Object.entries(this.queues).map(([name, queue]) => [`${name}QueueUrl`, queue.queueUrl])),
    };
    for (const [key, outputKey] of Object.entries(STACK_OUTPUTS)) {
      const value = values[key];
      if (value === undefined) {
        throw new Error(`STACK_OUTPUTS.${key} (${outputKey}) matches no resource of the stack`);
      }
      new CfnOutput(this, outputKey, { value });
    }
    if (this.sftp.publicAddresses.length > 0) {
      new CfnOutput(this, 'SftpPublicIps', {
        description: 'Elastic IPs of the SFTP endpoint, for partners who allow-list their destinations',
        value: Fn.join(',', this.sftp.publicAddresses),
      });
    }
    for (const name of TABLE_NAMES) {
      new CfnOutput(this, tableOutputKey(name), { value: this.tables[name].tableName });
    }
    // `queues redrive` finds every queue and its DLQ through these (SPEC §17).
    for (const name of Object.keys(this.queues) as QueueName[]) {
      const keys = queueOutputKeys(name);
      if (!this.node.tryFindChild(keys.queue)) new CfnOutput(this, keys.queue, { value: this.queues[name].queueUrl });
      new CfnOutput(this, keys.deadLetter, { value: this.deadLetterQueues[name].queueUrl });
    }
    for (const [name, job] of Object.entries(this.jobs) as [JobName, ExchangeFunction][]) {
      new CfnOutput(this, jobOutputKey(name), { value: job.function.functionName });
    }
  }
}
