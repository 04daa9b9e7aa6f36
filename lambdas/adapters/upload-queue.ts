import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';

/**
 * The FIFO queue between ingest and processing. The message group is the partner, so one
 * partner's uploads are processed one at a time in the order recorded; the deduplication id is
 * the upload, so a repeated ingest does not queue it twice.
 */

export const uploadMessageSchema = z.object({ partnerId: z.string(), seq: z.string(), uploadId: z.string() });
export type UploadMessage = z.infer<typeof uploadMessageSchema>;

export interface UploadQueue {
  enqueue(message: UploadMessage): Promise<void>;
  /** Makes a received message, about to be reported as failed, visible again after `seconds`. */
  redeliverAfter(receiptHandle: string, seconds: number): Promise<void>;
}

export class SqsUploadQueue implements UploadQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: UploadMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageGroupId: message.partnerId,
        MessageDeduplicationId: message.uploadId,
      }),
    );
  }

  async redeliverAfter(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }),
    );
  }
}
