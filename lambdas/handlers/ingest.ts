import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV, QUEUES } from '../../lib/resources.ts';
import { maxReceiveCount, pipelineDepsFromEnv } from '../adapters/runtime.ts';
import { instrumented } from '../adapters/observability.ts';
import { parseS3Notification } from '../domain/s3-event.ts';
import { ingestObject } from '../ingest/ingest-object.ts';
import type { PipelineDeps } from '../ingest/pipeline-deps.ts';

/** S3 ObjectCreated events (through the ingest queue) → recorded, archived, queued uploads. */
export function createIngestHandler(deps: () => PipelineDeps, maxReceives: number) {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const finalAttempt = Number(record.attributes.ApproximateReceiveCount) >= maxReceives;
    for (const object of parseS3Notification(record.body)) {
      await ingestObject(deps(), object, { finalAttempt });
    }
  };
  return async (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      throwOnFullBatchFailure: false,
    });
}

export const handler = instrumented(
  createIngestHandler(pipelineDepsFromEnv, maxReceiveCount(ENV.ingestMaxReceiveCount, QUEUES.ingest.maxReceiveCount)),
);
