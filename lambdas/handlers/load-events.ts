import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { instrumented } from '../adapters/observability.ts';
import type { EventLoaderDeps } from '../app/platform-events/event-loader.ts';
import { handleEventFileMessage } from '../app/platform-events/event-message.ts';
import { jobDepsFromEnv } from '../wiring/lambda-jobs.ts';

/** S3 ObjectCreated events for internal/platform-events/ (through their queue) → stored events. */
export function createLoadEventsHandler(deps: () => EventLoaderDeps) {
  const recordHandler = async (record: SQSRecord): Promise<void> =>
    handleEventFileMessage(deps(), record.body, Number(record.attributes.ApproximateReceiveCount));
  return async (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { throwOnFullBatchFailure: false });
}

export const handler = instrumented(createLoadEventsHandler(jobDepsFromEnv));
