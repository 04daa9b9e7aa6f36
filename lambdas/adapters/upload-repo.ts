import { GetCommand, paginateQuery, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UploadArea } from '../core/partners/tree.ts';
import type { UploadCounts, UploadRecord, UploadStatus } from '../core/uploads/upload.ts';
import type { HistoryEvent } from '../core/flexben/model.ts';

/**
 * Uploads in DynamoDB: one item per upload under its partner (pk `PARTNER#id`, sk `UPLOAD#seq`),
 * so a partner's uploads read back in arrival order with one query. The key is derived from the
 * object version, so recording the same version twice is a no-op by condition.
 */

const pk = (partnerId: string): string => `PARTNER#${partnerId}`;
const sk = (seq: string): string => `UPLOAD#${seq}`;

export interface UploadKey {
  readonly partnerId: string;
  readonly seq: string;
}

export interface SettleUpdate {
  readonly status: UploadStatus;
  readonly errorCount: number;
  readonly counts?: UploadCounts;
  readonly systemFailure?: boolean;
}

export class UploadRepo {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Stores the upload unless it is already recorded; returns what is stored and whether it was new.
   * The upload's place in arrival order (its seq) is claimed first under its id, so every event of
   * one object version (a repeat, or moto's second event for a multipart upload, each with its own
   * event time) finds the same item.
   */
  async record(draft: UploadRecord): Promise<{ upload: UploadRecord; created: boolean }> {
    const seq = await this.claimSeq(draft.partnerId, draft.uploadId, draft.seq);
    const upload = seq === draft.seq ? draft : { ...draft, seq };
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: pk(upload.partnerId), sk: sk(upload.seq), ...upload },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { upload, created: true };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const existing = await this.get(upload);
      if (!existing) throw error;
      return { upload: existing, created: false };
    }
  }

  /**
   * Claims the name `{ts}-{name}` (given as a key of the name, see unique-upload-name.ts) for one
   * upload, under its partner (sk `NAME#{nameKey}#{ts}`). True when this upload holds it now,
   * also when it already did (a retried event); false when another upload holds it.
   */
  async claimName(partnerId: string, nameKey: string, ts: number, uploadId: string): Promise<boolean> {
    const key = { pk: pk(partnerId), sk: `NAME#${nameKey}#${ts}` };
    try {
      await this.dynamo.send(
        new PutCommand({ TableName: this.tableName, Item: { ...key, uploadId }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const out = await this.dynamo.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      return out.Item?.uploadId === uploadId;
    }
  }

  async get(key: UploadKey): Promise<UploadRecord | undefined> {
    const out = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: pk(key.partnerId), sk: sk(key.seq) }, ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item) : undefined;
  }

  async setStatus(key: UploadKey, status: UploadStatus, now: Date): Promise<UploadRecord> {
    return this.update(key, { status, updatedAt: now.toISOString() });
  }

  async settle(key: UploadKey, update: SettleUpdate, now: Date): Promise<UploadRecord> {
    return this.update(key, { ...update, updatedAt: now.toISOString() });
  }

  /** The partner's most recent uploads reported in one area's files, newest first. */
  async recent(partnerId: string, area: UploadArea, limit: number): Promise<UploadRecord[]> {
    const found: UploadRecord[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :upload)',
      FilterExpression: 'statusArea = :area',
      ExpressionAttributeValues: { ':pk': pk(partnerId), ':upload': 'UPLOAD#', ':area': area },
      ScanIndexForward: false,
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.dynamo }, query)) {
      found.push(...(page.Items ?? []).map(strip));
      if (found.length >= limit) break;
    }
    return found.slice(0, limit);
  }

  /** The partner's uploads of every area, newest first (arrival order, also within one second). */
  async newest(partnerId: string, limit: number): Promise<UploadRecord[]> {
    const found: UploadRecord[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :upload)',
      ExpressionAttributeValues: { ':pk': pk(partnerId), ':upload': 'UPLOAD#' },
      ScanIndexForward: false,
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.dynamo, pageSize: Math.min(limit, 1000) }, query)) {
      found.push(...(page.Items ?? []).map(strip));
      if (found.length >= limit) break;
    }
    return found.slice(0, limit);
  }

  /**
   * The upload named `{ts}-{name}` as in status.csv. Its `ts` is its receipt second or, when that
   * second was taken by the same name, a later one (SPEC §3), so the arrival (the sort key's
   * milliseconds) lies in the day before `ts`; only that range is read.
   */
  async byFileName(partnerId: string, fileName: string): Promise<UploadRecord | undefined> {
    const ts = Number(/^(\d+)-/.exec(fileName)?.[1]);
    if (!Number.isFinite(ts)) return undefined;
    const ms = (seconds: number): string => String(Math.max(0, seconds) * 1000).padStart(13, '0');
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk(partnerId), ':from': `UPLOAD#${ms(ts - 86_400)}`, ':to': `UPLOAD#${ms(ts + 1)}~` },
      ScanIndexForward: false,
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.dynamo }, query)) {
      const found = (page.Items ?? []).map(strip).find((u) => `${u.ts}-${u.name}` === fileName);
      if (found) return found;
    }
    return undefined;
  }

  /** The seq stored for this upload id: `seq` when this call is the first, else the first one's. */
  private async claimSeq(partnerId: string, uploadId: string, seq: string): Promise<string> {
    const key = { pk: pk(partnerId), sk: `SEQ#${uploadId}` };
    try {
      await this.dynamo.send(
        new PutCommand({ TableName: this.tableName, Item: { ...key, seq }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return seq;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const out = await this.dynamo.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      return typeof out.Item?.seq === 'string' ? out.Item.seq : seq;
    }
  }

  /**
   * The partner's uploads not yet settled that arrived at or after `fromMs`, oldest first: the
   * ones that may still wait for their transfer result or their turn (SPEC §15 ordering).
   */
  async unsettledSince(partnerId: string, fromMs: number): Promise<UploadRecord[]> {
    const found: UploadRecord[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: '#status IN (:validating, :processing)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': pk(partnerId),
        ':from': `UPLOAD#${String(Math.max(0, fromMs)).padStart(13, '0')}`,
        ':to': 'UPLOAD#~',
        ':validating': 'Validating',
        ':processing': 'Processing',
      },
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.dynamo }, query)) found.push(...(page.Items ?? []).map(strip));
    return found;
  }

  /**
   * Marks a System-failed upload as sent again (`uploads retry`), once: false when it already was,
   * so two operators retrying at once make one new upload, not two.
   */
  async markRetried(key: UploadKey, at: Date, by: string): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(key.partnerId), sk: sk(key.seq) },
          UpdateExpression: 'SET retriedAt = :at, retriedBy = :by',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(retriedAt)',
          ExpressionAttributeValues: { ':at': at.toISOString(), ':by': by },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /**
   * Records an automatic flexben history event (SPEC §7.5) under its partner (sk `HISTORY#{id}`,
   * ids ordered like uploads). The first write wins, so a re-run keeps the original time.
   */
  async putHistory(partnerId: string, event: HistoryEvent): Promise<void> {
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: pk(partnerId), sk: `HISTORY#${event.id}`, ...event },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** The partner's newest automatic history events, newest first. */
  async history(partnerId: string, limit: number): Promise<HistoryEvent[]> {
    const out = await this.dynamo.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
        ExpressionAttributeValues: { ':pk': pk(partnerId), ':history': 'HISTORY#' },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => {
      const { pk: _pk, sk: _sk, ...event } = item;
      return event as HistoryEvent;
    });
  }

  private async update(key: UploadKey, fields: Record<string, unknown>): Promise<UploadRecord> {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    const out = await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: pk(key.partnerId), sk: sk(key.seq) },
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip(out.Attributes ?? {});
  }
}

function strip(item: Record<string, unknown>): UploadRecord {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as UploadRecord;
}
