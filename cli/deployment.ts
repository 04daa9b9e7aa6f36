import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  JOB_NAMES,
  jobOutputKey,
  localResourceNames,
  QUEUE_NAMES,
  queueOutputKeys,
  STACK_OUTPUTS,
  TABLE_NAMES,
  tableOutputKey,
  type JobName,
  type QueueName,
  type SecretName,
  type TableName,
} from '../lib/resources.ts';
import { CliError, oneLine } from './io.ts';

/**
 * Where the CLI's resources are. Local mode needs nothing but the emulator's address; a deployed
 * stack is found through its CloudFormation outputs, so physical names never need to be typed.
 */

/** The resources one CLI run works on. */
export interface Deployment {
  /** API endpoint of an emulator; undefined means real AWS. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  readonly tables: Readonly<Record<TableName, string>>;
  /** Present for a deployed stack only: local mode's SFTP server logs partners in from the table. */
  readonly transfer?: { readonly serverId: string; readonly userRoleArn: string };
  /** The stack the resources came from (`--stack`), for messages. */
  readonly stackName?: string;
  /** A deployed stack's queues and their DLQs (`queues redrive`); local mode finds them by name. */
  readonly queueUrls?: Partial<Readonly<Record<QueueName, { readonly queue: string; readonly deadLetter: string }>>>;
  /** A deployed stack's job functions (`job …` invokes them); local mode runs jobs in process. */
  readonly jobFunctions?: Partial<Readonly<Record<JobName, string>>>;
  /**
   * A deployed stack's web channel (SPEC §18), for the invitations `partner add|update` send;
   * local mode finds its user pool by name. A stack deployed before the portal existed lacks it.
   */
  readonly portal?: { readonly userPoolId: string; readonly url: string; readonly senderEmail: string };
  /** Secret ids (name or ARN); a stack deployed before a secret existed lacks it. */
  readonly secrets?: Partial<Readonly<Record<SecretName, string>>>;
}

/** The global options that choose a deployment. */
export interface DeploymentOptions {
  /** CloudFormation stack name; without it, local mode. */
  readonly stack?: string;
  readonly region?: string;
}

/** The local emulator's default address (SPEC §12). */
export const DEFAULT_LOCAL_ENDPOINT = 'http://127.0.0.1:4566';

const LOCAL_REGION = 'us-east-1';

/** SDK client settings for a deployment: emulators take any credentials, so lend dummy ones. */
export function clientConfig(target: { endpoint?: string; region?: string }): {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
} {
  const dummy = target.endpoint && !process.env.AWS_ACCESS_KEY_ID;
  return {
    ...(target.region ? { region: target.region } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(dummy ? { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } : {}),
  };
}

/**
 * Resolves the deployment the CLI works on.
 *
 * Without `stack`: local mode, at `AWS_ENDPOINT_URL` or {@link DEFAULT_LOCAL_ENDPOINT}, with the
 * names of `localResourceNames(BX_LOCAL_PREFIX ?? 'bx-local')` and no Transfer server.
 *
 * With `stack`: the stack's outputs (DescribeStacks, default credential chain). The region is
 * `region`, else AWS_REGION / AWS_DEFAULT_REGION, else the SDK's profile, then the stack's own
 * `Region` output. `AWS_ENDPOINT_URL` is honoured here too, as the SDK itself does, which is how
 * the tests point a "stack" at moto.
 *
 * @throws CliError (exit 1) when the stack is missing or lacks an output the CLI needs
 */
export async function resolveDeployment(options: DeploymentOptions, env: NodeJS.ProcessEnv = process.env): Promise<Deployment> {
  if (!options.stack) {
    const names = localResourceNames(env.BX_LOCAL_PREFIX || 'bx-local');
    return {
      endpoint: (env.AWS_ENDPOINT_URL || DEFAULT_LOCAL_ENDPOINT).replace(/\/$/, ''),
      region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? LOCAL_REGION,
      bucket: names.bucket,
      tables: names.tables,
      secrets: names.secrets,
    };
  }
  const endpoint = env.AWS_ENDPOINT_URL?.replace(/\/$/, '') || undefined;
  const outputs = await stackOutputs(options.stack, {
    endpoint,
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
  });
  const need = (key: string): string => {
    const value = outputs.get(key);
    if (!value) throw new CliError(`stack ${options.stack} has no output ${key}: is it a benefits-exchange stack?`);
    return value;
  };
  return {
    ...(endpoint ? { endpoint } : {}),
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? need(STACK_OUTPUTS.region),
    bucket: need(STACK_OUTPUTS.bucketName),
    tables: Object.fromEntries(TABLE_NAMES.map((name) => [name, need(tableOutputKey(name))])) as Record<TableName, string>,
    transfer: { serverId: need(STACK_OUTPUTS.sftpServerId), userRoleArn: need(STACK_OUTPUTS.transferUserRoleArn) },
    stackName: options.stack,
    queueUrls: Object.fromEntries(
      QUEUE_NAMES.flatMap((name) => {
        const keys = queueOutputKeys(name);
        const queue = outputs.get(keys.queue);
        const deadLetter = outputs.get(keys.deadLetter);
        return queue && deadLetter ? [[name, { queue, deadLetter }]] : [];
      }),
    ),
    ...portalOf(outputs),
    secrets: outputs.get(STACK_OUTPUTS.providerPgpKeySecretArn)
      ? { providerPgpKey: outputs.get(STACK_OUTPUTS.providerPgpKeySecretArn) as string }
      : {},
    jobFunctions: Object.fromEntries(
      JOB_NAMES.flatMap((name) => {
        const fn = outputs.get(jobOutputKey(name));
        return fn ? [[name, fn]] : [];
      }),
    ),
  };
}

function portalOf(outputs: ReadonlyMap<string, string>): Pick<Deployment, 'portal'> {
  const userPoolId = outputs.get(STACK_OUTPUTS.userPoolId);
  const url = outputs.get(STACK_OUTPUTS.portalUrl);
  const senderEmail = outputs.get(STACK_OUTPUTS.senderEmail);
  return userPoolId && url && senderEmail ? { portal: { userPoolId, url, senderEmail } } : {};
}

async function stackOutputs(stackName: string, target: { endpoint?: string; region?: string }): Promise<Map<string, string>> {
  const cloudFormation = new CloudFormationClient(clientConfig(target));
  try {
    const out = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = out.Stacks?.[0];
    if (!stack) throw new CliError(`stack ${stackName} not found`);
    return new Map((stack.Outputs ?? []).flatMap((o) => (o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [])));
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = (error as Error).message ?? String(error);
    if (/does not exist/i.test(message)) throw new CliError(`stack ${stackName} not found: ${oneLine(message)}`);
    if (/region is missing/i.test(message)) throw new CliError('no AWS region: pass --region or set AWS_REGION');
    throw new CliError(`cannot read stack ${stackName}: ${oneLine(message)}`);
  } finally {
    cloudFormation.destroy();
  }
}
