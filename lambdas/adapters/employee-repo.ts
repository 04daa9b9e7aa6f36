import { GetCommand, paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BATCH_SIZE, batchPut } from './batch-write.ts';
import { runBounded } from '../core/common/run-bounded.ts';
import type { BaseEmployee, Change, EmployeeRow, Identifiers } from '../core/eligibility/model.ts';
import { addedKey } from '../core/eligibility/employee-key.ts';
import type { SnapshotRecord } from '../core/eligibility/snapshot/base-snapshot.ts';
import { changeEntry, departmentOf, endEntry, startEntry } from '../core/workforce/history.ts';

/**
 * Employees in DynamoDB, one partition per partner company. Applying a plan costs exactly one
 * write per added, changed or removed employee. Adds use a key derived from the upload and the
 * line, so a write the SDK retries, or a whole apply re-run after a crash, lands on the same item
 * instead of creating a second person. Each of those writes also appends to the employee's
 * eligibility history (`history`, see lambdas/workforce/history.ts), so the workforce metrics
 * (SPEC §19) cost no write of their own.
 */

export interface StoredEmployee extends BaseEmployee {
  readonly values: Readonly<Record<string, string>>;
  readonly effectiveDate: string;
  readonly terminationDate?: string;
  /** Eligibility history entries (SPEC §19); absent on records written before it existed. */
  readonly history?: readonly string[];
}

const pk = (partnerId: string, companyTaxId: string): string => `${partnerId}#${companyTaxId}`;
/** The partner's write generation item: `~` sorts after every tax ID and is none. */
const generationKey = (partnerId: string) => ({ pk: `${partnerId}#~`, sk: 'write-generation' });
/** How long a write that never said it finished (a crashed function) keeps snapshots off: a function's longest run. */
const WRITE_LEASE_MS = 15 * 60 * 1000;

/**
 * Where a partner's employee writes stand (docs/decisions/0140-base-snapshot.md): `started`
 * counts the applies begun; `inFlight` is how many have not finished, unless the last began more
 * than a function's lifetime ago (`leaseUntil`), when a crashed one is past mattering: the items
 * it wrote are what a read finds.
 */
export interface WriteGeneration {
  readonly started: number;
  readonly settled: boolean;
}
/** Writes in flight at once: enough to keep DynamoDB busy, few enough to back off when throttled. */
const WRITERS = 16;

export class EmployeeRepo {
  /** Employee writes made by this instance (what the one-write-per-change rule is checked on). */
  writes = 0;

