import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from './observability.ts';

/**
 * SDK clients, created once per process and reused across invocations. `AWS_ENDPOINT_URL` points
 * every client at an emulator (moto server locally, LocalStack where a user runs it); S3 then
 * needs path-style addressing because emulators do not serve bucket subdomains.
 */

export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly ses: SESClient;
  /** The default event bus: upload-result events (SPEC §15). */
  readonly events: EventBridgeClient;
  readonly secrets: SecretsManagerClient;
  /** The web channel's user pool (SPEC §18). */
  readonly cognito: CognitoIdentityProviderClient;
}

export interface AwsClientOptions {
  /** Emulator endpoint; defaults to `AWS_ENDPOINT_URL`. */
  readonly endpoint?: string;
  readonly region?: string;
}

export function createAwsClients(options: AwsClientOptions = {}, wrap: <T>(client: T) => T = (client) => client): AwsClients {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  // Emulators accept any credentials; supplying dummy ones spares a laptop without an AWS profile.
  const credentials = endpoint && !process.env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'test', secretAccessKey: 'test' } : undefined;
  const common = {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    // The SDK waits on a silent socket forever by default; a connection that stops answering
    // would hold a partner's FIFO group until the queue gives up.
    // These are idle limits, not totals: a long streamed upload keeps its socket busy.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  };
  return {
    s3: wrap(new S3Client({ ...common, forcePathStyle: Boolean(endpoint) })),
    dynamo: DynamoDBDocumentClient.from(wrap(new DynamoDBClient(common)), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sqs: wrap(new SQSClient(common)),
    ses: wrap(new SESClient(common)),
    events: wrap(new EventBridgeClient(common)),
    secrets: wrap(new SecretsManagerClient(common)),
    cognito: wrap(new CognitoIdentityProviderClient(common)),
  };
}

let shared: AwsClients | undefined;

/** The process-wide clients (Lambda reuses them across invocations), traced by X-Ray in Lambda. */
export function awsClients(): AwsClients {
  shared ??= createAwsClients({}, traced);
  return shared;
}
