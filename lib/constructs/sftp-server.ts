import { Fn, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import {
  CfnEIP,
  FlowLogDestination,
  FlowLogTrafficType,
  IpAddresses,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnHostKey, CfnServer } from 'aws-cdk-lib/aws-transfer';
import { Construct } from 'constructs';
import { iamWildcardResourceFinding } from './exchange-function.ts';

export interface SftpServerProps {
  /** The bucket holding the partner trees. */
  readonly bucket: IBucket;
  /** The key the bucket is encrypted with (SSE-KMS); partner users read and write through it. */
  readonly bucketKey: IKey;
  /**
   * Key prefix of the partner trees inside the bucket, with its trailing slash.
   * @default 'partners/'
   */
  readonly partnersPrefix?: string;
  /** Transfer Family security policy, e.g. 'TransferSecurityPolicy-2024-01'. */
  readonly securityPolicyName: string;
  /** Retention of the server's structured log group. */
  readonly logRetention: RetentionDays;
  /**
   * What happens to the log groups and Elastic IPs when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * `PUBLIC`: Transfer Family's public endpoint. `VPC`: internet-facing in a VPC of its own, one
   * Elastic IP per availability zone, SSH admitted from `allowedCidrs` only.
   * @default { type: 'PUBLIC' }
   */
  readonly endpoint?: { readonly type: 'PUBLIC' } | { readonly type: 'VPC'; readonly allowedCidrs: readonly string[] };
  /**
   * Secrets Manager secret (name or ARN) holding the host private key, imported as the server's
   * only host key. @default - Transfer Family generates one
   */
  readonly hostKeySecret?: string;
}

/**
 * The partners' SFTP endpoint: an SFTP-only Transfer Family server with service-managed users
 * (SSH keys), public or in a VPC behind an allow-list, and the role those users assume. The role reaches every partner tree; the
 * session policy the CLI attaches to each user narrows it to that partner's own folder and to
 * writes in its upload folders (lib/transfer-session-policy.ts).
 */
export class SftpServer extends Construct {
  public readonly server: CfnServer;
  /** The role every partner user is created with (`transfer create-user --role`). */
  public readonly userRole: Role;
  public readonly logGroup: LogGroup;
  public readonly serverId: string;
  /** Host name partners connect to. */
  public readonly endpoint: string;
  /** The Elastic IPs of a `VPC` endpoint (partners may allow-list them); none for `PUBLIC`. */
  public readonly publicAddresses: string[] = [];

  constructor(scope: Construct, id: string, props: SftpServerProps) {
    super(scope, id);
    const prefix = props.partnersPrefix ?? 'partners/';
    if (!prefix.endsWith('/') || prefix.startsWith('/')) {
      throw new Error(`${id}: partnersPrefix must be a relative key prefix ending in '/', got '${prefix}'`);
    }
    if (!/^TransferSecurityPolicy-/.test(props.securityPolicyName)) {
      throw new Error(`${id}: '${props.securityPolicyName}' is not a Transfer Family security policy name`);
    }

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    const endpoint = props.endpoint ?? { type: 'PUBLIC' };
    this.server = new CfnServer(this, 'Server', {
      domain: 'S3',
      endpointType: endpoint.type,
      ...(endpoint.type === 'VPC' ? { endpointDetails: this.createVpcEndpoint(endpoint.allowedCidrs, props) } : {}),
      // An imported host key is the only one: a generated one beside it would be offered too.
      ...(props.hostKeySecret ? { createWithHostKey: false } : {}),
      protocols: ['SFTP'],
      identityProviderType: 'SERVICE_MANAGED',
      securityPolicyName: props.securityPolicyName,
      // S3 has no POSIX attributes; clients (WinSCP, FileZilla) that set mtime or permissions
      // after an upload would otherwise see the whole transfer fail.
      protocolDetails: { setStatOption: 'ENABLE_NO_OP' },
      // Structured JSON logs (logins, uploads, errors) into a log group we own and retain,
      // delivered by the service itself: no logging role to maintain.
      structuredLogDestinations: [this.logGroup.logGroupArn],
    });
    // The id is the last part of the server's ARN (its Ref) rather than `Fn::GetAtt ServerId`: the
    // same value, and an emulator's stand-in for the server (moto models none) need only give its ARN.
    this.serverId = Fn.select(1, Fn.split('/', this.server.ref));
    this.endpoint = `${this.serverId}.server.transfer.${Stack.of(this).region}.amazonaws.com`;
    if (props.hostKeySecret) {
      // A dynamic reference: CloudFormation reads the secret at deploy time, the key never
      // appears in the template. The same key on a replaced server keeps known_hosts valid.
      const hostKey = new CfnHostKey(this, 'HostKey', {
        serverId: this.serverId,
        hostKeyBody: SecretValue.secretsManager(props.hostKeySecret).unsafeUnwrap(),
        description: `Imported from Secrets Manager (${props.hostKeySecret})`,
      });
      // cfn-lint 1.51's resource schemas predate AWS::Transfer::HostKey and the server's
      // CreateWithHostKey, which aws-cdk-lib generates from the current CloudFormation registry.
      hostKey.addMetadata('cfn-lint', { config: { ignore_checks: ['E3006'] } });
      this.server.addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
    }

    this.userRole = this.createUserRole(props, prefix);
  }

  /**
   * The VPC shape of the AWS samples: public subnets only (no NAT), an Elastic IP per subnet, and a
   * security group admitting port 22 from the allowed CIDRs and nothing else.
   */
  private createVpcEndpoint(allowedCidrs: readonly string[], props: SftpServerProps): CfnServer.EndpointDetailsProperty {
    const stack = Stack.of(this);
    if (allowedCidrs.length === 0) {
      throw new Error(
        `${stack.stackName}: the SFTP endpoint is 'VPC' but its allow-list is empty, so no partner could connect. ` +
          `List the partners' source CIDRs in sftpAllowedCidrs (lib/config/environments.ts) or in ` +
          `BX_<ENV>_SFTP_ALLOWED_CIDRS (comma-separated), or set sftpEndpointType to 'PUBLIC'.`,
      );
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr('10.80.0.0/24'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Endpoint', subnetType: SubnetType.PUBLIC, cidrMask: 26 }],
    });
    // Refused connections (a partner outside the allow-list) show up here; accepted sessions are
    // in the server's own structured logs.
    vpc.addFlowLog('FlowLogs', {
      trafficType: FlowLogTrafficType.REJECT,
      destination: FlowLogDestination.toCloudWatchLogs(
        new LogGroup(this, 'FlowLogGroup', { retention: props.logRetention, removalPolicy }),
      ),
    });
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'SFTP endpoint: port 22 from the allowed partner CIDRs only',
      allowAllOutbound: false,
    });
    for (const cidr of allowedCidrs) securityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(22), `SFTP from ${cidr}`);
    const addresses = vpc.publicSubnets.map((_, index) => {
      const address = new CfnEIP(this, `Address${index + 1}`, { domain: 'vpc' });
      // Partners allow-list these addresses in their own firewalls: keep them with the data.
      address.applyRemovalPolicy(removalPolicy);
      return address;
    });
    this.publicAddresses.push(...addresses.map((address) => address.attrPublicIp));
    return {
      vpcId: vpc.vpcId,
      subnetIds: vpc.publicSubnets.map((subnet) => subnet.subnetId),
      addressAllocationIds: addresses.map((address) => address.attrAllocationId),
      securityGroupIds: [securityGroup.securityGroupId],
    };
  }

  private createUserRole(props: SftpServerProps, prefix: string): Role {
    const stack = Stack.of(this);
    const role = new Role(this, 'UserRole', {
      description: 'Assumed by Transfer Family for partner SFTP users; narrowed per user by a session policy',
      assumedBy: new ServicePrincipal('transfer.amazonaws.com', {
        // Confused-deputy guard: only users of this account's servers may assume the role.
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:transfer:${stack.region}:${stack.account}:user/*` },
        },
      }),
    });
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ListPartnerTrees',
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
    const objects = `${props.bucket.bucketArn}/${prefix}*`;
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadWritePartnerObjects',
        effect: Effect.ALLOW,
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [objects],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'UseBucketKey',
        effect: Effect.ALLOW,
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.bucketKey.keyArn],
      }),
    );
    Validations.of(role).acknowledge({
      id: iamWildcardResourceFinding(this, objects),
      reason:
        'Partner folders are created at run time (one per partner, by the CLI); the session policy ' +
        'attached to each Transfer user confines it to partners/{id}/ and to writes in its upload folders.',
    });
    return role;
  }
}
