import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordedEmails } from '../../lambdas/adapters/recording-mailer.ts';
import { startHarness, parseSmallCsv, type Harness, type SftpSession } from '../support/local-harness.ts';
import { eligibleList, errorReport, putAndSettle } from './eligibility-support.ts';
import { cli, csvLines, statusRows, waitForStatus } from './profiles-support.ts';

/**
 * SPEC §10 through SFTP and moto: an upwards Active Members List, then lists that leave someone
 * out — held for approval, then approved or declined by a file or the CLI, or left to expire.
 */

const TAX_ID = '123456789';
const HEADER = ['employee_id', 'first_name', 'last_name', 'email', 'zip_code', 'phone', 'start_date', 'employment_status', 'Shoe Size'];

function member(n: number, overrides: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    employee_id: `${13492500 + n}`,
    first_name: `First${n}`,
    last_name: `Last${String(n).padStart(3, '0')}`,
    email: `m${n}@acme.example`,
    zip_code: '90292',
    phone: '(555) 555-5555',
    start_date: '01/22/2021',
    employment_status: 'full_time_employee',
    'Shoe Size': `${30 + n}`,
  };
  return HEADER.map((h) => overrides[h] ?? base[h] ?? '');
}

const list = (ns: number[], overrides: Record<number, Partial<Record<string, string>>> = {}): string =>
  csvLines(
    HEADER,
    ns.map((n) => member(n, overrides[n])),
  );

const name = (date: string): string => `ACME_benefits_access_${date}.csv`;

