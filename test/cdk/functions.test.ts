import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitsExchangeStack } from '../../lib/benefits-exchange-stack.ts';
import { loadEnvironmentConfig } from '../../lib/config/environments.ts';
import {
  ENV,
  FUNCTIONS,
  JOB_NAMES,
  jobOutputKey,
  QUEUE_NAMES,
  queueOutputKeys,
  QUEUES,
  SECRETS,
  STACK_OUTPUTS,
  TABLE_NAMES,
  TABLES,
  tableOutputKey,
  type FunctionDefinition,
  type FunctionName,
  type QueueName,
  type TableName,
} from '../../lib/resources.ts';
import { getAtt, logicalId, ref, removeAssembly, synthApp } from './synth-app.ts';

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

describe('BenefitsExchangeStack (dev): functions, alarms, outputs', () => {
  const config = loadEnvironmentConfig('dev');
  let app: App;
  let stack: BenefitsExchangeStack;
  let template: Template;

  beforeAll(() => {
    ({ app, stack, template } = synthApp({ env: 'dev', cfnValidation: false }));
  });

  afterAll(() => removeAssembly(app));

  const resource = (construct: Parameters<typeof logicalId>[0]) => template.toJSON().Resources[logicalId(construct)];

  it.each(FUNCTION_NAMES)('runs %s on nodejs22.x/arm64 with the sizing and variables of its definition', (name) => {
    // Prepare
    const def: FunctionDefinition = FUNCTIONS[name];
    const tableVars = Object.fromEntries((Object.keys(def.tables) as TableName[]).map((t) => [TABLES[t].envVar, ref(stack.tables[t])]));
    const queueVars = Object.fromEntries([...def.sendsTo, def.trigger].map((q) => [QUEUES[q].envVar, ref(stack.queues[q])]));
    const receiveCounts = Object.fromEntries(
      (Object.keys(QUEUES) as QueueName[]).map((q) => [ENV[`${q}MaxReceiveCount`], String(QUEUES[q].maxReceiveCount)]),
    );
    // Act
    const fn = resource(stack.functions[name].function).Properties;
    // Assess
    expect(fn).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: def.timeoutSeconds,
      MemorySize: def.memoryMiB,
      LoggingConfig: { LogGroup: ref(stack.functions[name].logGroup) },
      Environment: {
        Variables: {
          ...tableVars,
          ...queueVars,
          ...receiveCounts,
          [ENV.bucket]: ref(stack.bucket),
          [ENV.senderEmail]: config.senderEmail,
          [ENV.environment]: config.name,
          POWERTOOLS_SERVICE_NAME: 'benefits-exchange',
          // 85% of the function's memory for V8's heap (1,769 MiB → 1,503 MiB), a 4 MiB semi-space.
          NODE_OPTIONS: `--enable-source-maps --max-old-space-size=${Math.floor(def.memoryMiB * 0.85)} --max-semi-space-size=4`,
        },
      },
    });
    expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    expect(resource(stack.functions[name].logGroup).Properties).toEqual({ RetentionInDays: config.logRetentionDays });
  });

  it.each(FUNCTION_NAMES)('bundles %s as ESM with the createRequire banner and a source map', (name) => {
    // Prepare
    // The staged asset directory is named after the hash that also names the uploaded zip.
    const s3Key = resource(stack.functions[name].function).Properties.Code.S3Key as string;
    const assetPath = `asset.${s3Key.replace(/\.zip$/, '')}`;
    // Act
    const bundle = readFileSync(join(app.outdir, assetPath, 'index.mjs'), 'utf8');
    // Assess
    expect(bundle.slice(0, 200)).toContain('createRequire');
    expect(existsSync(join(app.outdir, assetPath, 'index.mjs.map'))).toBe(true);
  });

  it.each(FUNCTION_NAMES)('triggers %s from its queue with its batch size and partial batch failures', (name) => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(stack.functions[name].function),
      EventSourceArn: getAtt(stack.queues[FUNCTIONS[name].trigger]),
      BatchSize: FUNCTIONS[name].batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it.each(FUNCTION_NAMES)('grants %s exactly the table, queue and email access its definition names', (name) => {
    // Prepare
    const def: FunctionDefinition = FUNCTIONS[name];
    const statements = new Capture();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(stack.functions[name].role)],
      PolicyDocument: { Statement: statements },
    });
    const list = statements.asArray() as { Action: string | string[]; Resource: unknown }[];
    // minimizePolicies merges statements with equal actions, so a statement may list several resources.
    const actionsOn = (arn: unknown): string[] =>
      list.filter((s) => [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(arn))).flatMap((s) => [s.Action].flat());
    // Act / Assess
    for (const table of Object.keys(TABLES) as TableName[]) {
      const actions = actionsOn(getAtt(stack.tables[table]));
      const access = (def.tables as Partial<Record<TableName, string>>)[table];
      expect(actions.includes('dynamodb:GetItem')).toBe(access !== undefined);
      expect(actions.includes('dynamodb:PutItem')).toBe(access === 'readWrite');
    }
    for (const queue of Object.keys(QUEUES) as QueueName[]) {
      const actions = actionsOn(getAtt(stack.queues[queue]));
      expect(actions.includes('sqs:SendMessage')).toBe(def.sendsTo.includes(queue));
      expect(actions.includes('sqs:ReceiveMessage')).toBe(def.trigger === queue);
    }
    expect(list.some((s) => [s.Action].flat().includes('ses:SendEmail'))).toBe(def.sendsEmail);
    expect(actionsOn(getAtt(stack.functions[name].logGroup))).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(resource(stack.functions[name].role).Properties).toEqual({
      AssumeRolePolicyDocument: expect.objectContaining({
        Statement: [expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      Description: expect.any(String),
    });
  });

  it('verifies the sender address as an SES identity', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: config.senderEmail });
  });

  it('sends alarms to an encrypted, TLS-only topic with the operators subscribed by email', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: getAtt(stack.key) });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: config.alarmEmail,
      TopicArn: ref(stack.alarmTopic),
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  it.each(Object.keys(QUEUES) as QueueName[])('alarms when a message reaches the %s dead-letter queue', (name) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(stack.deadLetterQueues[name], 'QueueName') }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [ref(stack.alarmTopic)],
    });
  });

  it.each(FUNCTION_NAMES)('alarms on any error of %s', (name) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: ref(stack.functions[name].function) }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [ref(stack.alarmTopic)],
    });
  });

  it('exports every output the CLI reads', () => {
    // Act
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    // Assess
    expect(Object.keys(outputs).sort()).toEqual(
      [
        ...new Set([
          ...Object.values(STACK_OUTPUTS),
          ...TABLE_NAMES.map(tableOutputKey),
          ...JOB_NAMES.map(jobOutputKey),
          ...QUEUE_NAMES.flatMap((q) => Object.values(queueOutputKeys(q))),
          'DashboardName',
        ]),
      ].sort(),
    );
    for (const name of TABLE_NAMES) expect(outputs[tableOutputKey(name)]?.Value).toEqual(ref(stack.tables[name]));
    expect(outputs[STACK_OUTPUTS.sftpEndpoint]?.Value).toEqual({
      'Fn::Join': [
        '',
        [{ 'Fn::Select': [1, { 'Fn::Split': ['/', ref(stack.sftp.server)] }] }, `.server.transfer.${config.region}.amazonaws.com`],
      ],
    });
    expect(outputs[STACK_OUTPUTS.region]?.Value).toBe(config.region);
    expect(outputs[STACK_OUTPUTS.transferUserRoleArn]?.Value).toEqual(getAtt(stack.sftp.userRole));
    expect(outputs[STACK_OUTPUTS.uploadsQueueUrl]?.Value).toEqual(ref(stack.queues.uploads));
    expect(outputs[STACK_OUTPUTS.providerPgpKeySecretArn]?.Value).toEqual(ref(stack.secrets.providerPgpKey));
  });

  it('keeps the provider PGP key in a KMS-encrypted secret that only the decrypting function reads (SPEC §16)', () => {
    // Assess
    expect(resource(stack.secrets.providerPgpKey).Properties).toMatchObject({ KmsKeyId: getAtt(stack.key) });
    for (const name of FUNCTION_NAMES) {
      const def: FunctionDefinition = FUNCTIONS[name];
      const reads = (def.secrets ?? []).includes('providerPgpKey');
      const fn = resource(stack.functions[name].function).Properties;
      expect(fn.Environment.Variables[SECRETS.providerPgpKey.envVar]).toEqual(reads ? ref(stack.secrets.providerPgpKey) : undefined);
      expect(fn.EphemeralStorage).toEqual(def.ephemeralStorageMiB ? { Size: def.ephemeralStorageMiB } : undefined);
      const statements = new Capture();
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [ref(stack.functions[name].role)],
        PolicyDocument: { Statement: statements },
      });
      const onSecret = (statements.asArray() as { Action: string | string[]; Resource: unknown }[]).filter((st) =>
        JSON.stringify(st.Resource).includes(logicalId(stack.secrets.providerPgpKey)),
      );
      expect(onSecret.flatMap((st) => [st.Action].flat()).includes('secretsmanager:GetSecretValue')).toBe(reads);
    }
  });
});
