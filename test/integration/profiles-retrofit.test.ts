import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Partner } from '../../lambdas/core/partners/partner.ts';
import { startHarness, type Harness, type SftpSession } from '../support/local-harness.ts';
import { eligibleList, errorReport, putAndSettle } from './eligibility-support.ts';

/** SPEC §11 through SFTP and moto: retrofit eligibility files, their header rules and semantics. */

const TAX_ID = '987654321';

const PIPE_FILE = [
  'External ID|First Name|Last Name|Email|Eligibility Type|Cell Phone',
  'RF10000|Blake|Clark|blake.clark@example.com|Employee|8471234567',
  'RF10001|Gordon|Nolan|gordon.nolan@example.com|Employee|',
  'RF10002|Joseph|Bailey|joseph.bailey@example.com|Employee|',
  'RF10003|Audrey|Dyer|audrey.dyer@example.com|Dependent|',
].join('\r\n');

const QUOTED_FILE = [
  '"External Id","First Name","Last Name","Email","Eligibility Type","Location","Department"',
  '"10000","Blake","Clark","blake.clark@example.com","Employee","New York City","Accounts"',
  '"10001","Gordon","Nolan",,"Dependent","San Francisco","Support"',
  '"10002","Joseph","Bailey",,,"Cleveland",',
  '"10003","Audrey","Dyer","audrey.dyer@example.com","Consumer",,',
  '"10004","Jack","Harris","jack.harris@example.com",,,"Logistics, East"',
].join('\n');

describe('the retrofit profile through SFTP', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => harness?.stop());

  async function retrofitPartner(id: string, extra: Partial<Partner> = {}): Promise<SftpSession> {
    const partner = await harness.addPartner(id, 'single-entity', {
      profile: 'retrofit',
      country: 'US',
      currency: 'USD',
      companies: [{ taxId: TAX_ID, name: 'Retro' }],
      ...extra,
    });
    return partner.connect();
  }

  const active = async (id: string): Promise<string[]> =>
    (await harness.pipeline.employees.activeOf(id, TAX_ID)).map((e) => e.values.employeeId!).sort();

  it('applies a pipe file, deactivates who a later file leaves out, and lists people in retrofit columns', async () => {
    const session = await retrofitPartner('rf-pipe');

    const first = await putAndSettle(session, '', 'all', 'eligibility.txt', PIPE_FILE);
    const second = await putAndSettle(session, '', 'all', 'eligibility-2.txt', PIPE_FILE.split('\r\n').slice(0, 4).join('\r\n'));

    expect(first.processing_status).toBe('Succeeded');
    expect(second.processing_status).toBe('Succeeded');
    expect(await active('rf-pipe')).toEqual(['RF10000', 'RF10001', 'RF10002']);
    const { text, rows } = await eligibleList(session, '');
    expect(text.split('\r\n')[0]).toBe(
      'External Id,First Name,Last Name,Email,Eligibility Type,Street 1,Street 2,City,State,Postal Code,Cell Phone',
    );
    expect(rows.map((r) => r['Last Name'])).toEqual(['Bailey', 'Clark', 'Nolan']);
    expect(rows.find((r) => r['External Id'] === 'RF10000')).toMatchObject({ 'Cell Phone': '8471234567' });

    const writes = harness.pipeline.employees.writes;
    expect((await putAndSettle(session, '', 'all', 'list-back.csv', text)).processing_status).toBe('Succeeded');
    expect(harness.pipeline.employees.writes - writes).toBe(0);
  });

  it('applies a quoted comma file with stored and ignored custom headers, stored ones in the eligible list', async () => {
    const session = await retrofitPartner('rf-quoted', {
      customHeaders: [
        { name: 'Location', mode: 'store' },
        { name: 'Department', mode: 'ignore' },
      ],
    });

    const status = await putAndSettle(session, '', 'all', 'quoted.csv', QUOTED_FILE);

    expect(status.processing_status).toBe('Succeeded');
    const { rows } = await eligibleList(session, '');
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r['External Id'] === '10001')).toMatchObject({
      Email: '',
      'Eligibility Type': 'Dependent',
      Location: 'San Francisco',
    });
    expect(rows.find((r) => r['External Id'] === '10002')).toMatchObject({ 'Eligibility Type': 'Employee', Location: 'Cleveland' });
    expect(Object.keys(rows[0]!)).not.toContain('Department');
  });

  it('refuses the whole file for a header in the wrong case', async () => {
    const session = await retrofitPartner('rf-case');

    const status = await putAndSettle(
      session,
      '',
      'all',
      'case.csv',
      'External Id,First Name,Last Name,EMAIL,Eligibility Type\r\nRF1,A,B,a@b.example,\r\n',
    );

    expect(status.processing_status).toBe('Rejected');
    expect((await errorReport(session, '', status))[0]).toMatchObject({
      'Error Source': 'Upload error',
      'Error Type': 'Unrecognized header',
      'Field Name': 'EMAIL',
    });
    expect(await active('rf-case')).toEqual([]);
  });

  it('refuses the whole file for a custom header nobody registered', async () => {
    const session = await retrofitPartner('rf-custom', { customHeaders: [{ name: 'Location', mode: 'store' }] });

    const status = await putAndSettle(session, '', 'all', 'custom.csv', QUOTED_FILE);

    expect(status.processing_status).toBe('Rejected');
    const [error] = await errorReport(session, '', status);
    expect(error).toMatchObject({ 'Error Type': 'Unrecognized header', 'Field Name': 'Department' });
    expect(await active('rf-custom')).toEqual([]);
  });

  it('refuses an External Id that looks like an SSN, without echoing it', async () => {
    const session = await retrofitPartner('rf-ssn');

    const status = await putAndSettle(
      session,
      '',
      'all',
      'ssn.csv',
      'External Id|First Name|Last Name|Email|Eligibility Type\r\nRF1|A|B||\r\n123-45-6789|C|D||\r\n',
    );

    expect(status.processing_status).toBe('Rejected');
    const report = await errorReport(session, '', status);
    expect(report).toEqual([expect.objectContaining({ 'Line ID': '2', 'Field Name': 'External Id', 'Error Type': 'Invalid' })]);
    expect(JSON.stringify(report)).not.toContain('6789');
    expect(await active('rf-ssn')).toEqual([]);
  });

  it('refuses a header-only file with the wipe guard by default, and applies it with --wipe-threshold 1', async () => {
    const guarded = await retrofitPartner('rf-guarded');
    const wiping = await retrofitPartner('rf-wiping', { wipeThreshold: 1 });
    const headerOnly = 'External ID|First Name|Last Name|Email|Eligibility Type\r\n';
    await putAndSettle(guarded, '', 'all', 'start.txt', PIPE_FILE);
    await putAndSettle(wiping, '', 'all', 'start.txt', PIPE_FILE);

    const refused = await putAndSettle(guarded, '', 'all', 'headers.csv', headerOnly);
    const applied = await putAndSettle(wiping, '', 'all', 'headers.csv', headerOnly);

    expect(refused.processing_status).toBe('Rejected');
    expect((await errorReport(guarded, '', refused))[0]).toMatchObject({ 'Error Type': 'Database wipe' });
    expect(await active('rf-guarded')).toHaveLength(4);
    expect(applied.processing_status).toBe('Succeeded');
    expect(await active('rf-wiping')).toEqual([]);
  });
});
