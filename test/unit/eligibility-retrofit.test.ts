import { describe, expect, it } from 'vitest';
import { phoneTypeOf, retrofitProfile } from '../../lambdas/core/eligibility/profiles/retrofit.ts';
import type { CustomHeader } from '../../lambdas/core/partners/partner.ts';
import { runEligibilityEngine } from '../../lambdas/core/eligibility/engine.ts';
import { brPartner, readAll, csvText, rowErrors, streamOf, validRow } from './eligibility-read-fixtures.ts';

/** SPEC §11: the retrofit eligibility file, rule by rule, through the shared reader. */

function partnerWith(customHeaders: CustomHeader[] = []) {
  return brPartner({
    country: 'US',
    currency: 'USD',
    entityType: 'single-entity',
    profile: 'retrofit',
    companies: [{ taxId: '987654321', name: 'Retro' }],
    customHeaders,
  });
}

async function read(lines: string[], customHeaders: CustomHeader[] = []) {
  return readAll([csvText(lines)], { profile: retrofitProfile, partner: partnerWith(customHeaders) });
}

const HEADER = 'External Id,First Name,Last Name,Email,Eligibility Type';

describe('retrofit delimiters and quoting', () => {
  it('reads a pipe file with the `External ID` spelling', async () => {
    const { header, outcomes, fileError } = await read([
      'External ID|First Name|Last Name|Email|Eligibility Type',
      'RF10000|Blake|Clark|blake.clark@example.com|Employee',
    ]);

    expect(fileError).toBeUndefined();
    expect(header).toEqual(['employeeId', 'firstName', 'lastName', 'email', 'eligibilityType']);
    expect(validRow(outcomes[0]!)).toMatchObject({
      companyTaxId: '987654321',
      identifiers: { employeeId: 'RF10000' },
      values: { lastName: 'Clark' },
    });
  });

  it('reads a fully quoted comma file with blank cells', async () => {
    const { outcomes } = await read([
      '"External Id","First Name","Last Name","Email","Eligibility Type"',
      '"RF10001","Gordon","Nolan",,"Dependent"',
      '"RF10002","Joseph","Bailey",,',
    ]);

    expect(outcomes.map((o) => validRow(o).values)).toMatchObject([
      { employeeId: 'RF10001', email: '', eligibilityType: 'Dependent' },
      { employeeId: 'RF10002', email: '', eligibilityType: 'Employee' },
    ]);
  });
});

describe('retrofit headers', () => {
  it('refuses the whole file for a header in the wrong case', async () => {
    const { fileError, outcomes } = await read(['External Id,First Name,Last Name,EMAIL,Eligibility Type', 'RF1,A,B,a@b.example,']);

    expect(outcomes).toHaveLength(0);
    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Unrecognized header', field: 'EMAIL' });
  });

  it('refuses a header nobody agreed on, and takes it once agreed', async () => {
    const lines = [`${HEADER},Department`, 'RF1,A,B,,,Sales'];

    expect((await read(lines)).fileError).toMatchObject({ type: 'Unrecognized header', field: 'Department' });
    expect(validRow((await read(lines, [{ name: 'Department', mode: 'store' }])).outcomes[0]!).values).toMatchObject({
      'custom:Department': 'Sales',
    });
  });

  it('reads but does not keep an ignored custom header', async () => {
    const { header, outcomes } = await read([`${HEADER},Badge`, 'RF1,A,B,,,B-7'], [{ name: 'Badge', mode: 'ignore' }]);

    expect(header).not.toContain('custom:Badge');
    expect(Object.keys(validRow(outcomes[0]!).values)).not.toContain('custom:Badge');
  });

  it('takes the address headers', async () => {
    const { outcomes } = await read([`${HEADER},Street 1,Street 2,City,State,Postal Code`, 'RF1,A,B,,,1 Main St,Apt 2,Cleveland,OH,44101']);

    expect(validRow(outcomes[0]!).values).toMatchObject({
      street1: '1 Main St',
      street2: 'Apt 2',
      city: 'Cleveland',
      state: 'OH',
      postalCode: '44101',
    });
  });

  it('types phone headers by the word in their name, and agreed phone headers as Other', async () => {
    expect(['Cell Phone', 'Mobile', 'Home Phone', 'Work Phone', 'Office Line'].map(phoneTypeOf)).toEqual([
      'Cell',
      'Mobile',
      'Home',
      'Work',
      'Office',
    ]);
    const { header } = await read(
      [`${HEADER},Cell Phone,Work Phone,Pager Phone`, 'RF1,A,B,,,8471234567,,'],
      [{ name: 'Pager Phone', mode: 'store' }],
    );

    expect(header).toEqual(expect.arrayContaining(['phone-cell:Cell Phone', 'phone-work:Work Phone', 'phone-other:Pager Phone']));
  });

  it('lets an agreed header win over the phone words', async () => {
    const { header } = await read([`${HEADER},Work Location`, 'RF1,A,B,,,Ohio'], [{ name: 'Work Location', mode: 'store' }]);

    expect(header).toContain('custom:Work Location');
  });
});

