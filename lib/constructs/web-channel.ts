import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AccountRecovery, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV, TABLES, type TableName, WEB } from '../resources.ts';
import { ExchangeFunction } from './exchange-function.ts';

/**
 * The web channel on AWS (SPEC §18): the Cognito user pool of the partners' admins, the API
 * function (the same Hono app local mode serves) and an HTTP API in front of it whose JWT
 * authorizer checks the pool's tokens on every route but sign-in and the OpenAPI document; the
 * app checks them again, so local mode and AWS refuse the same requests.
 */
export interface WebChannelProps {
  readonly bucket: IBucket;
  readonly tables: Readonly<Record<TableName, ITableV2>>;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly logLevel: string;
  readonly environmentName: string;
  readonly alarmAction: IAlarmAction;
}

/** Routes anyone may call: how a token is obtained, and what the API is. */
const OPEN_ROUTES: readonly { path: string; method: HttpMethod }[] = [
  { path: '/api/v1/auth/sign-in', method: HttpMethod.POST },
  { path: '/api/v1/auth/new-password', method: HttpMethod.POST },
  { path: '/api/v1/openapi.json', method: HttpMethod.GET },
];

export class WebChannel extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  public readonly api: HttpApi;
  /**
   * The API's host name, built from its id as HttpApi.apiEndpoint would give it but without that
   * attribute (the emulator's stand-in for the API has only an id): the stack's output and
   * CloudFront's `/api/*` origin both use it.
   */
  public readonly apiHost: string;
  public readonly function: ExchangeFunction;

  constructor(scope: Construct, id: string, props: WebChannelProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `benefits-exchange-${props.environmentName}-portal`,
      signInAliases: { email: true },
      selfSignUpEnabled: false,
      // Invitations are our emails with a temporary password (ADR 0700): users are created by the CLI only.
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is offered (TOTP) but not required: the admins of client companies sign in rarely and the portal can do no ' +
          'more than their SFTP account; requiring it is a per-environment decision for later.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus feature plan is billed per active user; users exist only by invitation (no self sign-up), tokens ' +
          'live one hour and the API is throttled, which is what this pool protects.',
      },
    );
    this.client = this.userPool.addClient('Portal', {
      authFlows: { userPassword: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
    });

    this.function = new ExchangeFunction(this, 'ApiFunction', {
      definition: WEB.api,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      logLevel: props.logLevel,
      environment: {
        [ENV.environment]: props.environmentName,
        [WEB.env.userPoolId]: this.userPool.userPoolId,
        [WEB.env.userPoolClientId]: this.client.userPoolClientId,
      },
    });
    for (const [table, access] of Object.entries(WEB.api.tables) as [TableName, 'read' | 'readWrite'][]) {
      this.function.useTable(TABLES[table].envVar, props.tables[table], access);
    }
    this.function.useBucket(ENV.bucket, props.bucket);
    // A confirmed upload is announced as a completed transfer on the default bus (SPEC §15).
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
      }),
    );
    this.function.alarmOnErrors(props.alarmAction);

    const integration = new HttpLambdaIntegration('Api', this.function.function);
    this.api = new HttpApi(this, 'HttpApi', {
      description: `benefits-exchange ${props.environmentName}: the partner portal's JSON API (SPEC §18)`,
      defaultAuthorizer: new HttpUserPoolAuthorizer('PortalUsers', this.userPool, { userPoolClients: [this.client] }),
    });
    this.apiHost = `${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    this.api.addRoutes({ path: '/api/v1/{proxy+}', methods: [HttpMethod.ANY], integration });
    for (const route of OPEN_ROUTES) {
      for (const open of this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration,
        authorizer: new HttpNoneAuthorizer(),
      })) {
        Validations.of(open).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'Sign-in and the OpenAPI document are how a caller gets a token and learns the API: they cannot require one.',
        });
      }
    }
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      // Ids and status only: no path parameters, no addresses of people.
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 100, throttlingRateLimit: 50 };

    new Alarm(this, 'ServerErrorsAlarm', {
      alarmDescription: 'The web API answered 5xx to more than 5 requests in 5 minutes (SPEC §18)',
      metric: this.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(props.alarmAction);
  }
}
