import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { jobDepsFromEnv } from '../adapters/job-runtime.ts';
import { instrumented } from '../adapters/observability.ts';
import { parseS3Notification } from '../domain/s3-event.ts';
import { loadEventFile, type EventLoaderDeps } from '../platform-events/event-loader.ts';

/** S3 ObjectCreated events for internal/platform-events/ (through their queue) → stored events. */
export function createLoadEventsHandler(deps: () => EventLoaderDeps) {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    for (const object of parseS3Notification(record.body)) {
      await loadEventFile(deps(), object.key, object.versionId);
    }
  };
  return async (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { throwOnFullBatchFailure: false });
}

export const handler = instrumented(createLoadEventsHandler(jobDepsFromEnv));