  constructor(
    readonly dynamo: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** The partner's write generation (the snapshot of its base is valid at one generation only). */
  async writeGeneration(partnerId: string, now = Date.now()): Promise<WriteGeneration> {
    const out = await this.dynamo.send(new GetCommand({ TableName: this.tableName, Key: generationKey(partnerId), ConsistentRead: true }));
    const item = out.Item ?? {};
    const inFlight = Number(item.inFlight ?? 0);
    return { started: Number(item.started ?? 0), settled: inFlight <= 0 || Number(item.leaseUntil ?? 0) < now };
  }

  /**
   * Every stored employee of the given companies, in company order, as the base snapshot holds
   * them: the base's attributes and the values of the active ones (no histories).
   */
  async *snapshotRecords(partnerId: string, companyTaxIds: readonly string[]): AsyncGenerator<SnapshotRecord> {
    for await (const page of this.pages(partnerId, companyTaxIds, [
      'sk',
      'companyTaxId',
      'active',
      'fingerprint',
      'identifiers',
      'values',
    ])) {
      for (const e of page) {
        const { employeeKey, companyTaxId, active, fingerprint, identifiers, values } = e;
        yield active
          ? { employeeKey, companyTaxId, active, fingerprint, identifiers, values }
          : { employeeKey, companyTaxId, active, fingerprint, identifiers };
      }
    }
  }

  /** Every stored employee (active or removed) of the given companies, page by page. */
  async *loadBase(partnerId: string, companyTaxIds: readonly string[]): AsyncGenerator<BaseEmployee> {
    for await (const page of this.pages(partnerId, companyTaxIds, ['sk', 'companyTaxId', 'active', 'fingerprint', 'identifiers'])) {
      yield* page;
    }
  }

  /**
   * Active employees of one company with their values (for the eligible list). Without their
   * histories: a million-person list is held whole, and it has no use for them.
   */
  async activeOf(partnerId: string, companyTaxId: string): Promise<StoredEmployee[]> {
    const found: StoredEmployee[] = [];
    for await (const page of this.pages(partnerId, [companyTaxId], undefined, false)) found.push(...page.filter((e) => e.active));
    return found;
  }

  /**
   * Every stored employee of one company (active and removed) with their values, one at a time in
   * key order, so a job can join them with other key-ordered data without holding the company.
   */
  async *allOf(partnerId: string, companyTaxId: string): AsyncGenerator<StoredEmployee> {
    for await (const page of this.pages(partnerId, [companyTaxId])) yield* page;
  }

  private async *pages(
    partnerId: string,
    companyTaxIds: readonly string[],
    attributes?: string[],
    withHistory = true,
  ): AsyncGenerator<StoredEmployee[]> {
    const projection = attributes
      ? {
          ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
        }
      : {};
    for (const companyTaxId of companyTaxIds) {
      const query = {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk(partnerId, companyTaxId) },
        ConsistentRead: true,
        ...projection,
      };
      for await (const page of paginateQuery({ client: this.dynamo }, query))
        yield (page.Items ?? []).map((item) => toEmployee(item, withHistory));
    }
  }

  /**
   * Applies changes with one write each; `date` (YYYY-MM-DD) is the upload's date. Writes run
   * {@link WRITERS} at a time (adds in batches of 25) so a first load of a million people takes
   * minutes, not most of an hour. `shouldStop` is asked after each write; once it says yes, the
   * writes in flight finish and the rest is left for the caller to resume by re-planning. Every
   * call writes something, so repeated calls always get through the plan.
   */
  async apply(
    partnerId: string,
    uploadId: string,
    changes: readonly Change[],
    date: string,
    shouldStop: () => boolean = () => false,
  ): Promise<{ complete: boolean; written: number; generation: number }> {
    const before = this.writes;
    const generation = await this.beginWrite(partnerId);
    const { complete } = await runBounded(
      writeUnits(changes),
      WRITERS,
      async (work) => {
        if (Array.isArray(work)) {
          await this.putBatch(
            work.map((c) => ({
              pk: pk(partnerId, c.row.companyTaxId),
              sk: addedKey(uploadId, c.row),
              ...record(c.row),
              active: true,
              effectiveDate: date,
              history: [startEntry(date, departmentOf(c.row.values))],
            })),
          );
        } else {
          await this.update(partnerId, work, date);
        }
      },
      shouldStop,
    );
    // Stopped or complete, nothing of this apply is still being written once runBounded returns
    // (the next invocation re-plans from the table); only a throw leaves it in flight, to the lease.
    await this.endWrite(partnerId);
    return { complete, written: this.writes - before, generation };
  }

  /**
   * Counts an apply as begun and in flight; returns its generation. Once the lease ran out, the
   * count of applies in flight starts again from this one: any older one crashed long ago.
   */
  private async beginWrite(partnerId: string): Promise<number> {
    const now = Date.now();
    const begin = (fresh: boolean) =>
      this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: generationKey(partnerId),
          UpdateExpression: fresh
            ? 'ADD started :one SET inFlight = :one, leaseUntil = :lease'
            : 'ADD started :one, inFlight :one SET leaseUntil = :lease',
          ...(fresh ? {} : { ConditionExpression: 'leaseUntil >= :now' }),
          ExpressionAttributeValues: { ':one': 1, ':lease': now + WRITE_LEASE_MS, ...(fresh ? {} : { ':now': now }) },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
    const out = await begin(false).catch((error: unknown) => {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return begin(true);
      throw error;
    });
    return Number(out.Attributes?.started);
  }

