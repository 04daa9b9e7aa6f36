import { TransferClient } from '@aws-sdk/client-transfer';
import { createAwsClients, type AwsClients } from '../lambdas/adapters/aws-clients.ts';
import { ObjectStore } from '../lambdas/adapters/object-store.ts';
import { PartnerRepo } from '../lambdas/adapters/partner-repo.ts';
import { clientConfig, resolveDeployment, type Deployment, type DeploymentOptions } from './deployment.ts';
import type { CliIo } from './io.ts';

/**
 * What a command action gets: output streams and, on first use, the deployment and its clients.
 * Lazy, so `--help` and argument errors never touch AWS.
 */

/** The clients of one deployment, built on the same adapters the Lambdas use. */
export interface DeploymentClients {
  readonly deployment: Deployment;
  readonly aws: AwsClients;
  readonly partners: PartnerRepo;
  readonly store: ObjectStore;
  /** Only for a deployed stack. */
  readonly transfer?: TransferClient;
}

/** Shared by every action of one CLI run. */
export interface CommandContext {
  readonly io: CliIo;
  /** The global options, as parsed. */
  options(): DeploymentOptions;
  /** The deployment chosen by the global options (resolved once). */
  deployment(): Promise<Deployment>;
  clients(): Promise<DeploymentClients>;
}

/** Builds the clients of a deployment. */
export function deploymentClients(deployment: Deployment): DeploymentClients {
  const target = { endpoint: deployment.endpoint, region: deployment.region };
  const aws = createAwsClients(target);
  return {
    deployment,
    aws,
    partners: new PartnerRepo(aws.dynamo, deployment.tables.partners),
    store: new ObjectStore(aws.s3, deployment.bucket),
    ...(deployment.transfer ? { transfer: new TransferClient(clientConfig(target)) } : {}),
  };
}

/**
 * A context whose deployment comes from `options()` (read when first needed, after commander has
 * parsed the global options). `close()` releases the clients' sockets so the process can exit.
 */
export function createContext(io: CliIo, options: () => DeploymentOptions): CommandContext & { close(): void } {
  let deployment: Promise<Deployment> | undefined;
  let clients: DeploymentClients | undefined;
  const context = {
    io,
    options,
    deployment: () => (deployment ??= resolveDeployment(options())),
    clients: async () => (clients ??= deploymentClients(await context.deployment())),
    close: () => {
      if (!clients) return;
      clients.aws.s3.destroy();
      // The document client's destroy() is a no-op; its handler is the wrapped client's.
      (clients.aws.dynamo.config.requestHandler as { destroy?: () => void }).destroy?.();
      clients.aws.sqs.destroy();
      clients.aws.ses.destroy();
      clients.aws.secrets.destroy();
      clients.transfer?.destroy();
    },
  };
  return context;
}
