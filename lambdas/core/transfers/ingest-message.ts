import { z } from 'zod';
import { parseS3Notification, type ObjectCreated } from '../events/s3-event.ts';
import {
  isEventBridgeEnvelope,
  transferEventSchema,
  transferResultOf,
  UnrecognisedTransferEvent,
  type TransferResult,
} from './transfer-events.ts';

/**
 * What the ingest queue carries (SPEC §15): S3 ObjectCreated notifications (an object arrived),
 * upload-result events routed by the EventBridge rule (its transfer completed or failed), and
 * our own delayed "grace period over" messages. Anything else is refused with a reason.
 */

export const transferDeadlineSchema = z.object({
  transferDeadline: z.object({ bucket: z.string().min(1), key: z.string().min(1), uploadId: z.string().min(1) }),
});
export type TransferDeadline = z.infer<typeof transferDeadlineSchema>['transferDeadline'];

export type IngestMessage =
  | { readonly kind: 'objects'; readonly objects: ObjectCreated[] }
  | { readonly kind: 'result'; readonly result: TransferResult }
  | { readonly kind: 'deadline'; readonly deadline: TransferDeadline };

/** A body the ingest handler does not understand; `message` is a reason fit for the log. */
export class UnrecognisedIngestMessage extends Error {
  override readonly name = 'UnrecognisedIngestMessage';
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`)
    .join('; ');
}

export function parseIngestMessage(body: string): IngestMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new UnrecognisedIngestMessage('body is not JSON');
  }
  if (isEventBridgeEnvelope(json)) {
    const event = transferEventSchema.safeParse(json);
    if (!event.success) throw new UnrecognisedIngestMessage(`EventBridge event is not an upload result (${issues(event.error)})`);
    try {
      return { kind: 'result', result: transferResultOf(event.data) };
    } catch (error) {
      if (error instanceof UnrecognisedTransferEvent) throw new UnrecognisedIngestMessage(error.message);
      throw error;
    }
  }
  const deadline = transferDeadlineSchema.safeParse(json);
  if (deadline.success) return { kind: 'deadline', deadline: deadline.data.transferDeadline };
  if (typeof json === 'object' && json !== null && ('Records' in json || 'Event' in json)) {
    try {
      return { kind: 'objects', objects: parseS3Notification(body) };
    } catch (error) {
      if (error instanceof z.ZodError) throw new UnrecognisedIngestMessage(`S3 notification not understood (${issues(error)})`);
      throw error;
    }
  }
  throw new UnrecognisedIngestMessage('neither an S3 notification, an upload-result event nor a transfer deadline');
}
