import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { jobDepsFromEnv } from '../adapters/job-runtime.ts';
import { failureAttributes } from '../domain/error-description.ts';
import { instrumented } from '../adapters/observability.ts';
import { parseS3Notification } from '../domain/s3-event.ts';
import { loadEventFile, type EventLoaderDeps } from '../platform-events/event-loader.ts';

/** S3 ObjectCreated events for internal/platform-events/ (through their queue) → stored events. */
export function createLoadEventsHandler(deps: () => EventLoaderDeps) {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    for (const object of parseS3Notification(record.body)) {
      try {
        await loadEventFile(deps(), object.key, object.versionId);
      } catch (error) {
        // The file's key and version are its id: platform files are ours, their names hold no personal data.
        const ids = { key: object.key, versionId: object.versionId, attempt: Number(record.attributes.ApproximateReceiveCount) };
        deps().log.warn('platform events: file failed', failureAttributes('platformEvents.load', error, ids));
        throw error;
      }
    }
  };
  return async (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { throwOnFullBatchFailure: false });
}

export const handler = instrumented(createLoadEventsHandler(jobDepsFromEnv));
