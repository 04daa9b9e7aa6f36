import { describe, expect, it } from 'vitest';
import {
  EMULATOR_TRANSFORMS,
  emulatorTemplate,
  OUTPUT_MARKER,
  resolveFromOutputs,
  type CfnTemplate,
} from '../support/emulator-template.ts';

// The deploy test's template changes for moto (test/support/emulator-template.ts), on small templates.
const table = {
  Type: 'AWS::DynamoDB::GlobalTable',
  Properties: {
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    Replicas: [
      {
        Region: 'us-east-1',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
      },
    ],
  },
};

describe('emulatorTemplate', () => {
  it('names the emulator limit of every entry', () => {
    // Assess
    for (const entry of EMULATOR_TRANSFORMS) expect(entry.limit.length, entry.types.join()).toBeGreaterThan(40);
  });

  it("turns a GlobalTable into a Table with the replica's key, PITR and deletion protection", () => {
    // Act
    const { template } = emulatorTemplate({ Resources: { Table: table } } as unknown as CfnTemplate);
    // Assess
    expect(template.Resources.Table).toEqual({
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: table.Properties.KeySchema,
        AttributeDefinitions: table.Properties.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, Enabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  it('defers an alarm, resolving its references through outputs of the deployed stack', () => {
    // Prepare
    const alarm = { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [{ Ref: 'Topic' }], Threshold: 1 } };
    // Act
    const { template, deferred } = emulatorTemplate({
      Resources: { Topic: { Type: 'AWS::SNS::Topic' }, Alarm: alarm },
    } as unknown as CfnTemplate);
    const [entry] = deferred;
    if (!entry) throw new Error('expected one deferred entry');
    const key = (entry.properties.AlarmActions as { [OUTPUT_MARKER]: string }[])[0]?.[OUTPUT_MARKER] as string;
    // Assess
    expect(template.Resources.Alarm).toBeUndefined();
    expect(template.Outputs?.[key]).toEqual({ Value: { Ref: 'Topic' } });
    expect(resolveFromOutputs(entry?.properties ?? {}, new Map([[key, 'arn:topic']]))).toEqual({
      AlarmActions: ['arn:topic'],
      Threshold: 1,
    });
  });

  it("points references to the Transfer server at its stand-in's ARN parameter, and refuses other attributes", () => {
    // Prepare
    const server = {
      Type: 'AWS::Transfer::Server',
      Properties: { Protocols: ['SFTP'], StructuredLogDestinations: [{ 'Fn::GetAtt': ['Logs', 'Arn'] }] },
    };
    const outputs = { Id: { Value: { 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'Server' }] }] } } };
    // Act
    const { template, standIns } = emulatorTemplate({ Resources: { Server: server }, Outputs: outputs } as unknown as CfnTemplate);
    const byGetAtt = () =>
      emulatorTemplate({
        Resources: { Server: server },
        Outputs: { Id: { Value: { 'Fn::GetAtt': ['Server', 'ServerId'] } } },
      } as unknown as CfnTemplate);
    // Assess
    expect(standIns).toEqual([expect.objectContaining({ parameter: 'EmulatorServerArn', properties: { Protocols: ['SFTP'] } })]);
    expect(template.Outputs?.Id?.Value).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'EmulatorServerArn' }] }] });
    expect(template.Parameters?.EmulatorServerArn).toMatchObject({ Type: 'String' });
    expect(byGetAtt).toThrow(/stand-in gives only its ARN \(Ref\): list the attribute in STAND_IN_ATTRIBUTES/);
  });

  it("gives a CloudFront distribution's stand-in a parameter for its domain name, which the template's GetAtt then reads", () => {
    // Prepare
    const distribution = { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { Comment: { Ref: 'Api' } } } };
    const outputs = { Url: { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Cdn', 'DomainName'] }]] } } };
    // Act
    const { template, standIns } = emulatorTemplate({
      Resources: { Cdn: distribution, Api: { Type: 'AWS::SQS::Queue' } },
      Outputs: outputs,
    } as unknown as CfnTemplate);
    // Assess
    expect(standIns).toEqual([
      expect.objectContaining({
        parameter: 'EmulatorCdnArn',
        attributeParameters: { DomainName: 'EmulatorCdnDomainName' },
        deferredProperties: { DistributionConfig: { Comment: { [OUTPUT_MARKER]: expect.any(String) } } },
      }),
    ]);
    expect(template.Outputs?.Url?.Value).toEqual({ 'Fn::Join': ['', ['https://', { Ref: 'EmulatorCdnDomainName' }]] });
    expect(template.Parameters?.EmulatorCdnDomainName).toMatchObject({ Type: 'String' });
  });

  it('refuses a reference to a resource whose type moto skips, naming what to do', () => {
    // Prepare
    const topic = { Type: 'AWS::SNS::Topic', Properties: { TopicName: { Ref: 'Identity' } } };
    // Act
    const transform = () =>
      emulatorTemplate({ Resources: { Identity: { Type: 'AWS::SES::EmailIdentity' }, Topic: topic } } as unknown as CfnTemplate);
    // Assess
    expect(transform).toThrow(/Identity is referenced, but moto's CloudFormation skips its type: give the type a standIn entry/);
  });
});
