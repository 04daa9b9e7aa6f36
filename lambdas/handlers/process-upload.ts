import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV, FUNCTIONS, QUEUES } from '../../lib/resources.ts';
import { maxReceiveCount, pipelineDepsFromEnv } from '../wiring/lambda-pipeline.ts';
import { instrumented } from '../adapters/observability.ts';
import { uploadMessageSchema } from '../adapters/upload-queue.ts';
import { ContinueLater } from '../app/flows/upload-processor.ts';
import type { PipelineDeps } from '../app/ingest/pipeline-deps.ts';
import { processUpload } from '../app/ingest/process-upload.ts';

/**
 * Recorded uploads (through the FIFO uploads queue) → the flow that processes them. The FIFO
 * processor stops at the first failure so a later upload of the same partner never overtakes it.
 *
 * A failed message comes back when its visibility runs out. An upload that only ran out of time
 * (ContinueLater) is made visible at once, so its next invocation starts without waiting and,
 * the message group being blocked meanwhile, still before the partner's later uploads.
 */

export interface ProcessUploadHandlerOptions {
  /** SQS deliveries before the DLQ: the last one settles a failing upload. */
  readonly maxReceives: number;
  /** Time budget when the caller passes no Lambda context (local mode): the function's timeout. */
  readonly invocationMs?: number;
}

export function createProcessUploadHandler(deps: () => PipelineDeps, options: ProcessUploadHandlerOptions) {
  const invocationMs = options.invocationMs ?? FUNCTIONS.processUpload.timeoutSeconds * 1000;
  return async (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const startedAt = Date.now();
    const remainingMs = context?.getRemainingTimeInMillis
      ? () => context.getRemainingTimeInMillis()
      : () => invocationMs - (Date.now() - startedAt);
    const recordHandler = async (record: SQSRecord): Promise<void> => {
      const receives = Number(record.attributes.ApproximateReceiveCount);
      const message = uploadMessageSchema.parse(JSON.parse(record.body));
      // Every line logged while this upload runs carries its id, whoever logs it.
      deps().log.appendKeys?.({ uploadId: message.uploadId, partnerId: message.partnerId });
      try {
        await processUpload(deps(), message, {
          number: receives,
          final: receives >= options.maxReceives,
          remainingMs,
        });
      } catch (error) {
        if (error instanceof ContinueLater) await deps().queue.redeliverAfter(record.receiptHandle, 0);
        throw error;
      } finally {
        deps().log.removeKeys?.(['uploadId', 'partnerId']);
      }
    };
    return processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync(), {
      throwOnFullBatchFailure: false,
    });
  };
}

export const handler = instrumented(
  createProcessUploadHandler(pipelineDepsFromEnv, {
    maxReceives: maxReceiveCount(ENV.uploadsMaxReceiveCount, QUEUES.uploads.maxReceiveCount),
  }),
);
