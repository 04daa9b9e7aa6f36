import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSmallCsv, startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { ACME, csvOf, person, type StatusRow } from './eligibility-support.ts';

/**
 * Many partners at once (SPEC §5, §15): three partners each put two full files back to back, all
 * three at the same moment, through the real path (SFTP, S3 events, both queues, the eligibility
 * flow, DynamoDB). Each partner's second file must be applied after its first — the end state is
 * the second file's — and status.csv must list them newest first, even though both arrive within
 * the same second.
 */

const PARTNERS = ['north', 'south', 'east'];
const SETTLED = new Set(['Succeeded', 'Succeeded with errors', 'Rejected']);
const first = csvOf([1, 2, 3, 4, 5, 6].map((n) => person(n, ACME, { Department: 'First' })));
const second = csvOf([1, 2, 3, 4, 5, 6, 7].map((n) => person(n, ACME, { Department: 'Second' })));

describe('three partners uploading two files each, all at once', () => {
  let harness: Harness;
  const sessions = new Map<string, SftpSession>();

  beforeAll(async () => {
    harness = await startHarness();
    for (const id of PARTNERS) sessions.set(id, await (await harness.addPartner(id, 'single-entity')).connect());
  });
  afterAll(async () => harness?.stop());

  it('settles all six, each partner in the order its files arrived', async () => {
    await Promise.all(
      PARTNERS.map(async (id) => {
        const session = sessions.get(id) as SftpSession;
        await session.put('/employees/upload/all/1-first.csv', first);
        await session.put('/employees/upload/all/2-second.csv', second);
      }),
    );

    for (const id of PARTNERS) {
      const session = sessions.get(id) as SftpSession;
      const rows = await waitFor(
        async () => parseSmallCsv((await session.get('/employees/upload/status.csv')).toString('utf8')) as unknown as StatusRow[],
        (found) => found.length === 2 && found.every((r) => SETTLED.has(r.processing_status)),
        120_000,
      );
      // Newest first: the second file above the first, both applied.
      expect(rows.map((r) => [r.filename.replace(/^\d+-/, ''), r.processing_status])).toEqual([
        ['2-second.csv', 'Succeeded'],
        ['1-first.csv', 'Succeeded'],
      ]);
      const active = await harness.pipeline.employees.activeOf(id, ACME);
      expect(active.map((e) => e.values.employeeId).sort()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7']);
      expect(new Set(active.map((e) => e.values.department))).toEqual(new Set(['Second']));
    }
    // Each partner's first file settled before its second: processed one after the other.
    const settled = harness.logs.filter((l) => l.includes('upload settled'));
    for (const id of PARTNERS) {
      const uploads = await harness.pipeline.deps.uploads.newest(id, 10);
      const at = (name: string) => settled.findIndex((l) => l.includes(`uploadId=${uploads.find((u) => u.name === name)?.uploadId}`));
      expect(at('1-first.csv'), id).toBeGreaterThanOrEqual(0);
      expect(at('1-first.csv'), id).toBeLessThan(at('2-second.csv'));
    }
  });
});
