import { GetCommand, paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putInBatches } from './batch-write.ts';
import { checkinSortKey, employeeEventSortKey, type CheckinEvent, type EmployeeEvent } from '../core/platform-events/stored-event.ts';

/**
 * Platform events in DynamoDB (see TABLES.platformEvents). Items are keyed by event id, so a
 * write repeated by a retry or a second load of the same file overwrites the item with itself.
 */

const pk = (partnerId: string, companyTaxId: string): string => `${partnerId}#${companyTaxId}`;
const WRITERS = 8;

export type StoredPlatformEvent =
  | { readonly kind: 'employee'; readonly event: EmployeeEvent }
  | { readonly kind: 'checkin'; readonly event: CheckinEvent };

export class PlatformEventRepo {
  constructor(
    readonly dynamo: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** Writes events of one company, 25 per request, a few requests at a time. */
  async put(partnerId: string, companyTaxId: string, events: readonly StoredPlatformEvent[]): Promise<void> {
    const items = events.map((e) => ({
      pk: pk(partnerId, companyTaxId),
      sk: e.kind === 'employee' ? employeeEventSortKey(e.event) : checkinSortKey(e.event),
      ...e.event,
    }));
    // One batch may not hold the same key twice: a file repeating a line is one event.
    const unique = [...new Map(items.map((i) => [i.sk, i])).values()];
    await putInBatches(this.dynamo, this.tableName, unique, { writers: WRITERS });
  }

  /** A company's subscription and membership events, ordered by employee key then time. */
  async *employeeEvents(partnerId: string, companyTaxId: string): AsyncGenerator<EmployeeEvent> {
    yield* this.query(partnerId, companyTaxId, 'EMP#', 'EMP$') as AsyncGenerator<EmployeeEvent>;
  }

  /** A company's check-ins from `fromIso` to `toIso` (inclusive), in time order. */
  async *checkins(partnerId: string, companyTaxId: string, fromIso: string, toIso: string): AsyncGenerator<CheckinEvent> {
    yield* this.query(partnerId, companyTaxId, `CHK#${fromIso}`, `CHK#${toIso}~`) as AsyncGenerator<CheckinEvent>;
  }

  private async *query(partnerId: string, companyTaxId: string, from: string, to: string): AsyncGenerator<unknown> {
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk(partnerId, companyTaxId), ':from': from, ':to': to },
    };
    for await (const page of paginateQuery({ client: this.dynamo }, query)) {
      for (const item of page.Items ?? []) {
        const { pk: _pk, sk: _sk, ...event } = item;
        yield event;
      }
    }
  }

  /** True when this version of the file was loaded before. */
  async loaded(fileKey: string, version: string): Promise<boolean> {
    return (await this.marker(fileKey, version)) !== undefined;
  }

  /** What the load of this file version counted, once it is done. */
  async marker(fileKey: string, version: string): Promise<{ loaded: number; rejected: number } | undefined> {
    const out = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `FILE#${fileKey}`, sk: version }, ConsistentRead: true }),
    );
    return out.Item ? { loaded: Number(out.Item.loaded), rejected: Number(out.Item.rejected) } : undefined;
  }

  async markLoaded(fileKey: string, version: string, counts: { loaded: number; rejected: number }, at: Date): Promise<void> {
    await this.dynamo.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: `FILE#${fileKey}`, sk: version, ...counts, loadedAt: at.toISOString() } }),
    );
  }
}
