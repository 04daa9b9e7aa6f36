import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotKey } from '../../lambdas/app/flows/eligibility/base-state.ts';
import { startHarness, type Harness, type SftpSession } from '../support/local-harness.ts';
import { csvOf, eligibleList, person, putAndSettle } from './eligibility-support.ts';
import { countEmployeeWrites, storedHistories } from './workforce-support.ts';

/**
 * SPEC §13 / issue 3 point 7: an apply too big for one invocation stops in time and the next
 * invocation finishes it. The invocation budget here is below the apply's safety margin, so every
 * writer stops after one write unit (25 adds, or one update/removal) and a file of a thousand
 * people needs three invocations; the end state and the write count must be a clean run's.
 */

const continuations = (logs: readonly string[]): number =>
  logs.filter((l) => l.startsWith('upload continues in another invocation')).length;

describe('an apply split across invocations', () => {
  let harness: Harness;
  let solo: SftpSession;
  /** Write requests DynamoDB really received for the employees table (not the repo's own count). */
  let requests: { items: number };

  beforeAll(async () => {
    harness = await startHarness({ invocationMs: 1 });
    solo = await (await harness.addPartner('bigco', 'single-entity')).connect();
    requests = countEmployeeWrites(harness);
  });
  afterAll(async () => harness?.stop());

  const people = (from: number, to: number, changed = new Set<number>()): string[][] =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i).map((n) =>
      person(n, undefined, changed.has(n) ? { Department: 'Moved' } : {}),
    );

  it('finishes a thousand-person first load over several invocations with one write per person', async () => {
    // Act
    const row = await putAndSettle(solo, '', 'all', 'first-load.csv', csvOf(people(1, 1000)));

    // Assess
    expect(row.processing_status).toBe('Succeeded');
    expect(continuations(harness.logs)).toBeGreaterThanOrEqual(2);
    expect(harness.pipeline.employees.writes).toBe(1000);
    // SPEC §19's history rides in those same writes: one start entry each, nothing written besides.
    expect(requests.items).toBe(1000);
    const histories = await storedHistories(harness, 'bigco', '37211173000169');
    expect([...histories.values()].every((h) => h.length === 1 && /^\d{4}-\d{2}-\d{2}\+Ops$/.test(h[0] ?? ''))).toBe(true);
    const list = await eligibleList(solo, '');
    expect(list.rows).toHaveLength(1000);
    expect(new Set(list.rows.map((r) => r['Employee ID'])).size).toBe(1000);
    // The invocations that stopped wrote nothing after they stopped, so the last one, with no
    // write in flight, left a base snapshot for the next upload (ADR 0140).
    expect(await harness.pipeline.deps.store.head(snapshotKey('bigco'))).toBeDefined();
  });

  it('continues a mixed change the same way: each add, update and removal written once', async () => {
    // Prepare: 10 changed, 20 gone (981..1000), 25 new (1001..1025).
    const before = { writes: harness.pipeline.employees.writes, continuations: continuations(harness.logs), requests: requests.items };
    const changed = new Set(Array.from({ length: 10 }, (_, i) => 10 + i * 7));

    // Act
    const row = await putAndSettle(solo, '', 'all', 'second.csv', csvOf([...people(1, 980, changed), ...people(1001, 1025)]));

    // Assess
    expect(row.processing_status).toBe('Succeeded');
    expect(continuations(harness.logs)).toBeGreaterThan(before.continuations);
    expect(harness.pipeline.employees.writes - before.writes).toBe(10 + 20 + 25);
    expect(requests.items - before.requests).toBe(10 + 20 + 25);
    const entries = [...(await storedHistories(harness, 'bigco', '37211173000169')).values()];
    expect(entries.filter((h) => h.length === 2 && h[1]?.endsWith('=Moved'))).toHaveLength(10);
    expect(entries.filter((h) => h.length === 2 && h[1]?.endsWith('-'))).toHaveLength(20);
    expect(entries.filter((h) => h.length === 1)).toHaveLength(1000 - 30 + 25);
    const list = await eligibleList(solo, '');
    expect(list.rows).toHaveLength(1005);
    expect(list.rows.filter((r) => r.Department === 'Moved')).toHaveLength(10);
    expect(list.rows.some((r) => r['Employee ID'] === 'E990')).toBe(false);
  });
});
