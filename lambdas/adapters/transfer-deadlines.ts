import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TransferDeadline } from '../core/transfers/ingest-message.ts';

/**
 * The grace period of SPEC §15 as a delayed message to the ingest queue itself: when it comes
 * back, an arrival still without a transfer result is ended as unconfirmed (ADR 0100). SQS
 * delays a message at most 900 s; a longer grace comes back early and is sent on again.
 */
export interface DeadlineQueue {
  schedule(deadline: TransferDeadline, delaySeconds: number): Promise<void>;
}

export class SqsDeadlineQueue implements DeadlineQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async schedule(deadline: TransferDeadline, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ transferDeadline: deadline }),
        DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))),
      }),
    );
  }
}
