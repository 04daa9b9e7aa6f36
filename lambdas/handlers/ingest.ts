import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV, QUEUES } from '../../lib/resources.ts';
import { instrumented } from '../adapters/observability.ts';
import { handleIngestMessage } from '../app/ingest/ingest-message.ts';
import type { PipelineDeps } from '../app/ingest/pipeline-deps.ts';
import { maxReceiveCount, pipelineDepsFromEnv } from '../wiring/lambda-pipeline.ts';

/**
 * The ingest queue's messages → recorded, archived uploads, queued once their transfer completed
 * (SPEC §15; app/ingest/ingest-message.ts). Each record succeeds or fails alone.
 */
export function createIngestHandler(deps: () => PipelineDeps, maxReceives: number) {
  const recordHandler = async (record: SQSRecord): Promise<void> =>
    handleIngestMessage(deps(), record.body, {
      messageId: record.messageId,
      finalAttempt: Number(record.attributes.ApproximateReceiveCount) >= maxReceives,
    });
  return async (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      throwOnFullBatchFailure: false,
    });
}

export const handler = instrumented(
  createIngestHandler(pipelineDepsFromEnv, maxReceiveCount(ENV.ingestMaxReceiveCount, QUEUES.ingest.maxReceiveCount)),
);
