import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitsExchangeStack } from '../../lib/benefits-exchange-stack.ts';
import { STACK_OUTPUTS, WEB } from '../../lib/resources.ts';
import { logicalId, ref, removeAssembly, synthApp } from './synth-app.ts';

// SPEC §18 on AWS: the portal's user pool, the API function and the HTTP API with its JWT authorizer.
describe('BenefitsExchangeStack (dev): web channel', () => {
  let app: App;
  let stack: BenefitsExchangeStack;
  let template: Template;

  beforeAll(() => {
    ({ app, stack, template } = synthApp({ env: 'dev', bundle: false, cfnValidation: false }));
  });

  afterAll(() => removeAssembly(app));

  const routes = () =>
    Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties as { RouteKey: string; AuthorizationType?: string; AuthorizerId?: unknown },
    );

  it('lets only the invited admins in: no self sign-up, a strong password policy, a public client without a secret', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: ref(stack.web.userPool),
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH']),
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it("checks the pool's tokens on every route but sign-in and the OpenAPI document", () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [ref(stack.web.client)], Issuer: Match.anyValue() },
    });
    const byKey = Object.fromEntries(routes().map((r) => [r.RouteKey, r.AuthorizationType]));
    expect(byKey).toEqual({
      'ANY /api/v1/{proxy+}': 'JWT',
      'POST /api/v1/auth/sign-in': 'NONE',
      'POST /api/v1/auth/new-password': 'NONE',
      'GET /api/v1/openapi.json': 'NONE',
    });
  });

  it('runs the API function like the others (Node 22 on ARM64) with the pool in its environment and only the access it needs', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: WEB.api.timeoutSeconds,
      Environment: {
        Variables: Match.objectLike({
          [WEB.env.userPoolId]: ref(stack.web.userPool),
          [WEB.env.userPoolClientId]: ref(stack.web.client),
        }),
      },
    });
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify(ref(stack.web.function.role))),
    );
    expect(policy).toBeDefined();
    const statements = (policy?.Properties.PolicyDocument.Statement ?? []) as { Action: string | string[] }[];
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).toContain('events:PutEvents');
    expect(actions.some((a) => a.startsWith('cognito-idp:'))).toBe(false);
    expect(actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
  });

  it('logs each request without personal data, throttles, and alarms on server errors', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]?.Properties as {
      AccessLogSettings: { Format: string };
      DefaultRouteSettings: { ThrottlingRateLimit: number };
    };
    expect(Object.keys(JSON.parse(stage.AccessLogSettings.Format))).toEqual([
      'requestId',
      'routeKey',
      'status',
      'latencyMs',
      'integrationError',
    ]);
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xx',
      Namespace: 'AWS/ApiGateway',
      Dimensions: [{ Name: 'ApiId', Value: ref(stack.web.api) }],
    });
  });

  it('names the pool, its client and the API endpoint in the stack outputs', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs[STACK_OUTPUTS.userPoolId]?.Value).toEqual(ref(stack.web.userPool));
    expect(outputs[STACK_OUTPUTS.userPoolClientId]?.Value).toEqual(ref(stack.web.client));
    expect(JSON.stringify(outputs[STACK_OUTPUTS.webApiUrl]?.Value)).toContain(logicalId(stack.web.api));
  });
});
