import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';

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
  readonly secrets: SecretsManagerClient;
}

export interface AwsClientOptions {
  /** Emulator endpoint; defaults to `AWS_ENDPOINT_URL`. */
  readonly endpoint?: string;
  readonly region?: string;
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  // Emulators accept any credentials; supplying dummy ones spares a laptop without an AWS profile.
  const credentials =
    endpoint && !process.env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'test', secretAccessKey: 'test' } : undefined;
  const common = { region, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) };
  return {
    s3: new S3Client({ ...common, forcePathStyle: Boolean(endpoint) }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(common), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sqs: new SQSClient(common),
    ses: new SESClient(common),
    secrets: new SecretsManagerClient(common),
  };
}

let shared: AwsClients | undefined;

/** The process-wide clients (Lambda reuses them across invocations). */
export function awsClients(): AwsClients {
  shared ??= createAwsClients();
  return shared;
}
