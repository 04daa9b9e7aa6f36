import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../../local/sftp/host-key.ts';
import { sftpBatchOk } from '../support/openssh-sftp.ts';
import { connectSftp, parseSmallCsv, startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { ACME } from './eligibility-support.ts';
import { nextMonth, type HistoryRow } from './flexben-support.ts';
import { today } from './jobs-support.ts';

/**
 * Files above the 5 MiB multipart threshold through every flow, in local mode, against real moto
 * (SPEC §4, §15): before the fix a copy of an object written in parts failed every read with a
 * checksum mismatch, so files this size never got past the archive. A census, a credit file and
 * a platform-events import, each above the threshold, go up (the first two through OpenSSH
 * `sftp`) and are applied in full. Their rows carry long employee ids, so the files are big while
 * the writes they cost moto stay few; the 100,000-row census is `npm run bench:e2e`'s.
 */

const EMPLOYEES = 11_000;
const MULTIPART = 5 * 1024 * 1024;
const ROOT = '/multientity';
const LONG = 10 * 60_000;
const employeeId = (i: number): string => `E${i}-${'x'.repeat(500)}`;

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  async function* chunks(): AsyncGenerator<string> {
    let chunk = '';
    for (const line of lines) {
      chunk += `${line}\n`;
      if (chunk.length > 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipe(Readable.from(chunks()), createWriteStream(path));
  return (await stat(path)).size;
}

describe('files above the multipart threshold, end to end', () => {
  let harness: Harness;
  let session: SftpSession;
  let dir: string;
  let port: number;
  const keys = generateEd25519KeyPair();

  beforeAll(async () => {
    harness = await startHarness();
    await harness.addPartner('bigco', 'multi-entity', { sshPublicKeys: [keys.public] });
    port = harness.pipeline.sftp.port;
    session = await connectSftp(port, 'bigco', keys.private);
    dir = await mkdtemp(join(tmpdir(), 'large-files-'));
    await writeFile(join(dir, 'key'), keys.private, { mode: 0o600 });
  });
  afterAll(async () => {
    session?.end();
    await harness?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'applies a census above the threshold uploaded with OpenSSH sftp, every row in the base',
    async () => {
      const lines = (function* () {
        yield 'Company Tax ID,Name,Employee ID';
        for (let i = 0; i < EMPLOYEES; i++) yield `${ACME},Pessoa ${i},${employeeId(i)}`;
      })();
      expect(await writeLines(join(dir, 'census.csv'), lines)).toBeGreaterThan(MULTIPART);
      await sftpBatchOk({ port, user: 'bigco', keyFile: 'key', cwd: dir }, [`put census.csv ${ROOT}/employees/upload/all/census.csv`]);

      const rows = await waitFor(
        async () => parseSmallCsv((await session.get(`${ROOT}/employees/upload/status.csv`)).toString('utf8')),
        (found) =>
          found.some(
            (r) => r.filename?.endsWith('-census.csv') && !['Validating', 'Processing', 'Pending'].includes(r.processing_status ?? ''),
          ),
        LONG,
      );
      expect(rows.filter((r) => r.filename?.endsWith('-census.csv')).map((r) => r.processing_status)).toEqual(['Succeeded']);
      const active = await harness.pipeline.employees.activeOf('bigco', ACME);
      expect(active).toHaveLength(EMPLOYEES);
    },
    LONG,
  );

  it(
    'applies a credit file above the threshold uploaded with OpenSSH sftp to those employees',
    async () => {
      const { month, year } = nextMonth();
      const lines = (function* () {
        yield 'Company Tax ID,Email,National ID,Employee ID,Amount,Last Credited Month,Last Credited Year';
        for (let i = 0; i < EMPLOYEES; i++) yield `${ACME},,,${employeeId(i)},150.00,${month},${year}`;
      })();
      expect(await writeLines(join(dir, 'credits.csv'), lines)).toBeGreaterThan(MULTIPART);
      await sftpBatchOk({ port, user: 'bigco', keyFile: 'key', cwd: dir }, [
        `put credits.csv ${ROOT}/flexben/upload/add-or-update/credits.csv`,
      ]);

      const history = await waitFor(
        async () =>
          parseSmallCsv((await session.get(`${ROOT}/flexben/download/upload_history.csv`)).toString('utf8')) as unknown as HistoryRow[],
        (found) => found.some((r) => r['File name'].endsWith('-credits.csv')),
        LONG,
      );
      expect(history.find((r) => r['File name'].endsWith('-credits.csv'))).toMatchObject({ Status: 'SUCCEEDED', '# Errors': '0' });
      expect((await harness.pipeline.credits.all('bigco')).size).toBe(EMPLOYEES);
    },
    LONG,
  );

  it(
    'loads a platform-events import above the threshold',
    async () => {
      const lines = (function* () {
        for (let i = 0; i < EMPLOYEES; i++) {
          yield JSON.stringify({
            type: 'member.registered',
            at: `${today()}T00:00:01Z`,
            companyTaxId: ACME,
            employee: { employeeId: employeeId(i) },
            familyMember: false,
          });
        }
      })();
      const path = join(dir, 'events.jsonl');
      expect(await writeLines(path, lines)).toBeGreaterThan(MULTIPART);
      const key = 'internal/platform-events/large-import.jsonl';
      await harness.pipeline.deps.store.putStream(key, createReadStream(path), { contentType: 'application/x-ndjson' });

      const line = await waitFor(
        async () => harness.logs.find((l) => l.startsWith('platform events: file loaded') && l.includes(key)),
        (found) => found !== undefined,
        LONG,
      );
      expect(line).toMatch(new RegExp(`loaded=${EMPLOYEES} rejected=0$`));
    },
    LONG,
  );
});
