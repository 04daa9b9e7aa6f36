import { createHash } from 'node:crypto';
import { paginateQuery, PutCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TransferResult } from '../core/transfers/transfer-events.ts';
import type { Arrival, Verdict } from '../core/transfers/transfer-verdict.ts';

/**
 * Both halves of SPEC §15's "the S3 event records the arrival, the transfer result settles it",
 * in the uploads table, one partition per object key (pk `TRANSFER#{hash of bucket and key}`):
 * `ARRIVAL#{uploadId}` for each recorded arrival (with its verdict once decided),
 * `RESULT#{eventId}` for each upload-result or rename event about the key, and, in a rename's
 * source partition, `RENAMED#{eventId}` naming the target, so a source result that comes after
 * the rename still reaches it. Every write is idempotent, so events in any order and any number
 * of times converge on one verdict per arrival. Items expire after 30 days.
 */

export interface KeyEntries {
  readonly arrivals: Arrival[];
  readonly results: TransferResult[];
  /** Keys this key was renamed to. */
  readonly renamedTo: string[];
}

export interface TransferLedger {
  /** Stores the arrival unless already there; returns what is stored. */
  addArrival(arrival: Arrival): Promise<Arrival>;
  addResult(result: TransferResult): Promise<void>;
  load(bucket: string, key: string): Promise<KeyEntries>;
  arrival(bucket: string, key: string, uploadId: string): Promise<Arrival | undefined>;
  /** Sets the verdict unless one is set already; returns the verdict that holds. */
  decide(arrival: Arrival, verdict: Verdict, now: Date): Promise<Arrival>;
  markActed(arrival: Arrival): Promise<void>;
}

const RETENTION_SECONDS = 30 * 24 * 3600;

export function transferPartition(bucket: string, key: string): string {
  return `TRANSFER#${createHash('sha256').update(`${bucket}\n${key}`).digest('hex').slice(0, 32)}`;
}

export class DynamoTransferLedger implements TransferLedger {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private expiresAt(): number {
    return Math.floor(this.clock().getTime() / 1000) + RETENTION_SECONDS;
  }

  private async putOnce(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, expiresAt: this.expiresAt() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return false;
    }
  }

  async addArrival(arrival: Arrival): Promise<Arrival> {
    const pk = transferPartition(arrival.bucket, arrival.key);
    if (await this.putOnce({ pk, sk: `ARRIVAL#${arrival.uploadId}`, type: 'arrival', ...arrival })) return arrival;
    return (await this.arrival(arrival.bucket, arrival.key, arrival.uploadId)) ?? arrival;
  }

  async addResult(result: TransferResult): Promise<void> {
    await this.putOnce({ pk: transferPartition(result.bucket, result.key), sk: `RESULT#${result.eventId}`, type: 'result', result });
    if (result.kind === 'rename') {
      await this.putOnce({
        pk: transferPartition(result.bucket, result.fromKey),
        sk: `RENAMED#${result.eventId}`,
        type: 'renamed',
        toKey: result.key,
      });
    }
  }

  async load(bucket: string, key: string): Promise<KeyEntries> {
    const entries: KeyEntries = { arrivals: [], results: [], renamedTo: [] };
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': transferPartition(bucket, key) },
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.dynamo }, query)) {
      for (const item of page.Items ?? []) {
        if (item.type === 'arrival') entries.arrivals.push(toArrival(item));
        else if (item.type === 'result') entries.results.push(item.result as TransferResult);
        else if (item.type === 'renamed' && typeof item.toKey === 'string') entries.renamedTo.push(item.toKey);
      }
    }
    return entries;
  }

  async arrival(bucket: string, key: string, uploadId: string): Promise<Arrival | undefined> {
    const out = await this.dynamo.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: transferPartition(bucket, key), sk: `ARRIVAL#${uploadId}` },
        ConsistentRead: true,
      }),
    );
    return out.Item ? toArrival(out.Item) : undefined;
  }

  async decide(arrival: Arrival, verdict: Verdict, now: Date): Promise<Arrival> {
    try {
      const out = await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: transferPartition(arrival.bucket, arrival.key), sk: `ARRIVAL#${arrival.uploadId}` },
          UpdateExpression: 'SET verdict = :v, decidedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(verdict)',
          ExpressionAttributeValues: { ':v': verdict, ':at': now.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toArrival(out.Attributes ?? {});
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return (await this.arrival(arrival.bucket, arrival.key, arrival.uploadId)) ?? arrival;
    }
  }

  async markActed(arrival: Arrival): Promise<void> {
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: transferPartition(arrival.bucket, arrival.key), sk: `ARRIVAL#${arrival.uploadId}` },
        UpdateExpression: 'SET acted = :t',
        ExpressionAttributeValues: { ':t': true },
      }),
    );
  }
}

function toArrival(item: Record<string, unknown>): Arrival {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _expires, decidedAt: _decided, ...rest } = item;
  return rest as unknown as Arrival;
}
