import { gunzipSync, gzipSync } from 'node:zlib';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotKey } from '../../lambdas/app/flows/eligibility/base-state.ts';
import {
  decodeHeader,
  decodeRecord,
  encodeHeader,
  encodeRecord,
  type SnapshotHeader,
  type SnapshotRecord,
} from '../../lambdas/core/eligibility/snapshot/base-snapshot.ts';
import { startHarness, type Harness, type SftpSession } from '../support/local-harness.ts';
import { ACME, csvOf, eligibleList, person, putAndSettle } from './eligibility-support.ts';

/**
 * The base snapshot (docs/decisions/0140-base-snapshot.md): after an apply, the next upload plans
 * against one object instead of reading every employee from the table — but only while no other
 * write came in between. Each case goes through SFTP, the queue, the processor and moto.
 */

const PARTNER = 'snap';

/** Query requests the harness's DynamoDB client sends to the employees table (reads of employees). */
function countEmployeeQueries(harness: Harness): { count: number } {
  const counter = { count: 0 };
  const table = harness.pipeline.resources.tables.employees;
  harness.pipeline.clients.dynamo.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TableName?: string; KeyConditionExpression?: string };
      if (input.TableName === table && input.KeyConditionExpression !== undefined) counter.count += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countEmployeeQueries' },
  );
  return counter;
}

async function storedSnapshot(harness: Harness): Promise<{ bytes: Buffer; header: SnapshotHeader; records: SnapshotRecord[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of await harness.pipeline.deps.store.read(snapshotKey(PARTNER))) chunks.push(Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  const [first, ...rest] = gunzipSync(bytes).toString('utf8').trim().split('\n');
  return { bytes, header: decodeHeader(first!), records: rest.map(decodeRecord) };
}

const people = (numbers: readonly number[], moved = new Set<number>()): string[][] =>
  numbers.map((n) => person(n, ACME, moved.has(n) ? { Department: 'Moved' } : {}));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const listedNames = async (session: SftpSession): Promise<string[]> => (await eligibleList(session, '')).rows.map((r) => r.Name!).sort();
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const namesOf = (rows: string[][]): string[] => rows.map((r) => r[1]!).sort();

describe('the base snapshot', () => {
  let harness: Harness;
  let session: SftpSession;
  let queries: { count: number };
  /** The file the second case sends: 1–29 and 31, person 5 moved. */
  const delta = people([...range(1, 29), 31], new Set([5]));

  beforeAll(async () => {
    harness = await startHarness();
    session = await (await harness.addPartner(PARTNER, 'single-entity')).connect();
    queries = countEmployeeQueries(harness);
  });
  afterAll(async () => harness?.stop());

  it('is written after the first load, and the next upload plans against it without reading an employee from the table', async () => {
    // Act
    const first = await putAndSettle(session, '', 'all', 'first.csv', csvOf(people(range(1, 30))));
    const afterFirst = await storedSnapshot(harness);
    const before = queries.count;
    const second = await putAndSettle(session, '', 'all', 'second.csv', csvOf(delta));

    // Assess
    expect(first.processing_status).toBe('Succeeded');
    expect(afterFirst.header).toMatchObject({ partnerId: PARTNER, generation: 1, companies: [ACME] });
    expect(afterFirst.records.filter((r) => r.active)).toHaveLength(30);
    expect(second.processing_status).toBe('Succeeded');
    expect(queries.count - before).toBe(0);
    const afterSecond = await storedSnapshot(harness);
    expect(afterSecond.header.generation).toBe(2);
    expect(afterSecond.records.filter((r) => r.active)).toHaveLength(30);
    expect(afterSecond.records.filter((r) => !r.active)).toHaveLength(1);
    expect(await listedNames(session)).toEqual(namesOf(delta));
    const listed = (await eligibleList(session, '')).rows;
    expect(listed.find((r) => r.Name === 'Person 0005')?.Department).toBe('Moved');
  });

  it('is not trusted after a write that came another way: the next upload reads the table and brings back whom that write removed', async () => {
    // Prepare: an operator's write outside the upload queue (as remove-company or a CLI approval makes)
    const three = (await collect(harness.pipeline.employees.allOf(PARTNER, ACME))).find((e) => e.values.name === 'Person 0003');
    expect(three?.active).toBe(true);
    await harness.pipeline.employees.apply(
      PARTNER,
      'operator-removal',
      [{ kind: 'remove', employeeKey: three!.employeeKey, companyTaxId: ACME }],
      '2026-12-07',
    );
    const before = queries.count;

    // Act: the same list again, person 3 still in it
    const third = await putAndSettle(session, '', 'all', 'third.csv', csvOf(delta));

    // Assess
    expect(third.processing_status).toBe('Succeeded');
    expect(queries.count - before).toBeGreaterThan(0);
    const stored = (await collect(harness.pipeline.employees.allOf(PARTNER, ACME))).find((e) => e.employeeKey === three!.employeeKey);
    expect(stored?.active).toBe(true);
    expect(await listedNames(session)).toEqual(namesOf(delta));
    // The snapshot written from the table's copy is the one trusted next.
    expect((await storedSnapshot(harness)).header.generation).toBe(4);
  });

  it('is ignored when it is of another generation than the table, e.g. an older copy put back', async () => {
    // Prepare: the snapshot of now, then an older one (person 31 absent from it) in its place
    const current = await storedSnapshot(harness);
    const older = { ...current, records: current.records.filter((r) => r.values?.name !== 'Person 0031') };
    const stale = encodeHeader({ ...older.header, generation: older.header.generation - 1 }) + older.records.map(encodeRecord).join('');
    await harness.pipeline.deps.store.put(snapshotKey(PARTNER), gzipSync(stale));
    const before = queries.count;

    // Act: the same list again
    const fourth = await putAndSettle(session, '', 'all', 'fourth.csv', csvOf(delta));

    // Assess: nobody added twice — person 31 was found in the table, not re-added from a stale copy
    expect(fourth.processing_status).toBe('Succeeded');
    expect(queries.count - before).toBeGreaterThan(0);
    const all = await collect(harness.pipeline.employees.allOf(PARTNER, ACME));
    expect(all.filter((e) => e.values.name === 'Person 0031')).toHaveLength(1);
  });

  it('is neither read nor written while another write is in flight', async () => {
    // Prepare: a write that began and has not finished (a function still running)
    const generation = (await storedSnapshot(harness)).header.generation;
    await harness.pipeline.clients.dynamo.send(
      new UpdateCommand({
        TableName: harness.pipeline.resources.tables.employees,
        Key: { pk: `${PARTNER}#~`, sk: 'write-generation' },
        UpdateExpression: 'ADD started :one, inFlight :one SET leaseUntil = :later',
        ExpressionAttributeValues: { ':one': 1, ':later': Date.now() + 10 * 60_000 },
      }),
    );
    const before = queries.count;
    const changed = people(range(1, 29), new Set([7]));

    // Act
    const fifth = await putAndSettle(session, '', 'all', 'fifth.csv', csvOf(changed));

    // Assess
    expect(fifth.processing_status).toBe('Succeeded');
    expect(queries.count - before).toBeGreaterThan(0);
    expect((await storedSnapshot(harness)).header.generation).toBe(generation);
    expect(await listedNames(session)).toEqual(namesOf(changed));
  });
});