  private async endWrite(partnerId: string): Promise<void> {
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: generationKey(partnerId),
        UpdateExpression: 'ADD inFlight :minusOne',
        ExpressionAttributeValues: { ':minusOne': -1 },
      }),
    );
  }

  private async update(partnerId: string, change: Exclude<Change, { kind: 'add' }>, date: string): Promise<void> {
    this.writes += 1;
    if (change.kind === 'remove') {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(partnerId, change.companyTaxId), sk: change.employeeKey },
          UpdateExpression: `SET active = :false, terminationDate = :date, ${APPEND_HISTORY}`,
          ExpressionAttributeValues: { ':false': false, ':date': date, ':none': [], ':history': [endEntry(date)] },
        }),
      );
      return;
    }
    const r = record(change.row);
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: pk(partnerId, change.row.companyTaxId), sk: change.employeeKey },
        UpdateExpression: change.reactivate
          ? `SET identifiers = :ids, #values = :values, fingerprint = :fp, active = :true, effectiveDate = :date, ${APPEND_HISTORY} REMOVE terminationDate`
          : `SET identifiers = :ids, #values = :values, fingerprint = :fp, ${APPEND_HISTORY}`,
        ExpressionAttributeNames: { '#values': 'values' },
        ExpressionAttributeValues: {
          ':ids': r.identifiers,
          ':values': r.values,
          ':fp': r.fingerprint,
          ':none': [],
          ':history': [(change.reactivate ? startEntry : changeEntry)(date, departmentOf(r.values))],
          ...(change.reactivate ? { ':true': true, ':date': date } : {}),
        },
      }),
    );
  }

  /**
   * The one-time backfill's write (lambdas/jobs/workforce-backfill.ts): gives a record stored
   * before histories existed the history its dates stand for. Never overwrites one: false when the
   * record has a history by now (an upload got there first) or is gone.
   */
  async seedHistory(partnerId: string, companyTaxId: string, employeeKey: string, history: readonly string[]): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(partnerId, companyTaxId), sk: employeeKey },
          UpdateExpression: 'SET history = :history',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(history)',
          ExpressionAttributeValues: { ':history': history },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  private async putBatch(items: Record<string, unknown>[]): Promise<void> {
    this.writes += items.length;
    await batchPut(this.dynamo, this.tableName, items);
  }
}

type AddChange = Extract<Change, { kind: 'add' }>;

/** Appends `:history` to the employee's history in the same write (a record from before histories starts one). */
const APPEND_HISTORY = 'history = list_append(if_not_exists(history, :none), :history)';

/** The plan as write units: batches of adds, then single updates and removals. */
function* writeUnits(changes: readonly Change[]): Generator<AddChange[] | Exclude<Change, { kind: 'add' }>> {
  let batch: AddChange[] = [];
  for (const change of changes) {
    if (change.kind !== 'add') continue;
    batch.push(change);
    if (batch.length === BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
  for (const change of changes) if (change.kind !== 'add') yield change;
}

function record(row: EmployeeRow): { companyTaxId: string; identifiers: Identifiers; values: Record<string, string>; fingerprint: string } {
  return { companyTaxId: row.companyTaxId, identifiers: row.identifiers, values: { ...row.values }, fingerprint: row.fingerprint };
}

function toEmployee(item: Record<string, unknown>, withHistory: boolean): StoredEmployee {
  return {
    employeeKey: item.sk as string,
    companyTaxId: item.companyTaxId as string,
    active: item.active === true,
    fingerprint: (item.fingerprint as string) ?? '',
    identifiers: (item.identifiers as Identifiers) ?? {},
    values: (item.values as Record<string, string>) ?? {},
    effectiveDate: (item.effectiveDate as string) ?? '',
    terminationDate: item.terminationDate as string | undefined,
    ...(withHistory && Array.isArray(item.history) ? { history: item.history as string[] } : {}),
  };
}
