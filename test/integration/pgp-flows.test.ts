import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GPG_AVAILABLE, startGpg, type Gpg } from '../support/gpg.ts';
import { parseSmallCsv, startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { ACME, csvOf, GLOBEX, person, putAndSettle } from './eligibility-support.ts';
import { CREDIT_HEADER, creditCsv, historyRows, nextMonth, putCredits } from './flexben-support.ts';
import { cli } from './jobs-support.ts';
import { requireTool } from '../support/required-tools.ts';

/**
 * SPEC §16 across the flows: a multi-entity partner that must encrypt and gets its downloads
 * encrypted sends an encrypted census, credit file and approval confirmation, and every file we
 * write with personal data is `.pgp` that gpg decrypts; status.csv and upload_history.csv stay plain.
 */

const ROOT = '/multientity';
const { month, year } = nextMonth();

requireTool(GPG_AVAILABLE, 'gpg', 'gnupg');

describe('PGP in every flow (multi-entity, required, downloads encrypted)', () => {
  let harness: Harness;
  let gpg: Gpg;
  let session: SftpSession;
  let provider: string;

  const encrypt = async (text: string): Promise<Buffer> => gpg.exec(['--recipient', provider, '--encrypt'], text);
  const decrypt = async (path: string): Promise<string> => (await gpg.exec(['--decrypt'], await session.get(path))).toString('utf8');

  beforeAll(async () => {
    harness = await startHarness();
    gpg = await startGpg();
    const key = await harness.pipeline.deps.providerKey?.get();
    if (!key) throw new Error('no provider key');
    provider = key.fingerprint;
    await gpg.importKey(key.publicKey);
    await gpg.generateKey('HR Group <hr@group.test>');
    const partner = await harness.addPartner('pgp-group', 'multi-entity', {
      companies: [
        { taxId: ACME, name: 'Acme' },
        { taxId: GLOBEX, name: 'Globex' },
      ],
      pgpPublicKey: await gpg.exportPublic('hr@group.test'),
      encryptUploads: 'required',
      encryptDownloads: 'on',
      approval: 'required',
    });
    session = await partner.connect();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    await gpg?.close();
  });

  it('applies an encrypted census; status.csv stays plain and the eligible list is .pgp', async () => {
    const row = await putAndSettle(session, ROOT, 'all', 'base.csv.pgp', await encrypt(csvOf([person(1), person(2), person(3, GLOBEX)])));

    expect(row.processing_status).toBe('Succeeded');
    const [list, ...others] = (await session.list(`${ROOT}/employees/download`)).filter((f) => f.includes('Eligible-list'));
    expect(others).toEqual([]);
    expect(list).toMatch(/_Eligible-list\.csv\.pgp$/);
    expect(parseSmallCsv(await decrypt(`${ROOT}/employees/download/${list}`))).toHaveLength(3);
  });

  it('applies an encrypted credit file; the beneficiaries list is .pgp and the history plain', async () => {
    const credits = creditCsv(CREDIT_HEADER, [[ACME, 'p1@example.com', '', '', '100', month, year]]);
    await session.put(`${ROOT}/flexben/upload/add-or-update/credits.csv.pgp`, await encrypt(credits));
    const rows = await waitFor(
      () => historyRows(session, ROOT),
      (found) => found.some((r) => r['File name'].endsWith('-credits.csv.pgp')),
      60_000,
    );

    expect(rows.find((r) => r['File name'].endsWith('-credits.csv.pgp'))).toMatchObject({ Status: 'SUCCEEDED', '# Errors': '0' });
    const downloads = await session.list(`${ROOT}/flexben/download`);
    expect(downloads).toContain('upload_history.csv');
    expect(downloads).toContain('beneficiaries-list.csv.pgp');
    expect(downloads).not.toContain('beneficiaries-list.csv');
    expect(parseSmallCsv(await decrypt(`${ROOT}/flexben/download/beneficiaries-list.csv.pgp`)).map((r) => r.Amount)).toEqual(['100.00']);
  });

  it('refuses a plaintext credit file under required, in the flexben history and report', async () => {
    const credits = creditCsv(CREDIT_HEADER, [[ACME, 'p2@example.com', '', '', '50', month, year]]);
    const row = await putCredits(session, ROOT, 'add-or-update', 'plain-credits.csv', credits);

    expect(row.Status).toBe('REJECTED');
    const [line] = parseSmallCsv(await decrypt(`${ROOT}/flexben/download/errors/${row['File name']}.pgp`));
    expect(line).toMatchObject({ 'Error Type': 'Encryption' });
  });

  it('holds removals in a .pgp pending list and takes an encrypted approval confirmation', async () => {
    const row = await putAndSettle(session, ROOT, 'all', 'shrink.csv.gpg', await encrypt(csvOf([person(1), person(3, GLOBEX)])));
    expect(row.processing_status).toBe('Approval_Requested');
    const approvals = `${ROOT}/employees/upload/approvals`;
    const pending = `${row.filename.replace(/\.gpg$/, '')}-pending.csv.pgp`;
    expect(await session.list(approvals)).toEqual([pending]);
    expect(parseSmallCsv(await decrypt(`${approvals}/${pending}`)).map((r) => r.Name)).toEqual(['Person 0002']);

    const confirmation = await putAndSettle(session, ROOT, 'approvals', `APPROVE-${row.filename}.pgp`, await encrypt('yes'));

    expect(confirmation.processing_status).toBe('Succeeded');
    expect(await session.list(approvals)).toEqual([]);
    expect((await harness.pipeline.employees.activeOf('pgp-group', ACME)).map((e) => e.values.name)).toEqual(['Person 0001']);
  });

  it('writes payroll files and report zips as .pgp', async () => {
    const cycle = `${year}-${month.padStart(2, '0')}`;
    expect((await cli(harness, 'job', 'payroll', '--cycle', cycle, '--partner', 'pgp-group')).code).toBe(0);
    expect((await cli(harness, 'job', 'reports', '--end', new Date().toISOString().slice(0, 10), '--partner', 'pgp-group')).code).toBe(0);

    const payroll = (await session.list(`${ROOT}/payroll`)).filter((f) => f !== 'leavers');
    const reports = await session.list(`${ROOT}/reports`);
    expect(payroll).toEqual([expect.stringMatching(/_wellhub_payroll_deduction\.zip\.pgp$/)]);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((f) => f.endsWith('.zip.pgp'))).toBe(true);
    const zip = await gpg.exec(['--decrypt'], await session.get(`${ROOT}/reports/${reports[0]}`));
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
