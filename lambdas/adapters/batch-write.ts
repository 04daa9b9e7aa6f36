import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runBounded } from '../core/common/run-bounded.ts';

/** DynamoDB's limit of items per BatchWriteItem. */
export const BATCH_SIZE = 25;

/** How a batch is retried while DynamoDB leaves items unprocessed (throttling). */
export interface BatchRetry {
  /** Requests in all, the first included, before giving up. @default 10 */
  readonly maxAttempts: number;
  /** The backoff ceiling of the first retry, doubled per retry up to `maxDelayMs`. @default 50 */
  readonly baseDelayMs: number;
  /** @default 2000 */
  readonly maxDelayMs: number;
  /** Source of randomness in [0, 1), for tests. @default Math.random */
  readonly random?: () => number;
}

export const DEFAULT_BATCH_RETRY: BatchRetry = { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 2000 };

/**
 * A batch whose items DynamoDB kept leaving unprocessed. Thrown rather than looping forever, so
 * the upload's message is retried by its queue (and reaches the DLQ and its alarm if it persists).
 */
export class BatchWriteGaveUp extends Error {
  override readonly name = 'BatchWriteGaveUp';
  constructor(
    readonly table: string,
    readonly unprocessed: number,
    readonly attempts: number,
  ) {
    super(`DynamoDB left ${unprocessed} item(s) of a batch to ${table} unprocessed after ${attempts} attempts (throttled)`);
  }
}

/**
 * The delay before retry number `retry` (1-based): "full jitter", a random wait up to an
 * exponentially growing ceiling, so writers throttled together do not retry in step.
 */
export function retryDelayMs(retry: number, policy: BatchRetry = DEFAULT_BATCH_RETRY): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

/** One BatchWriteItem of puts, retrying what DynamoDB leaves unprocessed with capped, jittered backoff. */
export async function batchPut(
  dynamo: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
  policy: BatchRetry = DEFAULT_BATCH_RETRY,
): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 1; pending.length > 0; attempt++) {
    const out = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    if (pending.length === 0) return;
    if (attempt >= policy.maxAttempts) throw new BatchWriteGaveUp(table, pending.length, attempt);
    await new Promise((r) => setTimeout(r, retryDelayMs(attempt, policy)));
  }
}

export interface PutInBatchesOptions {
  /** Batches in flight at once. */
  readonly writers: number;
  /** Asked after each batch; once it says yes, the batches in flight finish and the rest waits. */
  readonly shouldStop?: () => boolean;
  /** Told of each batch written (the repositories' write counters). */
  readonly onWritten?: (items: number) => void;
}

/** Puts items 25 per request, `writers` requests at a time; says whether it got through them all. */
export async function putInBatches(
  dynamo: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
  options: PutInBatchesOptions,
): Promise<{ complete: boolean; written: number }> {
  let written = 0;
  await runBounded(
    batchesOf(items),
    options.writers,
    async (batch) => {
      await batchPut(dynamo, table, batch);
      written += batch.length;
      options.onWritten?.(batch.length);
    },
    options.shouldStop,
  );
  return { complete: written === items.length, written };
}

function* batchesOf<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH_SIZE) yield items.slice(i, i + BATCH_SIZE);
}
