import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BenefitsExchangeStack } from '../../lib/benefits-exchange-stack.ts';
import { loadEnvironmentConfig } from '../../lib/config/environments.ts';
import { logicalId, ref, removeAssembly, synthApp } from './synth-app.ts';

// Documentation ranges (RFC 5737), standing in for partners' egress addresses.
const ALLOWED = ['198.51.100.0/24', '203.0.113.7/32'];

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("SFTP endpoint PUBLIC (dev): Transfer Family's public endpoint", () => {
  let app: App;
  let template: Template;

  beforeAll(() => {
    ({ app, template } = synthApp({ env: 'dev', bundle: false, cfnValidation: false }));
  });

  afterAll(() => removeAssembly(app));

  it('has no VPC, Elastic IP or security group, and lets Transfer Family generate the host key', () => {
    // Assess
    template.hasResourceProperties('AWS::Transfer::Server', {
      EndpointType: 'PUBLIC',
      EndpointDetails: Match.absent(),
      CreateWithHostKey: Match.absent(),
    });
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::EIP', 'AWS::EC2::SecurityGroup', 'AWS::Transfer::HostKey'])
      template.resourceCountIs(type, 0);
    expect(template.toJSON().Outputs.SftpPublicIps).toBeUndefined();
  });
});

describe('SFTP endpoint VPC (prod): internet-facing behind an allow-list', () => {
  let app: App;
  let stack: BenefitsExchangeStack;
  let template: Template;

  beforeAll(() => {
    vi.stubEnv('BX_PROD_SFTP_ALLOWED_CIDRS', ALLOWED.join(','));
    ({ app, stack, template } = synthApp({ env: 'prod', bundle: false, cfnValidation: false }));
    vi.unstubAllEnvs();
  });

  afterAll(() => removeAssembly(app));

  it('is the prod default', () => {
    // Act / Assess
    expect(loadEnvironmentConfig('prod').sftpEndpointType).toBe('VPC');
    expect(loadEnvironmentConfig('staging').sftpEndpointType).toBe('PUBLIC');
    expect(loadEnvironmentConfig('prod').sftpAllowedCidrs).toEqual([]);
  });

  it("puts the server in the VPC's public subnets with one Elastic IP each and its own security group", () => {
    // Prepare
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    const ids = (type: string) => Object.keys(resources).filter((id) => resources[id]?.Type === type);
    const subnets = ids('AWS::EC2::Subnet');
    const addresses = ids('AWS::EC2::EIP');
    const [securityGroup] = ids('AWS::EC2::SecurityGroup');
    // Assess
    expect(addresses).toHaveLength(subnets.length);
    expect(subnets.length).toBeGreaterThanOrEqual(2);
    template.hasResourceProperties('AWS::Transfer::Server', {
      EndpointType: 'VPC',
      EndpointDetails: {
        VpcId: ref(stack.sftp.node.findChild('Vpc')),
        SubnetIds: subnets.map((id) => ({ Ref: id })),
        AddressAllocationIds: addresses.map((id) => ({ 'Fn::GetAtt': [id, 'AllocationId'] })),
        SecurityGroupIds: [{ 'Fn::GetAtt': [securityGroup, 'GroupId'] }],
      },
    });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(template.toJSON().Outputs.SftpPublicIps.Value).toEqual({
      'Fn::Join': [',', addresses.map((id) => ({ 'Fn::GetAtt': [id, 'PublicIp'] }))],
    });
  });

  it('admits port 22 from the allowed CIDRs and nothing else, in or out', () => {
    // Act
    const group = template.toJSON().Resources[logicalId(stack.sftp.node.findChild('SecurityGroup'))].Properties;
    // Assess
    expect(group.SecurityGroupIngress).toEqual(
      ALLOWED.map((cidr) => ({
        CidrIp: cidr,
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        Description: `SFTP from ${cidr}`,
      })),
    );
    // CDK's placeholder that matches no traffic: no egress at all.
    expect(group.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' }),
    ]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('logs refused connections of the VPC', () => {
    // Assess
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceId: ref(stack.sftp.node.findChild('Vpc')),
      ResourceType: 'VPC',
      TrafficType: 'REJECT',
      LogGroupName: ref(stack.sftp.node.findChild('FlowLogGroup')),
    });
  });

  it("imports the host key from Secrets Manager as the server's only key", () => {
    // Assess
    template.hasResourceProperties('AWS::Transfer::Server', { CreateWithHostKey: false });
    template.hasResourceProperties('AWS::Transfer::HostKey', {
      ServerId: { 'Fn::Select': [1, { 'Fn::Split': ['/', ref(stack.sftp.server)] }] },
      HostKeyBody: '{{resolve:secretsmanager:benefits-exchange/prod/sftp-host-key:SecretString:::}}',
    });
  });

  it('fails synthesis with a clear message while the allow-list is empty', () => {
    // Act
    const synth = () => synthApp({ env: 'prod', bundle: false, cfnValidation: false });
    // Assess
    expect(synth).toThrow(/SFTP endpoint is 'VPC' but its allow-list is empty.*sftpAllowedCidrs.*BX_<ENV>_SFTP_ALLOWED_CIDRS/);
  });
});

describe('sftpAllowedCidrs validation', () => {
  it.each([
    ['0.0.0.0/0', /admits every address; use sftpEndpointType 'PUBLIC'/],
    ['198.51.100.0', /not an IPv4 CIDR/],
    ['300.1.1.1/32', /not an IPv4 CIDR/],
    ['2001:db8::/32', /not an IPv4 CIDR/],
  ])('rejects %s', (cidr, message) => {
    // Prepare
    vi.stubEnv('BX_PROD_SFTP_ALLOWED_CIDRS', `198.51.100.0/24,${cidr}`);
    // Act / Assess
    expect(() => loadEnvironmentConfig('prod')).toThrow(message);
  });

  it('takes the list from BX_<ENV>_SFTP_ALLOWED_CIDRS, comma-separated', () => {
    // Prepare
    vi.stubEnv('BX_PROD_SFTP_ALLOWED_CIDRS', ' 198.51.100.0/24 , 203.0.113.7/32 ');
    // Act / Assess
    expect(loadEnvironmentConfig('prod').sftpAllowedCidrs).toEqual(ALLOWED);
  });

  it('refuses an allow-list on a PUBLIC endpoint, which would not apply it', () => {
    // Prepare
    vi.stubEnv('BX_STAGING_SFTP_ALLOWED_CIDRS', ALLOWED.join(','));
    // Act / Assess
    expect(() => loadEnvironmentConfig('staging')).toThrow(/sftpAllowedCidrs is set but sftpEndpointType is 'PUBLIC'/);
  });
});
