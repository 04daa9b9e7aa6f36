import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's limit of items per BatchWriteItem. */
export const BATCH_SIZE = 25;

/** One BatchWriteItem of puts, retrying what DynamoDB leaves unprocessed with backoff. */
export async function batchPut(dynamo: DynamoDBDocumentClient, table: string, items: readonly Record<string, unknown>[]): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    const out = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    if (pending.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
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
  let next = 0;
  let written = 0;
  let stopped = false;
  const writer = async (): Promise<void> => {
    while (next < items.length && !stopped) {
      const batch = items.slice(next, (next += BATCH_SIZE));
      await batchPut(dynamo, table, batch);
      written += batch.length;
      options.onWritten?.(batch.length);
      if (options.shouldStop?.()) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: options.writers }, writer));
  return { complete: written === items.length, written };
}
