import { parseIngestMessage, UnrecognisedIngestMessage, type IngestMessage } from '../../core/transfers/ingest-message.ts';
import { ingestObject } from './ingest-object.ts';
import type { PipelineDeps } from './pipeline-deps.ts';
import { acceptTransferResult, checkTransferDeadline } from './transfer-results.ts';

/**
 * One message of the ingest queue (SPEC §15): S3 ObjectCreated events record arrivals,
 * upload-result events settle them, delayed deadline messages end those whose result never came.
 * A message of any other shape is refused with its reason in the log, and rethrown so that it
 * goes to the DLQ after its retries.
 */
export async function handleIngestMessage(
  deps: PipelineDeps,
  body: string,
  delivery: { readonly messageId: string; readonly finalAttempt: boolean },
): Promise<void> {
  let message: IngestMessage;
  try {
    message = parseIngestMessage(body);
  } catch (error) {
    if (error instanceof UnrecognisedIngestMessage)
      deps.log.error('ingest message refused', { messageId: delivery.messageId, reason: error.message });
    throw error;
  }
  switch (message.kind) {
    case 'objects':
      for (const object of message.objects) await ingestObject(deps, object, { finalAttempt: delivery.finalAttempt });
      return;
    case 'result':
      return acceptTransferResult(deps, message.result);
    case 'deadline':
      return checkTransferDeadline(deps, message.deadline);
  }
}
