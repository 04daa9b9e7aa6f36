import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putInBatches } from './batch-write.ts';
import { creditKey, type CreditGrant, type CreditMethod, type StoredCredit } from '../core/flexben/model.ts';

/**
 * Credits in DynamoDB, one partition per partner (pk partnerId, sk `{taxId}#{employeeKey}`), so
 * the beneficiaries list and a file's plan read them with one query. Every write is a whole-item
 * put naming the upload that made it: applying the same plan again writes the same items, which
 * is what makes a retried upload converge. Cancelled credits stay as tombstones that expire.
 */

/** Batches in flight at once: credit files are small next to censuses. */
const WRITERS = 4;
/** How long a tombstone is kept: far longer than any retry of the upload that made it. */
const TOMBSTONE_DAYS = 90;

export interface WriteBy {
  readonly uploadId: string;
  readonly method: CreditMethod;
  readonly now: Date;
}

export class CreditRepo {
  /** Credit items written by this instance (tests check a duplicate applies nothing twice). */
  writes = 0;

  constructor(
    readonly dynamo: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** Every stored credit of the partner, tombstones included, by {@link creditKey}. */
  async all(partnerId: string): Promise<Map<string, StoredCredit>> {
    const found = new Map<string, StoredCredit>();
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partnerId },
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.dynamo }, query)) {
      for (const item of page.Items ?? []) {
        const { pk: _pk, sk: _sk, expiresAt: _expires, ...credit } = item;
        found.set(creditKey(credit as StoredCredit), credit as StoredCredit);
      }
    }
    return found;
  }

  /**
   * The keys of the credits an upload has written (granted or cancelled): what an earlier attempt
   * of that upload already did, so a continuation writes only the rest. Keys only, to stay small.
   */
  async writtenBy(partnerId: string, uploadId: string): Promise<Set<string>> {
    const keys = new Set<string>();
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'changedBy = :upload',
      ProjectionExpression: 'sk',
      ExpressionAttributeValues: { ':pk': partnerId, ':upload': uploadId },
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.dynamo }, query)) for (const item of page.Items ?? []) keys.add(String(item.sk));
    return keys;
  }

  /** Creates or overwrites credits; see {@link putAll} for `shouldStop`. */
  async grant(partnerId: string, grants: readonly CreditGrant[], by: WriteBy, shouldStop?: () => boolean): Promise<Applied> {
    return this.putAll(
      partnerId,
      grants.map((g) => ({ ...g, state: 'ACTIVE', changedBy: by.uploadId, method: by.method, updatedAt: by.now.toISOString() })),
      undefined,
      shouldStop,
    );
  }

  /** Cancels credits, keeping each as a tombstone that names `by`. */
  async cancel(partnerId: string, credits: readonly StoredCredit[], by: WriteBy, shouldStop?: () => boolean): Promise<Applied> {
    const expiresAt = Math.floor(by.now.getTime() / 1000) + TOMBSTONE_DAYS * 86_400;
    return this.putAll(
      partnerId,
      credits.map((c) => ({ ...c, state: 'CANCELED', changedBy: by.uploadId, method: by.method, updatedAt: by.now.toISOString() })),
      expiresAt,
      shouldStop,
    );
  }

  /**
   * Writes {@link WRITERS} batches at a time. `shouldStop` is asked after each batch; once it says
   * yes, the batches in flight finish and the rest is left for a later invocation.
   */
  private async putAll(
    partnerId: string,
    credits: readonly StoredCredit[],
    expiresAt?: number,
    shouldStop?: () => boolean,
  ): Promise<Applied> {
    const items = credits.map((c) => ({ pk: partnerId, sk: creditKey(c), ...c, ...(expiresAt ? { expiresAt } : {}) }));
    return putInBatches(this.dynamo, this.tableName, items, { writers: WRITERS, shouldStop, onWritten: (n) => (this.writes += n) });
  }
}

/** What a write call got through: all of it, or `written` items before it was told to stop. */
export interface Applied {
  readonly complete: boolean;
  readonly written: number;
}
