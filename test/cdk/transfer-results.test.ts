import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitsExchangeStack } from '../../lib/benefits-exchange-stack.ts';
import { loadEnvironmentConfig } from '../../lib/config/environments.ts';
import { ENV } from '../../lib/resources.ts';
import { getAtt, logicalId, ref, removeAssembly, synthApp } from './synth-app.ts';

// SPEC §15: upload-result events reach the ingest queue through one rule (ADR 0100).
describe('BenefitsExchangeStack (dev): transfer results', () => {
  const config = loadEnvironmentConfig('dev');
  let app: App;
  let stack: BenefitsExchangeStack;
  let template: Template;

  beforeAll(() => {
    ({ app, stack, template } = synthApp({ env: 'dev', bundle: false, cfnValidation: false }));
  });

  afterAll(() => removeAssembly(app));

  const transferRule = () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((r) => r.Properties.EventPattern);
    expect(rules).toHaveLength(1);
    return rules[0]?.Properties as { EventPattern: Record<string, unknown>; Targets: Record<string, unknown>[]; State?: string };
  };

  it("matches Transfer's upload results and renames, and announced uploads, for this bucket's partner trees only", () => {
    // Prepare
    const prefix = [{ prefix: { 'Fn::Join': ['', ['/', ref(stack.bucket), '/partners/']] } }];

    // Act
    const { EventPattern } = transferRule();

    // Assess
    expect(EventPattern).toEqual({
      source: ['aws.transfer', 'benefits-exchange.uploads'],
      'detail-type': [
        'SFTP Server File Upload Completed',
        'SFTP Server File Upload Failed',
        'SFTP Server File Rename Completed',
        'File Upload Completed',
        'File Upload Failed',
      ],
      detail: { $or: [{ 'file-path': prefix }, { 'renamed-file-path': prefix }] },
    });
  });

  it('targets the ingest queue, with its dead-letter queue for events EventBridge cannot deliver', () => {
    // Act
    const { Targets } = transferRule();

    // Assess
    expect(Targets).toEqual([
      expect.objectContaining({ Arn: getAtt(stack.queues.ingest), DeadLetterConfig: { Arn: getAtt(stack.deadLetterQueues.ingest) } }),
    ]);
  });

  it('lets EventBridge, from this account only, send to the ingest queue', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(stack.queues.ingest)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('lets EventBridge, from this account only, use the key the queues are encrypted with', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Action: Match.arrayWith(['kms:GenerateDataKey*']),
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('lets the ingest function send its grace-period checks to its own queue, and tells it the grace', () => {
    const fn = template.toJSON().Resources[logicalId(stack.functions.ingest.function)].Properties;
    expect(fn.Environment.Variables[ENV.transferGraceSeconds]).toBe(String(config.transferGraceSeconds));
    expect(config.transferGraceSeconds).toBe(900);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(stack.functions.ingest.role)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: Match.arrayWith([getAtt(stack.queues.ingest)]) }),
        ]),
      },
    });
  });

  it('counts uploads whose result never came from the ingest log, and alarms when it repeats', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: ref(stack.functions.ingest.logGroup),
      FilterPattern: '{ $.message = "transfer result missing" }',
      MetricTransformations: [
        Match.objectLike({ MetricNamespace: 'BenefitsExchange', MetricName: 'TransferResultMissing', MetricValue: '1' }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TransferResultMissing',
      Namespace: 'BenefitsExchange',
      Threshold: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [ref(stack.alarmTopic)],
    });
  });
});
