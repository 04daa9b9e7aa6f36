import { EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV, QUEUES } from '../../lib/resources.ts';
import { maxReceiveCount, pipelineDepsFromEnv } from '../adapters/runtime.ts';
import { uploadMessageSchema } from '../adapters/upload-queue.ts';
import type { PipelineDeps } from '../ingest/pipeline-deps.ts';
import { processUpload } from '../ingest/process-upload.ts';

/**
 * Recorded uploads (through the FIFO uploads queue) → the flow that processes them. The FIFO
 * processor stops at the first failure so a later upload of the same partner never overtakes it.
 */
export function createProcessUploadHandler(deps: () => PipelineDeps, maxReceives: number) {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const receives = Number(record.attributes.ApproximateReceiveCount);
    await processUpload(deps(), uploadMessageSchema.parse(JSON.parse(record.body)), {
      number: receives,
      final: receives >= maxReceives,
    });
  };
  return async (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync(), {
      throwOnFullBatchFailure: false,
    });
}

export const handler = createProcessUploadHandler(
  pipelineDepsFromEnv,
  maxReceiveCount(ENV.uploadsMaxReceiveCount, QUEUES.uploads.maxReceiveCount),
);
