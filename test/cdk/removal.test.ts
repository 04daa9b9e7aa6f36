import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { TABLES } from '../../lib/resources.ts';
import { removeAssembly, synthApp } from './synth-app.ts';

// Removal settings only: the Lambda code plays no part, so nothing is bundled.
describe('removal policy per environment', () => {
  it('retains every stateful resource in prod and protects the tables from deletion', () => {
    // Prepare: prod's VPC endpoint needs an allow-list (a documentation range, RFC 5737)
    vi.stubEnv('BX_PROD_SFTP_ALLOWED_CIDRS', '198.51.100.0/24');
    // Act
    const { app, template } = synthApp({ env: 'prod', bundle: false, cfnValidation: false });
    removeAssembly(app);
    vi.unstubAllEnvs();
    // Assess: the Elastic IPs too, which partners may have allow-listed
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable', 'AWS::Logs::LogGroup', 'AWS::EC2::EIP']) {
      const resources = Object.values(template.findResources(type));
      expect(resources.length, type).toBeGreaterThan(0);
      expect(
        resources.map((r) => r.DeletionPolicy),
        type,
      ).toEqual(resources.map(() => 'Retain'));
    }
    template.resourcePropertiesCountIs(
      'AWS::DynamoDB::GlobalTable',
      { Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] },
      Object.keys(TABLES).length,
    );
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('deletes everything with the dev stack, emptying the buckets first', () => {
    // Act
    const { app, template } = synthApp({ env: 'dev', bundle: false, cfnValidation: false });
    removeAssembly(app);
    // Assess
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable', 'AWS::Logs::LogGroup']) {
      const resources = Object.values(template.findResources(type));
      expect(
        resources.map((r) => r.DeletionPolicy),
        type,
      ).toEqual(resources.map(() => 'Delete'));
    }
    // Every bucket: the exchange, its access logs, the portal's assets and CloudFront's request logs.
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 4);
  });
});
