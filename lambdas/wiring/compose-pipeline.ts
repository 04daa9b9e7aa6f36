import { createProcessors, DEFAULT_MAX_ROWS, type FlowDeps } from '../app/flows/registry.ts';
import type { ProcessorRegistry } from '../app/flows/upload-processor.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_TRANSFER_GRACE_SECONDS, type Log, type PipelineDeps } from '../app/ingest/pipeline-deps.ts';
import type { UploadMetrics } from '../adapters/metrics.ts';
import type { Repositories } from './repositories.ts';

/**
 * The composition root of the upload path (with compose-jobs.ts for the jobs): the one place
 * where adapters are handed to the flows. Lambda (lambdas/wiring/lambda-pipeline.ts), local mode
 * (local/local-pipeline.ts) and the CLI differ only in where their resource names and log lines
 * come from. Apart from the jobs' root so a job's bundle does not carry the upload flows.
 */

export interface PipelineSettings {
  readonly log: Log;
  readonly clock?: () => Date;
  /** SPEC §4 limits. @default 512 MiB and 2,000,000 rows */
  readonly maxUploadBytes?: number;
  readonly maxRows?: number;
  /** How long an arrival waits for its transfer result (SPEC §15). @default 15 minutes */
  readonly transferGraceSeconds?: number;
  /** Counts uploads received and settled (SPEC §17). */
  readonly metrics?: UploadMetrics;
  /** Replaces the flows' processors (tests inject failing or slow ones). */
  readonly processors?: ProcessorRegistry | ((deps: FlowDeps) => ProcessorRegistry);
}

/** What the flows need of the adapters. */
export function flowDeps(repos: Repositories, maxRows = DEFAULT_MAX_ROWS): FlowDeps {
  const { store, employees, uploads, approvals, credits } = repos;
  return { store, employees, uploads, approvals, maxRows, flexben: { credits, history: uploads } };
}

/** The ingest and processing path's dependencies (SQS → ingest → process-upload). */
export function composePipeline(repos: Repositories, settings: PipelineSettings): PipelineDeps {
  const flows = flowDeps(repos, settings.maxRows);
  const given = settings.processors;
  return {
    store: repos.store,
    partners: repos.partners,
    uploads: repos.uploads,
    queue: repos.queue,
    mailer: repos.mailer,
    processors: typeof given === 'function' ? given(flows) : (given ?? createProcessors(flows)),
    log: settings.log,
    metrics: settings.metrics,
    ...(repos.providerKey ? { providerKey: repos.providerKey } : {}),
    clock: settings.clock ?? (() => new Date()),
    limits: { maxUploadBytes: settings.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES },
    transfer: {
      ledger: repos.transferLedger,
      deadlines: repos.transferDeadlines,
      graceSeconds: settings.transferGraceSeconds ?? DEFAULT_TRANSFER_GRACE_SECONDS,
    },
  };
}
