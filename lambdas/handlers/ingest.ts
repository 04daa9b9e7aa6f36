import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV, QUEUES } from '../../lib/resources.ts';
import { maxReceiveCount, pipelineDepsFromEnv } from '../adapters/runtime.ts';
import { parseIngestMessage, UnrecognisedIngestMessage, type IngestMessage } from '../domain/ingest-message.ts';
import { instrumented } from '../adapters/observability.ts';
import { ingestObject } from '../ingest/ingest-object.ts';
import type { PipelineDeps } from '../ingest/pipeline-deps.ts';
import { acceptTransferResult, checkTransferDeadline } from '../ingest/transfer-results.ts';

/**
 * The ingest queue's messages → recorded, archived uploads, queued once their transfer completed
 * (SPEC §15): S3 ObjectCreated events record arrivals, upload-result events from the EventBridge
 * rule settle them, delayed deadline messages end those whose result never came. A message of
 * any other shape is refused with its reason in the log, and goes to the DLQ after its retries.
 */
export function createIngestHandler(deps: () => PipelineDeps, maxReceives: number) {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const finalAttempt = Number(record.attributes.ApproximateReceiveCount) >= maxReceives;
    let message: IngestMessage;
    try {
      message = parseIngestMessage(record.body);
    } catch (error) {
      if (error instanceof UnrecognisedIngestMessage) {
        deps().log.error('ingest message refused', { messageId: record.messageId, reason: error.message });
      }
      throw error;
    }
    switch (message.kind) {
      case 'objects':
        for (const object of message.objects) await ingestObject(deps(), object, { finalAttempt });
        return;
      case 'result':
        return acceptTransferResult(deps(), message.result);
      case 'deadline':
        return checkTransferDeadline(deps(), message.deadline);
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
