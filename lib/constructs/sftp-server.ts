import { Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnServer } from 'aws-cdk-lib/aws-transfer';
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
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The partners' SFTP endpoint: a public, SFTP-only Transfer Family server with service-managed
 * users (SSH keys), and the role those users assume. The role reaches every partner tree; the
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

    this.server = new CfnServer(this, 'Server', {
      domain: 'S3',
      endpointType: 'PUBLIC',
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

    this.userRole = this.createUserRole(props, prefix);
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
