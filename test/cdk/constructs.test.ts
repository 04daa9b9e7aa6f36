import { App, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { ExchangeFunction } from '../../lib/constructs/exchange-function.ts';
import { SftpServer } from '../../lib/constructs/sftp-server.ts';
import { FUNCTIONS } from '../../lib/resources.ts';

// Bad props fail at construction, before anything is bundled or deployed.
describe('construct prop validation', () => {
  const newStack = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');

  it('rejects a function definition whose timeout exceeds the Lambda maximum', () => {
    // Prepare
    const stack = newStack();
    const definition = { ...FUNCTIONS.ingest, timeoutSeconds: 901 };
    // Act
    const create = () => new ExchangeFunction(stack, 'Fn', { definition, logRetention: RetentionDays.ONE_WEEK });
    // Assess
    expect(create).toThrow(/timeoutSeconds must be 1..900/);
  });

  it('rejects a security policy name that is not a Transfer Family policy', () => {
    // Prepare
    const stack = newStack();
    const bucket = new Bucket(stack, 'Bucket');
    // Act
    const create = () =>
      new SftpServer(stack, 'Sftp', {
        bucket,
        bucketKey: new Key(stack, 'Key'),
        securityPolicyName: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        logRetention: RetentionDays.ONE_WEEK,
      });
    // Assess
    expect(create).toThrow(/not a Transfer Family security policy/);
  });

  it('rejects a partners prefix without its trailing slash', () => {
    // Prepare
    const stack = newStack();
    // Act
    const create = () =>
      new SftpServer(stack, 'Sftp', {
        bucket: new Bucket(stack, 'Bucket'),
        bucketKey: new Key(stack, 'Key'),
        partnersPrefix: 'partners',
        securityPolicyName: 'TransferSecurityPolicy-2024-01',
        logRetention: RetentionDays.ONE_WEEK,
      });
    // Assess
    expect(create).toThrow(/must be a relative key prefix ending in '\/'/);
  });
});