describe('the upwards profile through SFTP', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => harness?.stop());

  async function upwardsPartner(id: string): Promise<SftpSession> {
    const partner = await harness.addPartner(id, 'single-entity', {
      profile: 'upwards',
      country: 'US',
      currency: 'USD',
      companies: [{ taxId: TAX_ID, name: 'ACME' }],
    });
    return partner.connect();
  }

  const active = async (id: string): Promise<string[]> =>
    (await harness.pipeline.employees.activeOf(id, TAX_ID)).map((e) => e.values.employeeId!).sort();

  it('applies a list and writes the eligible list in upwards columns, custom attributes kept', async () => {
    const session = await upwardsPartner('upw-list');

    const status = await putAndSettle(session, '', 'all', name('20261101'), list([2, 1, 3]));

    expect(status).toMatchObject({ batch_type: 'full_file', processing_status: 'Succeeded' });
    const { text, rows } = await eligibleList(session, '');
    expect(text.split('\r\n')[0]).toBe(
      `${HEADER.slice(0, 5).join(',')},phone,secondary_phone,secondary_email,start_date,has_dependents,work_zip_code,supervisor,location,department,division,business_unit,job_category,annual_salary,hourly_rate,employment_status,Shoe Size`,
    );
    expect(rows.map((r) => r.last_name)).toEqual(['Last001', 'Last002', 'Last003']);
    expect(rows[0]).toMatchObject({ phone: '5555555555', 'Shoe Size': '31', employment_status: 'full_time_employee' });

    const again = await putAndSettle(session, '', 'all', name('20261102'), text);
    expect(again.processing_status).toBe('Succeeded');
    expect(await active('upw-list')).toHaveLength(3);
  });

  it('refuses a file not named by the pattern, and a bad cell with its line', async () => {
    const session = await upwardsPartner('upw-bad');

    const badName = await putAndSettle(session, '', 'all', 'members.csv', list([1]));
    const badCell = await putAndSettle(
      session,
      '',
      'all',
      name('20261103'),
      list([1, 2], { 2: { zip_code: '9029', employment_status: 'retired' } }),
    );

    expect(badName.processing_status).toBe('Rejected');
    expect((await errorReport(session, '', badName))[0]).toMatchObject({ 'Error Type': 'Invalid' });
    expect((await errorReport(session, '', badName))[0]!['Error Description']).toContain('{CUSTOMER_NAME}_benefits_access_{YYYYMMDD}.csv');
    expect(badCell.processing_status).toBe('Rejected');
    const report = await errorReport(session, '', badCell);
    expect(report.map((r) => [r['Line ID'], r['Field Name'], r['Error Type']])).toEqual([
      ['2', 'zip_code', 'Invalid'],
      ['2', 'employment_status', 'Invalid'],
    ]);
    expect(await active('upw-bad')).toEqual([]);
  });

  it('holds removals for approval, applies the rest, then removes them on an APPROVE file', async () => {
    const session = await upwardsPartner('upw-approve');
    await putAndSettle(session, '', 'all', name('20261101'), list([1, 2, 3, 4]));
    const writes = harness.pipeline.employees.writes;

    const second = await putAndSettle(session, '', 'all', name('20261201'), list([1, 2, 4, 5], { 2: { first_name: 'Renamed' } }));

    expect(second.processing_status).toBe('Approval_Requested');
    expect(await active('upw-approve')).toEqual(['13492501', '13492502', '13492503', '13492504', '13492505']);
    expect(harness.pipeline.employees.writes - writes).toBe(2); // one add, one update; nobody removed
    const pending = parseSmallCsv((await session.get(`/employees/upload/approvals/${second.filename}-pending.csv`)).toString('utf8'));
    expect(pending.map((r) => r.employee_id)).toEqual(['13492503']);
    const emails = await readRecordedEmails(harness.pipeline.deps.store);
    const mail = emails.find((e) => e.subject.includes(second.filename));
    expect(mail?.to).toEqual(['hr@upw-approve.example']);
    expect(mail?.subject).toContain('approval');
    expect(mail?.body).toContain(`APPROVE-${second.filename}`);
    expect(mail?.body).toContain(`/employees/upload/approvals/${second.filename}-pending.csv`);

    const confirmation = await putAndSettle(session, '', 'approvals', `APPROVE-${second.filename}`, '');

    expect(confirmation.processing_status).toBe('Succeeded');
    expect((await waitForStatus(session, second.filename, 'Succeeded')).processing_status).toBe('Succeeded');
    expect(await active('upw-approve')).toEqual(['13492501', '13492502', '13492504', '13492505']);
    const stored = [];
    for await (const e of harness.pipeline.employees.loadBase('upw-approve', [TAX_ID])) stored.push(e);
    expect(stored.find((e) => e.identifiers.employeeId === '13492503')).toMatchObject({ active: false }); // kept, not deleted
    expect(await session.list('/employees/upload/approvals')).not.toContain(`${second.filename}-pending.csv`);
    expect((await eligibleList(session, '')).rows.map((r) => r.employee_id)).not.toContain('13492503');
  });

  it('keeps everyone on a DECLINE file, the upload ending Deleted', async () => {
    const session = await upwardsPartner('upw-decline');
    await putAndSettle(session, '', 'all', name('20261101'), list([1, 2, 3]));
    const second = await putAndSettle(session, '', 'all', name('20261201'), list([1, 2]));
    expect(second.processing_status).toBe('Approval_Requested');

    const confirmation = await putAndSettle(session, '', 'approvals', `DECLINE-${second.filename}`, 'no thanks');

    expect(confirmation.processing_status).toBe('Succeeded');
    await waitForStatus(session, second.filename, 'Deleted');
    expect(await active('upw-decline')).toEqual(['13492501', '13492502', '13492503']);
  });

  it('rejects a confirmation that names nothing awaiting approval', async () => {
    const session = await upwardsPartner('upw-unknown');

    const confirmation = await putAndSettle(session, '', 'approvals', 'APPROVE-1764547200-nothing.csv', '');

    expect(confirmation.processing_status).toBe('Rejected');
    expect((await errorReport(session, '', confirmation))[0]).toMatchObject({ 'Error Type': 'Unknown' });
  });

  it('is approved or declined by the operator with the CLI', async () => {
    const session = await upwardsPartner('upw-cli');
    await putAndSettle(session, '', 'all', name('20261101'), list([1, 2, 3]));
    const second = await putAndSettle(session, '', 'all', name('20261201'), list([1, 2]));

    const approved = await cli(harness.prefix, 'upload', 'approve', 'upw-cli', second.filename);
    const twice = await cli(harness.prefix, 'upload', 'decline', 'upw-cli', second.filename);

    expect(approved).toMatchObject({ code: 0, stderr: '' });
    expect(approved.stdout).toContain('1 removed');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/no longer awaiting approval: it was approved/);
    expect((await statusRows(session)).find((r) => r.filename === second.filename)?.processing_status).toBe('Succeeded');
    expect(await active('upw-cli')).toEqual(['13492501', '13492502']);

    const third = await putAndSettle(session, '', 'all', name('20261202'), list([1]));
    const declined = await cli(harness.prefix, 'upload', 'decline', 'upw-cli', third.filename);
    expect(declined.code).toBe(0);
    expect((await statusRows(session)).find((r) => r.filename === third.filename)?.processing_status).toBe('Deleted');
    expect(await active('upw-cli')).toEqual(['13492501', '13492502']);
  });

  it('expires an approval after 14 days as Deleted, nobody removed', async () => {
    const session = await upwardsPartner('upw-expire');
    await putAndSettle(session, '', 'all', name('20261101'), list([1, 2, 3]));
    const second = await putAndSettle(session, '', 'all', name('20261201'), list([1, 3]));
    const day = 24 * 60 * 60 * 1000;

    const early = await cli(harness.prefix, 'job', 'expire-approvals', '--now', new Date(Date.now() + 13 * day).toISOString());
    expect(early.stdout).not.toContain('upw-expire');
    expect((await statusRows(session)).find((r) => r.filename === second.filename)?.processing_status).toBe('Approval_Requested');

    const late = await cli(harness.prefix, 'job', 'expire-approvals', '--now', new Date(Date.now() + 15 * day).toISOString());

    expect(late.code).toBe(0);
    expect(late.stdout).toContain(`upw-expire/${second.filename}`);
    expect((await statusRows(session)).find((r) => r.filename === second.filename)?.processing_status).toBe('Deleted');
    expect(await active('upw-expire')).toEqual(['13492501', '13492502', '13492503']);
    expect(await session.list('/employees/upload/approvals')).toEqual([]);
  });

  it('previews in a dry run that removals would wait for approval, changing nothing', async () => {
    const session = await upwardsPartner('upw-dry');
    await putAndSettle(session, '', 'all', name('20261101'), list([1, 2, 3]));

    const dry = await putAndSettle(session, '', 'dry-run', name('20261201'), list([1, 2]));

    expect(dry).toMatchObject({ batch_type: 'dry_run', processing_status: 'Validated' });
    const report = await errorReport(session, '', dry);
    expect(report.map((r) => r['Error Description'])).toEqual([
      expect.stringContaining('1 to remove'),
      expect.stringContaining('would wait for your approval'),
    ]);
    expect(await active('upw-dry')).toEqual(['13492501', '13492502', '13492503']);
  });

  it('lets a newer list supersede a pending approval', async () => {
    const session = await upwardsPartner('upw-newer');
    await putAndSettle(session, '', 'all', name('20261101'), list([1, 2, 3]));
    const first = await putAndSettle(session, '', 'all', name('20261201'), list([1, 2]));

    const newer = await putAndSettle(session, '', 'all', name('20261215'), list([1, 2, 3]));

    expect(newer.processing_status).toBe('Succeeded');
    expect((await statusRows(session)).find((r) => r.filename === first.filename)?.processing_status).toBe('Deleted');
    expect(await active('upw-newer')).toEqual(['13492501', '13492502', '13492503']);
  });
});