describe('retrofit cells', () => {
  it('takes phone numbers as digits only', async () => {
    const lines = (value: string) => [`${HEADER},Cell Phone`, `RF1,A,B,,,${value}`];

    expect(validRow((await read(lines('8471234567'))).outcomes[0]!).values['phone-cell:Cell Phone']).toBe('8471234567');
    expect(rowErrors((await read(lines('847-123-4567'))).outcomes[0]!)[0]).toMatchObject({ field: 'Cell Phone', type: 'Invalid' });
  });

  it('refuses External Ids that look like an SSN, without echoing them', async () => {
    for (const id of ['123-45-6789', '123456789']) {
      const [error] = rowErrors((await read([HEADER, `${id},A,B,,`])).outcomes[0]!);
      expect(error).toMatchObject({ field: 'External Id', type: 'Invalid' });
      expect(error!.description).not.toContain(id);
    }
    expect(validRow((await read([HEADER, '12345678,A,B,,'])).outcomes[0]!).identifiers.employeeId).toBe('12345678');
  });

  it('requires External Id, and takes a blank Email', async () => {
    expect(rowErrors((await read([HEADER, ',A,B,,'])).outcomes[0]!)[0]).toMatchObject({ field: 'External Id', type: 'Missing' });
    expect(validRow((await read([HEADER, 'RF1,A,B,,'])).outcomes[0]!).values.email).toBe('');
  });

  it('takes the Eligibility Type values, blank meaning Employee', async () => {
    const { outcomes } = await read([HEADER, 'RF1,A,B,,Custom3', 'RF2,A,B,,', 'RF3,A,B,,Spouse']);

    expect(validRow(outcomes[0]!).values.eligibilityType).toBe('Custom3');
    expect(validRow(outcomes[1]!).values.eligibilityType).toBe('Employee');
    expect(rowErrors(outcomes[2]!)[0]).toMatchObject({ field: 'Eligibility Type', type: 'Invalid' });
  });

  it('deactivates people missing from the file at once, and lets the wipe guard judge a header-only file', () => {
    expect(retrofitProfile).toMatchObject({
      removals: 'immediate',
      headerOnly: 'wipe-guard',
      headerMatch: 'exact',
      delimiters: [',', '|'],
    });
  });
});

describe('retrofit through the engine', () => {
  const plan = (lines: string[], base: Parameters<typeof runEligibilityEngine>[0]['base'] = [], wipeThreshold = 0.1) =>
    runEligibilityEngine({
      input: streamOf([csvText(lines)]),
      profile: retrofitProfile,
      partner: { ...partnerWith(), wipeThreshold },
      mode: 'replace',
      base,
      maxRows: 100,
    });

  it('refuses an External Id given twice in the file', async () => {
    const result = await plan([HEADER, 'RF1,A,B,,', 'RF1,C,D,,']);

    expect(result.verdict).toBe('rejected');
    expect(result.errors).toContainEqual(expect.objectContaining({ line: 2, type: 'Duplicated', field: 'External Id' }));
  });

  it('refuses a header-only file with the wipe guard by default, and removes everyone at a threshold of 1', async () => {
    const base = [1, 2, 3].map((n) => ({
      employeeKey: `k${n}`,
      companyTaxId: '987654321',
      active: true,
      fingerprint: 'x',
      identifiers: { employeeId: `RF${n}` },
    }));

    const guarded = await plan([HEADER], base);
    const wiped = await plan([HEADER], base, 1);

    expect(guarded.verdict).toBe('rejected');
    expect(guarded.errors[0]).toMatchObject({ type: 'Database wipe' });
    expect(wiped.verdict).toBe('accepted');
    expect(wiped.changes.map((c) => c.kind)).toEqual(['remove', 'remove', 'remove']);
  });
});
