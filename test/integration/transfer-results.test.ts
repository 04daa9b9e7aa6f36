import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEmployee } from '../../lambdas/adapters/employee-repo.ts';
import { parseSmallCsv, startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { opensshClientOptions } from '../support/openssh-sftp.ts';
import { ACME, csvOf, errorReport, person, putAndSettle, type StatusRow } from './eligibility-support.ts';

/**
 * SPEC §15 in local mode, end to end: the SFTP server's upload-result events go through the
 * emulator's EventBridge rule into the ingest queue, and only a completed transfer is applied.
 */

const ROOT = '/multientity';
const STATUS = `${ROOT}/employees/upload/status.csv`;

async function statusRow(session: SftpSession, name: string, final: (status: string) => boolean, timeoutMs = 60_000): Promise<StatusRow> {
  const rows = await waitFor(
    async () => parseSmallCsv((await session.get(STATUS)).toString('utf8')) as unknown as StatusRow[],
    (found) => found.some((r) => r.filename.endsWith(`-${name}`) && final(r.processing_status)),
    timeoutMs,
  );
  return rows.find((r) => r.filename.endsWith(`-${name}`)) as StatusRow;
}

async function base(harness: Harness, partnerId: string): Promise<StoredEmployee[]> {
  const found: StoredEmployee[] = [];
  for await (const e of harness.pipeline.employees.allOf(partnerId, ACME)) found.push(e);
  return found.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe('a transfer killed half way', () => {
  let harness: Harness;
  let session: SftpSession;
  let dir: string;

  beforeAll(async () => {
    harness = await startHarness();
    const acme = await harness.addPartner('acme', 'multi-entity');
    session = await acme.connect();
    dir = await mkdtemp(join(tmpdir(), 'bx-killed-'));
    await writeFile(join(dir, 'acme.key'), acme.privateKey, { mode: 0o600 });
  });
  afterAll(async () => {
    await harness?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is Rejected / Interrupted and leaves the base untouched when OpenSSH's sftp is killed mid-file", async () => {
    // Prepare: a base of three, then a census of 20,000 people sent at 400 kbit/s (~40 s)
    expect((await putAndSettle(session, ROOT, 'all', 'base.csv', csvOf([1, 2, 3].map((n) => person(n))))).processing_status).toBe(
      'Succeeded',
    );
    const before = await base(harness, 'acme');
    expect(before).toHaveLength(3);
    await writeFile(join(dir, 'census.csv'), csvOf(Array.from({ length: 20_000 }, (_, i) => person(i + 1))));
    const child = spawn(
      '/usr/bin/sftp',
      ['-l', '400', '-b', '-', '-P', String(harness.pipeline.sftp.port), ...opensshClientOptions('acme.key'), 'acme@127.0.0.1'],
      { cwd: dir, stdio: ['pipe', 'ignore', 'ignore'] },
    );
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.stdin.end(`put census.csv ${ROOT}/employees/upload/all/census.csv\n`);

    // Act: kill it once the server holds part of the file (its first write is logged), not
    // after a fixed time from the login: on a loaded machine the OPEN alone can take seconds
    await waitFor(async () => harness.logs.some((l) => /^sftp acme put ".*census\.csv" receiving$/.test(l)), Boolean);
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGKILL');
    await exited;

    // Assess
    const row = await statusRow(session, 'census.csv', (s) => s === 'Rejected');
    const report = await errorReport(session, ROOT, row);
    expect(report).toEqual([
      expect.objectContaining({
        'Error Source': 'Upload error',
        'Error Type': 'Interrupted',
        'Error Description': 'The transfer of this file did not finish; nothing was applied; upload it again.',
      }),
    ]);
    const size = Buffer.byteLength(csvOf(Array.from({ length: 20_000 }, (_, i) => person(i + 1))));
    const stored = harness.logs.map((l) => /put ".*census\.csv" interrupted: (\d+) bytes stored/.exec(l)?.[1]).find(Boolean);
    expect(Number(stored)).toBeGreaterThan(0);
    expect(Number(stored)).toBeLessThan(size);
    expect(await base(harness, 'acme')).toEqual(before);
  });
});

describe('a completed upload whose result event is lost', () => {
  let harness: Harness;
  let session: SftpSession;

  beforeAll(async () => {
    harness = await startHarness({
      transferGraceSeconds: 4,
      // Transfer's events are best effort: this one never reaches the bus.
      transferEventFilter: (entry) => !entry.Detail.includes('lost.csv'),
    });
    const acme = await harness.addPartner('acme', 'multi-entity');
    session = await acme.connect();
  });
  afterAll(async () => harness?.stop());

  it('is Rejected / Interrupted after the grace period, applies nothing, and is counted in the log', async () => {
    // Act
    await session.put(`${ROOT}/employees/upload/all/lost.csv`, csvOf([person(1)]));

    // Assess
    const row = await statusRow(session, 'lost.csv', (s) => s === 'Rejected', 60_000);
    expect((await errorReport(session, ROOT, row))[0]).toMatchObject({
      'Error Type': 'Interrupted',
      'Error Description': 'We could not confirm that the transfer finished; nothing was applied; upload it again.',
    });
    expect(await base(harness, 'acme')).toEqual([]);
    expect(
      harness.logs.filter((l) => l.startsWith('ERROR transfer result missing') && l.includes('metric=TransferResultMissing')),
    ).toHaveLength(1);
  });
});
