import { createHash } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { localResourceNames, type QueueName } from '../lib/resources.ts';
import type { CommandContext } from './context.ts';
import { CliError } from './io.ts';

/**
 * `queues redrive [ingest|uploads|events]` (SPEC §17): dead-lettered messages back to the queue
 * they came from, counts printed. Receive, send, delete — per message, so a crash midway leaves
 * each message in one queue or (at worst, sent but not yet deleted) in both, never in neither;
 * the handlers are idempotent, so a duplicate costs nothing. SQS's own StartMessageMoveTask does
 * the same on AWS but not in the emulators local mode runs on, so one way serves both.
 */

/** The names operators type, and the queue each means. */
export const REDRIVE_TARGETS = { ingest: 'ingest', uploads: 'uploads', events: 'platformEvents' } as const satisfies Record<
  string,
  QueueName
>;
export type RedriveTarget = keyof typeof REDRIVE_TARGETS;

interface QueuePair {
  readonly queue: string;
  readonly deadLetter: string;
}

async function queuePair(ctx: CommandContext, sqs: SQSClient, name: QueueName): Promise<QueuePair> {
  const deployment = await ctx.deployment();
  if (deployment.stackName) {
    const pair = deployment.queueUrls?.[name];
    if (!pair)
      throw new CliError(
        `stack ${deployment.stackName} has no outputs for the ${name} queue and its DLQ: deploy this version of the stack`,
      );
    return pair;
  }
  const names = localResourceNames(process.env.BX_LOCAL_PREFIX || 'bx-local');
  const url = async (queueName: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl ?? '';
  return { queue: await url(names.queues[name]), deadLetter: await url(names.deadLetterQueues[name]) };
}

/** FIFO needs a group and a fresh deduplication id: the original's may still be in its 5-minute window. */
function fifoFields(message: Message): { MessageGroupId?: string; MessageDeduplicationId?: string } {
  const group = message.Attributes?.MessageGroupId;
  if (!group) return {};
  const dedup = createHash('sha256')
    .update(`${message.MessageId ?? ''}#redrive#${Date.now()}`)
    .digest('hex');
  return { MessageGroupId: group, MessageDeduplicationId: dedup };
}

/** Moves every message of one DLQ back; returns how many. */
export async function redriveQueue(sqs: SQSClient, pair: QueuePair): Promise<number> {
  let moved = 0;
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pair.deadLetter,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return moved;
    for (const message of messages) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: pair.queue,
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes && Object.keys(message.MessageAttributes).length > 0
            ? { MessageAttributes: message.MessageAttributes }
            : {}),
          ...fifoFields(message),
        }),
      );
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: pair.deadLetter,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
    moved += messages.length;
  }
}

export async function redrive(ctx: CommandContext, targets: readonly string[]): Promise<void> {
  const unknown = targets.filter((t) => !(t in REDRIVE_TARGETS));
  if (unknown.length > 0) throw new CliError(`unknown queue ${unknown[0]}: one of ${Object.keys(REDRIVE_TARGETS).join(', ')}`, 2);
  const chosen = (targets.length > 0 ? targets : Object.keys(REDRIVE_TARGETS)) as RedriveTarget[];
  const { aws } = await ctx.clients();
  for (const target of chosen) {
    const name = REDRIVE_TARGETS[target];
    const moved = await redriveQueue(aws.sqs, await queuePair(ctx, aws.sqs, name));
    const note =
      name === 'uploads' && moved > 0 ? ' (an upload already settled is not run again: use uploads retry for System failures)' : '';
    ctx.io.stdout.write(`${target}: ${moved} message${moved === 1 ? '' : 's'} moved back from its dead-letter queue${note}\n`);
  }
}
