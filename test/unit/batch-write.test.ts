import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { BatchWriteGaveUp, batchPut, retryDelayMs, type BatchRetry } from '../../lambdas/adapters/batch-write.ts';

/** A client whose BatchWriteItem leaves the first `throttled` calls' items unprocessed. */
function throttlingClient(throttled: number): { client: DynamoDBDocumentClient; calls: () => number } {
  let calls = 0;
  const client = {
    send: async (command: { input: { RequestItems: Record<string, unknown[]> } }) => {
      calls += 1;
      const [table, requests] = Object.entries(command.input.RequestItems)[0] as [string, unknown[]];
      return calls <= throttled ? { UnprocessedItems: { [table]: requests } } : { UnprocessedItems: {} };
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls: () => calls };
}

const fast: BatchRetry = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };
const items = [
  { pk: 'p', sk: '1' },
  { pk: 'p', sk: '2' },
];

describe('batchPut', () => {
  it('retries unprocessed items until DynamoDB takes them', async () => {
    const { client, calls } = throttlingClient(3);
    await batchPut(client, 'employees', items, fast);
    expect(calls()).toBe(4);
  });

  it('gives up after the attempt cap with an error naming the table and the count', async () => {
    const { client, calls } = throttlingClient(99);
    const failure = await batchPut(client, 'employees', items, fast).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BatchWriteGaveUp);
    expect((failure as Error).message).toBe('DynamoDB left 2 item(s) of a batch to employees unprocessed after 4 attempts (throttled)');
    expect(calls()).toBe(4);
  });
});

describe('retryDelayMs', () => {
  it('draws a jittered wait under a ceiling that doubles and then stays capped', () => {
    const policy: BatchRetry = { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 2000, random: () => 0.999 };
    expect([1, 2, 3, 6, 7, 9].map((n) => retryDelayMs(n, policy))).toEqual([49, 99, 199, 1598, 1998, 1998]);
    expect(retryDelayMs(5, { ...policy, random: () => 0 })).toBe(0);
  });
});
