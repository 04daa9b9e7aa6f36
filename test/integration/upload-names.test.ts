import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportableName } from '../../lambdas/core/files/file-name-rules.ts';
import { startHarness, parseSmallCsv, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';

/**
 * `{ts}-{name}` is unique per partner (SPEC §3): uploads of one name within one second take the
 * next free seconds, so no status row or report is another upload's. Names that break the rules
 * and reach the bucket without our SFTP server are refused by the ingest with an Upload error,
 * and their files are named so that every key stays within S3's 1,024 bytes.
 */

const ROOT = '/multientity/employees/upload';
const PREFIX = 'partners/acme';
const SETTLED = new Set(['Succeeded', 'Rejected', 'Validated', 'Succeeded with errors', 'Deleted', 'Approval_Requested']);

type Row = Record<string, string>;

async function startOfNextSecond(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
}

describe('upload names', () => {
  let harness: Harness;
  let session: SftpSession;

  const rows = async (): Promise<Row[]> => parseSmallCsv((await session.get(`${ROOT}/status.csv`)).toString('utf8'));
  const settled = (name: string, count: number) => (all: Row[]) =>
    all.filter((r) => r.filename?.endsWith(`-${name}`) && SETTLED.has(r.processing_status ?? '')).length >= count;
  const report = async (row: Row): Promise<Row[]> =>
    parseSmallCsv(
      (await session.get(`${ROOT}/error-details/${row.filename}${row.filename?.endsWith('.csv') ? '' : '.csv'}`)).toString('utf8'),
    );

  beforeAll(async () => {
    harness = await startHarness();
    const acme = await harness.addPartner('acme', 'multi-entity');
    session = await acme.connect();
  });
  afterAll(async () => harness?.stop());

  it('gives uploads of one name within one second distinct {ts}-{name}, rows and reports', async () => {
    // Prepare: three files named alike, each wrong in its own way, put within one second.
    await startOfNextSecond();
    // Act
    await Promise.all([
      session.put(`${ROOT}/all/same.csv`, ''),
      session.put(`${ROOT}/dry-run/same.csv`, Buffer.from([0, 1, 2, 3, 0, 255, 0])),
      // Not a folder of multi-entity accounts: only another path than SFTP can put it there.
      harness.putAnnounced(`${PREFIX}/multientity/employees/upload/new/same.csv`, 'a,b\n1,2\n'),
    ]);
    const all = await waitFor(rows, settled('same.csv', 3));

    // Assess
    const same = all.filter((r) => r.filename?.endsWith('-same.csv'));
    const seconds = same.map((r) => Number(r.filename?.split('-')[0])).sort();
    expect(new Set(same.map((r) => r.filename)).size).toBe(3);
    expect(seconds[2]! - seconds[0]!).toBeLessThanOrEqual(3);
    // At least two were received within one second (started together at a second's start).
    const received = new Set(same.map((r) => r.date_and_time));
    expect(received.size).toBeLessThan(3);
    const reports = await Promise.all(same.map(report));
    const types = reports.map((lines) => lines.map((l) => l['Error Type']).join(',')).sort();
    expect(types).toHaveLength(3);
    expect(new Set(types).size).toBe(3); // each report is its own upload's, none overwritten
  });

  it.each([
    // moto cannot store a key with a line break (SFTP names with one are refused at OPEN).
    ['a tab', 'two\tcolumns.csv', /control character \(U\+0009/],
    ['a C0 control', 'bell\u0007.csv', /control character \(U\+0007/],
    ['a replacement character (bytes that were not UTF-8)', 'Jos\uFFFD.csv', /not valid UTF-8/],
    ['~950 bytes', `${'ç'.repeat(473)}.csv`, /950 bytes long; at most 255 bytes/],
  ])('refuses a name with %s that reached S3 by another path, with an Upload error naming the rule', async (_what, name, rule) => {
    // Prepare
    const key = `${PREFIX}/multientity/employees/upload/all/${name}`;
    const shown = reportableName(name);
    // Act
    await harness.putAnnounced(key, 'Company Tax ID,Name\n37211173000169,Ana\n');
    const all = await waitFor(rows, settled(shown, 1));

    // Assess
    const row = all.find((r) => r.filename?.endsWith(`-${shown}`));
    expect(row?.processing_status).toBe('Rejected');
    const lines = await report(row!);
    expect(lines).toEqual([expect.objectContaining({ 'Error Source': 'Upload error', 'Error Type': 'Invalid' })]);
    expect(lines[0]?.['Error Description']).toMatch(rule);
    expect(lines[0]?.['Error Description']).toMatch(/Nothing was applied\.$/);
    // Every key the upload produced fits S3's limit, and the upload folder is empty again.
    const keys = [
      ...(await harness.pipeline.deps.store.list(`${PREFIX}/multientity/employees/upload/error-details/`)).objects.map((o) => o.key),
    ];
    for (const k of keys) expect(Buffer.byteLength(k)).toBeLessThanOrEqual(1024);
    expect(keys.some((k) => k.endsWith(`-${shown}`) || k.endsWith(`-${shown}.csv`))).toBe(true);
    expect(await session.list(`${ROOT}/all`)).toEqual([]);
  });
});
