import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations, DockerImage } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { iamWildcardResourceFinding } from './exchange-function.ts';
import { PORTAL_SECURITY_HEADERS, WEB } from '../resources.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PortalSiteProps {
  /** The web API's host (WebChannel.apiHost); CloudFront sends `/api/*` to it, so portal and API share one origin. */
  readonly apiHost: string;
  /** Server access logs of the portal's buckets go here. */
  readonly accessLogs: IBucket;
  readonly removalPolicy: RemovalPolicy;
  /** Retention of the deployment handler's log group. */
  readonly logRetention: RetentionDays;
  /** Days CloudFront's request logs are kept. */
  readonly logRetentionDays: number;
  /** Put an AWS WAF web ACL (managed rule groups and a per-address rate limit) in front of the portal and API. */
  readonly waf: boolean;
  readonly environmentName: string;
}

/**
 * The portal on AWS (SPEC §18): its built assets in a private bucket that only this distribution
 * reads (origin access control), served over HTTPS with the security headers local mode sends
 * too, and `/api/*` passed through to the HTTP API uncached, Authorization header included.
 */
export class PortalSite extends Construct {
  public readonly bucket: Bucket;
  public readonly distribution: Distribution;
  public readonly webAcl?: CfnWebACL;
  /** `https://<distribution>.cloudfront.net`: the origin the exchange bucket's CORS rule admits. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: PortalSiteProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const autoDeleteObjects = props.removalPolicy === RemovalPolicy.DESTROY;
    this.bucket = new Bucket(this, 'Assets', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'portal-assets/',
      removalPolicy: props.removalPolicy,
      autoDeleteObjects,
    });
    // CloudFront's standard logs are written with object ACLs, so this bucket keeps them enabled.
    const requestLogs = new Bucket(this, 'RequestLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'portal-request-logs/',
      lifecycleRules: [{ id: 'expire-request-logs', expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects,
    });

    const h = PORTAL_SECURITY_HEADERS;
    // connect-src names the region's S3 hosts, not the exchange bucket: the bucket's CORS rule
    // names this distribution, so naming the bucket here would make a dependency cycle.
    const s3Hosts = [`https://*.s3.${stack.region}.${stack.urlSuffix}`, `https://*.s3.${stack.urlSuffix}`];
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `benefits-exchange ${props.environmentName}: the portal's security headers (SPEC §18)`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: h.contentSecurityPolicy(s3Hosts), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(h.strictTransportSecurityMaxAgeSeconds),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption[h.frameOptions], override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: Object.entries(h.custom).map(([header, value]) => ({ header, value, override: true })),
      },
    });

    this.webAcl = props.waf ? this.createWebAcl(props.environmentName) : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `benefits-exchange ${props.environmentName}: partner portal and /api/v1 (SPEC §18)`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: requestLogs,
      logFilePrefix: 'cloudfront/',
      ...(this.webAcl ? { webAclId: this.webAcl.attrArn } : {}),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(props.apiHost, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Everything the viewer sent (the Authorization header above all) but Host, which must be the API's.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: "Partners' admins work from wherever their companies are; the portal's users are invited, not anonymous.",
      },
      ...(this.webAcl
        ? []
        : [
            {
              id: 'AwsSolutions-CFR2',
              reason: 'The WAF web ACL is an environment setting (portalWaf, on in prod); this environment runs without it.',
            },
          ]),
      {
        id: 'AwsSolutions-CFR4',
        reason:
          "Without a custom domain the distribution serves CloudFront's default certificate, whose viewer TLS policy " +
          'CloudFront fixes; viewers are redirected to HTTPS, and CloudFront reaches the API over TLS 1.2 only.',
      },
    );

    new BucketDeployment(this, 'Deploy', {
      sources: [portalAsset()],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      logGroup: new LogGroup(this, 'DeployLogs', {
        retention: props.logRetention,
        removalPolicy: props.removalPolicy,
      }),
    });
    acknowledgeDeploymentHandler(stack);
  }

  private createWebAcl(environmentName: string): CfnWebACL {
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const managed = (name: string, priority: number) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });
    return new CfnWebACL(this, 'WebAcl', {
      name: `benefits-exchange-${environmentName}-portal`,
      description: 'The partner portal and its API: AWS managed rules and a per-address rate limit',
      // CloudFront's web ACLs live in us-east-1; the environment config refuses portalWaf elsewhere.
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('portal'),
      rules: [
        managed('AWSManagedRulesAmazonIpReputationList', 0),
        managed('AWSManagedRulesCommonRuleSet', 1),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
        {
          name: 'RatePerAddress',
          priority: 3,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('RatePerAddress'),
        },
      ],
    });
  }
}

/**
 * BucketDeployment's handler is a per-stack singleton that aws-cdk-lib shapes itself (its
 * runtime, managed policy and the wildcards of its copy and invalidation grants) and that runs
 * only while CloudFormation deploys: its findings are acknowledged one by one, read off its policy.
 */
function acknowledgeDeploymentHandler(stack: Stack): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) return;
  const reason =
    "The CDK-owned deploy-time handler that copies the built portal into its bucket and invalidates CloudFront's cache; " +
    'aws-cdk-lib fixes its role, runtime and grants, and it runs only during CloudFormation deployments.';
  const findings = new Set<string>([
    'AwsSolutions-L1',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  ]);
  for (const policy of handler.node.findAll().filter((c): c is CfnPolicy => c instanceof CfnPolicy)) {
    const document = stack.resolve(policy.policyDocument) as { Statement: { Action: string | string[]; Resource: unknown }[] };
    for (const statement of document.Statement) {
      for (const action of [statement.Action].flat()) if (action.includes('*')) findings.add(`AwsSolutions-IAM5[Action::${action}]`);
      for (const resource of [statement.Resource].flat()) {
        const finding = iamWildcardResourceFinding(stack, resource as string);
        if (finding.includes('*')) findings.add(finding);
      }
    }
  }
  Validations.of(handler).acknowledge(...[...findings].map((id) => ({ id, reason })));
}

/**
 * The built portal as an asset: Vite builds it into CDK's staging folder when the stack is
 * synthesised with bundling (as `cdk deploy` does), so what is deployed is always the source's.
 */
function portalAsset() {
  const source = join(PROJECT_ROOT, WEB.portalSource);
  return Source.asset(source, {
    exclude: ['dist', 'node_modules'],
    bundling: {
      // Never used: local bundling below always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
      local: {
        tryBundle(outputDir: string): boolean {
          execFileSync(
            process.execPath,
            [
              join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
              'build',
              source,
              '--outDir',
              outputDir,
              '--emptyOutDir',
              // Each synthesis builds into its own folder, so parallel ones (the test files) need not wait on Vite's project lock.
              '--bypass-lock',
            ],
            {
              cwd: PROJECT_ROOT,
              stdio: ['ignore', 'ignore', 'inherit'],
            },
          );
          return true;
        },
      },
    },
  });
}
