import { DEFAULT_MAX_ROWS } from '../app/flows/registry.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_TRANSFER_GRACE_SECONDS, type PipelineDeps } from '../app/ingest/pipeline-deps.ts';
import { ENV } from '../../lib/resources.ts';
import { composePipeline } from './compose-pipeline.ts';
import { composeRepositories } from './repositories.ts';
import { awsClients } from '../adapters/aws-clients.ts';
import { numberFromEnv, resourceNamesFromEnv } from './environment.ts';
import { lambdaLog } from '../adapters/observability.ts';
import { stdoutMetrics } from '../adapters/metrics.ts';

/**
 * The upload path's dependencies in Lambda, from the function's environment, once per process,
 * failing fast with the name of any variable the deployment forgot.
 */

let deps: PipelineDeps | undefined;

export function pipelineDepsFromEnv(): PipelineDeps {
  // The ingest function has no employees or credits table; only the processing function reads them.
  deps ??= composePipeline(composeRepositories(awsClients(), resourceNamesFromEnv(['partners', 'uploads'])), {
    log: lambdaLog,
    maxRows: numberFromEnv('MAX_UPLOAD_ROWS', DEFAULT_MAX_ROWS),
    maxUploadBytes: numberFromEnv('MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES),
    transferGraceSeconds: numberFromEnv(ENV.transferGraceSeconds, DEFAULT_TRANSFER_GRACE_SECONDS),
    metrics: stdoutMetrics(),
  });
  return deps;
}

/** Deliveries after which SQS moves a message to its DLQ (the last attempt is this one). */
export function maxReceiveCount(envVar: string, fallback: number): number {
  return numberFromEnv(envVar, fallback);
}
