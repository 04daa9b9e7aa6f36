import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData, type Alarm, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct, type IConstruct } from 'constructs';
import { LAMBDA_BUNDLE, lambdaNodeFlags } from '../lambda-runtime.ts';
import type { FunctionDefinition } from '../resources.ts';

/** Repository root: entries in lib/resources.ts are relative to it. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The id cdk-nag gives an IAM5 finding about `resource` (a token or literal ARN), so that an
 * acknowledgement can name exactly that finding: cdk-nag v3 has no rule-wide acknowledgement.
 */
export function iamWildcardResourceFinding(scope: IConstruct, resource: string): string {
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
    const value = node as Record<string, unknown>;
    if (Array.isArray(value['Fn::Join'])) {
      const [delimiter, parts] = value['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if (Array.isArray(value['Fn::GetAtt'])) {
      const [logicalId, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(logicalId)}.${flatten(attribute)}>`;
    }
    if (value.Ref !== undefined) return `<${flatten(value.Ref)}>`;
    if (typeof value['Fn::Sub'] === 'string') return flatten(value['Fn::Sub']);
    return JSON.stringify(node);
  };
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/** What the construct reads of a `FUNCTIONS` or `JOBS` entry; `batchSize` only matters to queue consumers. */
export type ExchangeFunctionDefinition = Pick<FunctionDefinition, 'entry' | 'handler' | 'description' | 'timeoutSeconds' | 'memoryMiB'> &
  Partial<Pick<FunctionDefinition, 'batchSize' | 'ephemeralStorageMiB'>>;

export interface ExchangeFunctionProps {
  /** The function's entry in `FUNCTIONS` or `JOBS` (lib/resources.ts): source, handler, timeout, memory. */
  readonly definition: ExchangeFunctionDefinition;
  /** Retention of the function's log group. */
  readonly logRetention: RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Powertools log level (`POWERTOOLS_LOG_LEVEL`).
   * @default 'INFO'
   */
  readonly logLevel?: string;
  /**
   * Powertools service name (`POWERTOOLS_SERVICE_NAME`); Powertools adds the function name to
   * every log line, so one service name covers all handlers.
   * @default 'benefits-exchange'
   */
  readonly serviceName?: string;
  /**
   * Extra environment variables. Variables for the tables, bucket and queues the function uses
   * are added by `useTable`, `useBucket` and `sendsTo`.
   * @default - none
   */
  readonly environment?: Record<string, string>;
}

/**
 * The one Lambda construct of the system: Node.js 22 on ARM64, an ESM bundle built locally by
 * esbuild with source maps, its own log group with retention, a role that starts with nothing but
 * that log group, and Powertools settings. Access is added per resource through the `use*`
 * methods, which also set the matching environment variable so grant and configuration cannot
 * drift apart. Reserved concurrency is deliberately not set (it would cap the FIFO fan-out and
 * eat into the account's unreserved pool).
 */
export class ExchangeFunction extends Construct {
  public readonly function: NodejsFunction;
  /** The execution role; every grant lands in its default policy. */
  public readonly role: Role;
  public readonly logGroup: LogGroup;
  private readonly definition: ExchangeFunctionDefinition;
  private keyGrantAcknowledged = false;

  constructor(scope: Construct, id: string, props: ExchangeFunctionProps) {
    super(scope, id);
    const { definition } = props;
    if (definition.timeoutSeconds < 1 || definition.timeoutSeconds > 900) {
      throw new Error(`${id}: timeoutSeconds must be 1..900, got ${definition.timeoutSeconds}`);
    }
    if (definition.memoryMiB < 128 || definition.memoryMiB > 10_240) {
      throw new Error(`${id}: memoryMiB must be 128..10240, got ${definition.memoryMiB}`);
    }
    this.definition = definition;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // An explicit role instead of the default one: the default attaches the AWS managed
    // AWSLambdaBasicExecutionRole, which may write to every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, definition.entry),
      handler: definition.handler,
      description: definition.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(definition.timeoutSeconds),
      memorySize: definition.memoryMiB,
      ...(definition.ephemeralStorageMiB ? { ephemeralStorageSize: Size.mebibytes(definition.ephemeralStorageMiB) } : {}),
      role: this.role,
      logGroup: this.logGroup,
      // X-Ray for every function (SPEC §17); the handlers' Powertools tracer adds the subsegments.
      tracing: Tracing.ACTIVE,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'benefits-exchange',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: 'BenefitsExchange',
        // Events carry partner file names and keys; never log them wholesale.
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        // Responses and errors may name files of partners: traces keep ids and timings only.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        // The heap is sized from the function's memory here rather than left to the runtime, and
        // the benches start their children with the same flags (lib/lambda-runtime.ts).
        NODE_OPTIONS: lambdaNodeFlags(definition.memoryMiB).join(' '),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner,
        sourceMap: true,
        minify: LAMBDA_BUNDLE.minify,
        keepNames: LAMBDA_BUNDLE.keepNames,
        // Bundle SDK v3 rather than rely on the runtime's copy: the version tested is the one run.
        bundleAwsSDK: true,
        forceDockerBundling: false,
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so CDK grants them on *.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "nodejs22.x is the project's chosen runtime: handlers, local mode and tests are built and " +
        'tested for Node 22 (esbuild target node22); moving to a newer runtime is a deliberate upgrade ' +
        'of runtime and toolchain together, not one cdk-nag should force.',
    });
  }

  /** Triggers the function from `queue`, with the batch size of the definition and partial batch failures. */
  public consumeFrom(queue: IQueue): void {
    this.function.addEventSource(new SqsEventSource(queue, { batchSize: this.definition.batchSize ?? 1, reportBatchItemFailures: true }));
  }

  /** Grants read or read-write data access to `table` and exposes its name as `envVar`. */
  public useTable(envVar: string, table: ITableV2, access: 'read' | 'readWrite'): void {
    if (access === 'read') table.grantReadData(this.role);
    else table.grantReadWriteData(this.role);
    this.function.addEnvironment(envVar, table.tableName);
  }

  /** Grants read-write object access to `bucket` and exposes its name as `envVar`. */
  public useBucket(envVar: string, bucket: IBucket): void {
    bucket.grantReadWrite(this.role);
    this.function.addEnvironment(envVar, bucket.bucketName);
    this.acknowledgeKeyGrant();
    const reason =
      'Handlers read uploads and write status, error and list files anywhere in the partner trees ' +
      'and the archive of this one bucket; keys are only known at run time.';
    Validations.of(this.role).acknowledge(
      { id: iamWildcardResourceFinding(this, `${bucket.bucketArn}/*`), reason },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `CDK's read-write grant on the one exchange bucket (resource-scoped to it). ${reason}`,
      })),
    );
  }

  /** Grants send access to `queue` and exposes its URL as `envVar`. */
  public sendsTo(envVar: string, queue: IQueue): void {
    queue.grantSendMessages(this.role);
    this.function.addEnvironment(envVar, queue.queueUrl);
    this.acknowledgeKeyGrant();
  }

  /** Allows sending email (SES SendEmail/SendRawEmail) from `identity` only. */
  public sendsEmailAs(identity: IEmailIdentity): void {
    identity.grantSendEmail(this.role);
  }

  /** Alarms `action` (the operators' topic) on any error: each one is an upload stuck or retried. */
  public alarmOnErrors(action: IAlarmAction): Alarm {
    const alarm = this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }).createAlarm(this, 'ErrorsAlarm', {
      alarmDescription: `${this.node.id} failed (Errors >= 1 in 5 minutes)`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(action);
    return alarm;
  }

  // Writing to a KMS-encrypted bucket or queue makes CDK grant these two wildcard KMS actions.
  private acknowledgeKeyGrant(): void {
    if (this.keyGrantAcknowledged) return;
    this.keyGrantAcknowledged = true;
    Validations.of(this.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          "Granted by CDK on the stack's one customer-managed key only (the resource is the key ARN): " +
          'writing SSE-KMS objects and encrypted SQS messages needs GenerateDataKey.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        reason:
          "Granted by CDK with bucket and queue write access, on the stack's one customer-managed key " +
          'only (the resource is the key ARN); S3 copies (the archive move) re-encrypt under SSE-KMS.',
      },
    );
  }

  /** Adds an environment variable to the function. */
  public addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }
}
