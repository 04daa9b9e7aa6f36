import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitsExchangeStack } from '../../lib/benefits-exchange-stack.ts';
import { loadEnvironmentConfig } from '../../lib/config/environments.ts';
import { BUCKET_LAYOUT, PORTAL_SECURITY_HEADERS, STACK_OUTPUTS, WEB } from '../../lib/resources.ts';
import { logicalId, ref, removeAssembly, synthApp } from './synth-app.ts';

// SPEC §18 on AWS: the portal's assets behind CloudFront, which fronts the API on the same origin.
describe('BenefitsExchangeStack (dev): the portal behind CloudFront', () => {
  let app: App;
  let stack: BenefitsExchangeStack;
  let template: Template;

  beforeAll(() => {
    ({ app, stack, template } = synthApp({ env: 'dev', bundle: false, cfnValidation: false }));
  });

  afterAll(() => removeAssembly(app));

  const distributionConfig = () =>
    Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties?.DistributionConfig as Record<string, unknown>;

  it('serves the private assets bucket through origin access control, HTTPS only, with index.html at the root', () => {
    const config = distributionConfig();
    expect(config).toMatchObject({ DefaultRootObject: 'index.html', Enabled: true, HttpVersion: 'http2and3' });
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    const origins = config.Origins as { DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown }[];
    const s3 = origins.find((o) => o.OriginAccessControlId);
    expect(s3?.DomainName).toEqual({ 'Fn::GetAtt': [logicalId(stack.portal.bucket), 'RegionalDomainName'] });
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    // Only this distribution may read the assets.
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(stack.portal.bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('passes /api/* to the HTTP API uncached, with every viewer header but Host, over TLS 1.2', () => {
    const config = distributionConfig();
    const behaviors = config.CacheBehaviors as Record<string, unknown>[];
    expect(behaviors).toHaveLength(1);
    const api = behaviors[0] as Record<string, unknown>;
    expect(api).toMatchObject({
      PathPattern: '/api/*',
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      // Managed policies: CachingDisabled, AllViewerExceptHostHeader.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
    const origin = (config.Origins as { Id: string; DomainName: unknown; CustomOriginConfig?: unknown }[]).find(
      (o) => o.Id === api.TargetOriginId,
    );
    expect(JSON.stringify(origin?.DomainName)).toContain(logicalId(stack.web.api));
    expect(origin?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });

  it("sends the portal's security headers (the ones local mode sends) on every response, the API's included", () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: PORTAL_SECURITY_HEADERS.strictTransportSecurityMaxAgeSeconds,
            IncludeSubdomains: true,
            Preload: true,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
        CustomHeadersConfig: {
          Items: Object.entries(PORTAL_SECURITY_HEADERS.custom).map(([Header, Value]) => ({ Header, Value, Override: true })),
        },
      }),
    });
    const [policy] = Object.entries(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const csp = JSON.stringify(policy?.[1].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const config = distributionConfig();
    const headersOf = (b: unknown) => (b as { ResponseHeadersPolicyId: unknown }).ResponseHeadersPolicyId;
    expect(headersOf(config.DefaultCacheBehavior)).toEqual({ Ref: policy?.[0] });
    expect(headersOf((config.CacheBehaviors as unknown[])[0])).toEqual({ Ref: policy?.[0] });
  });

  it("lets the portal's origin POST uploads to the exchange bucket (CORS) and expires staged uploads after a day", () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          {
            AllowedMethods: [...WEB.uploadCors.methods],
            AllowedOrigins: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.portal.distribution), 'DomainName'] }]] }],
            AllowedHeaders: ['*'],
            MaxAge: WEB.uploadCors.maxAgeSeconds,
          },
        ],
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          { Id: 'expire-web-staging', Prefix: BUCKET_LAYOUT.webStaging, ExpirationInDays: WEB.stagingRetentionDays, Status: 'Enabled' },
        ]),
      },
    });
  });

  it('logs requests to a bucket of its own, deploys the built portal and invalidates the cache, and outputs the URL', () => {
    expect(distributionConfig().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^PortalRequestLogs/), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: ref(stack.portal.bucket),
      DistributionId: ref(stack.portal.distribution),
      DistributionPaths: ['/*'],
    });
    const outputs = template.findOutputs('*');
    expect(outputs[STACK_OUTPUTS.portalUrl]?.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.portal.distribution), 'DomainName'] }]],
    });
    expect(outputs[STACK_OUTPUTS.senderEmail]?.Value).toBe(loadEnvironmentConfig('dev').senderEmail);
    // Dev runs without the optional WAF.
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });
});

describe('BenefitsExchangeStack (prod): the WAF in front of the portal', () => {
  it('puts a CloudFront web ACL with the managed rule groups and a rate limit per address on the distribution', () => {
    const previous = process.env.BX_PROD_SFTP_ALLOWED_CIDRS;
    process.env.BX_PROD_SFTP_ALLOWED_CIDRS = '203.0.113.0/24';
    try {
      const { app, stack, template } = synthApp({ env: 'prod', bundle: false, cfnValidation: false });
      removeAssembly(app);
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'CLOUDFRONT',
        DefaultAction: { Allow: {} },
        Rules: Match.arrayWith([
          Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
          Match.objectLike({ Name: 'RatePerAddress', Action: { Block: {} } }),
        ]),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::GetAtt': [logicalId(stack.portal.webAcl as never), 'Arn'] } }),
      });
    } finally {
      if (previous === undefined) delete process.env.BX_PROD_SFTP_ALLOWED_CIDRS;
      else process.env.BX_PROD_SFTP_ALLOWED_CIDRS = previous;
    }
  });

  it('is refused outside us-east-1, where CloudFront keeps its web ACLs, with a reason', () => {
    const previous = process.env.CDK_DEFAULT_REGION;
    process.env.CDK_DEFAULT_REGION = 'eu-west-1';
    try {
      expect(() => loadEnvironmentConfig('prod')).toThrow(/portalWaf needs region us-east-1.*set portalWaf to false/);
      expect(loadEnvironmentConfig('staging').portalWaf).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = previous;
    }
  });
});
