import { describe, expect, it } from 'vitest';
import { upwardsFileNameProblem, upwardsProfile } from '../../lambdas/core/eligibility/profiles/upwards.ts';
import { usDate, usPhoneDigits } from '../../lambdas/core/eligibility/profiles/column-kinds.ts';
import { brPartner, readAll, csvText, rowErrors, validRow } from './eligibility-read-fixtures.ts';

/** SPEC §10: the upwards Active Members List, rule by rule, through the shared reader. */

const partner = brPartner({
  country: 'US',
  currency: 'USD',
  entityType: 'single-entity',
  profile: 'upwards',
  companies: [{ taxId: '123456789', name: 'ACME' }],
});
const HEADER = 'employee_id,first_name,last_name,email,zip_code';

async function read(lines: string[]) {
  return readAll([csvText(lines)], { profile: upwardsProfile, partner });
}

/** One data row under `HEADER` plus `extraHeader`, with the row's extra cells. */
async function readOne(extraHeader: string, extraCells: string, base = '13492502,Johnny,Appleseed,johnny@acme.example,90292') {
  const { outcomes, fileError } = await read([
    `${HEADER}${extraHeader ? `,${extraHeader}` : ''}`,
    `${base}${extraHeader ? `,${extraCells}` : ''}`,
  ]);
  expect(fileError).toBeUndefined();
  return outcomes[0]!;
}

describe('upwards file name', () => {
  it('accepts {CUSTOMER_NAME}_benefits_access_{YYYYMMDD}.csv', () => {
    expect(upwardsFileNameProblem('ACME_benefits_access_20261101.csv')).toBeUndefined();
    expect(upwardsFileNameProblem('Acme Corp_benefits_access_20260229.csv')).toMatch(/pattern/); // no Feb 29 in 2026
    expect(upwardsFileNameProblem('Acme Corp_benefits_access_20280229.csv')).toBeUndefined();
  });

  it('refuses other names, naming the expected pattern', () => {
    for (const name of [
      'ACME_20261101.csv',
      '_benefits_access_20261101.csv',
      'ACME_benefits_access_2026-11-01.csv',
      'ACME_benefits_access_20261101.txt',
    ]) {
      expect(upwardsFileNameProblem(name)).toContain('{CUSTOMER_NAME}_benefits_access_{YYYYMMDD}.csv');
    }
  });
});

describe('upwards columns', () => {
  it('reads the sample row for the partner’s one company, headers in any case and order', async () => {
    const { header, outcomes } = await read([
      'Email,EMPLOYEE_ID,Last_Name,first_name,zip_code',
      'johnny@acme.example,13492502,Appleseed,Johnny,90292',
    ]);

    expect(header).toEqual(['email', 'employeeId', 'lastName', 'firstName', 'zipCode']);
    expect(validRow(outcomes[0]!)).toMatchObject({
      companyTaxId: '123456789',
      identifiers: { employeeId: '13492502', email: 'johnny@acme.example' },
      values: { employeeId: '13492502', firstName: 'Johnny', lastName: 'Appleseed', zipCode: '90292' },
    });
  });

  it('refuses a file lacking a required column', async () => {
    const { fileError } = await read(['employee_id,first_name,last_name,email', '1,A,B,a@b.example']);

    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Missing', field: 'zip_code' });
  });

  it('keeps unknown columns as custom attributes', async () => {
    const row = validRow(await readOne('Shoe Size,badge', '42,B-7'));

    expect(row.values).toMatchObject({ 'custom:Shoe Size': '42', 'custom:badge': 'B-7' });
  });

  it('requires the required cells, naming each', async () => {
    const errors = rowErrors(await readOne('', '', ',Johnny,,,'));

    expect(errors.map((e) => [e.field, e.type])).toEqual([
      ['employee_id', 'Missing'],
      ['last_name', 'Missing'],
      ['email', 'Missing'],
      ['zip_code', 'Missing'],
    ]);
  });

  it('takes 5-digit ZIP codes only, for home and work', async () => {
    expect(rowErrors(await readOne('', '', '1,A,B,a@b.example,2134'))[0]).toMatchObject({ field: 'zip_code', type: 'Invalid' });
    expect(rowErrors(await readOne('work_zip_code', '90292-1234'))[0]).toMatchObject({ field: 'work_zip_code', type: 'Invalid' });
    expect(validRow(await readOne('work_zip_code', '02134')).values.workZipCode).toBe('02134');
  });

  it('normalises the three US phone formats to 10 digits and refuses others', async () => {
    expect(usPhoneDigits('(555) 555-5555')).toBe('5555555555');
    expect(usPhoneDigits('555-555-5555')).toBe('5555555555');
    expect(usPhoneDigits('5555555555')).toBe('5555555555');
    expect(validRow(await readOne('phone,secondary_phone', '(444) 444-4444,444-444-4444')).values).toMatchObject({
      phone: '4444444444',
      secondaryPhone: '4444444444',
    });
    expect(rowErrors(await readOne('phone', '555-5555'))[0]).toMatchObject({ field: 'phone', type: 'Invalid' });
    expect(rowErrors(await readOne('secondary_phone', '+44 20 7946 0958'))[0]).toMatchObject({ field: 'secondary_phone', type: 'Invalid' });
  });

  it('checks emails, primary and secondary', async () => {
    expect(rowErrors(await readOne('', '', '1,A,B,dacus@modigliani@com,90292'))[0]).toMatchObject({ field: 'email', type: 'Invalid' });
    expect(rowErrors(await readOne('secondary_email', 'nope'))[0]).toMatchObject({ field: 'secondary_email', type: 'Invalid' });
  });

  it('takes start dates as real MM/DD/YYYY dates', async () => {
    expect(usDate('1/2/2021')).toBe('01/02/2021');
    expect(usDate('02/30/2021')).toBeUndefined();
    expect(validRow(await readOne('start_date', '01/22/2021')).values.startDate).toBe('01/22/2021');
    expect(rowErrors(await readOne('start_date', '2021-01-22'))[0]).toMatchObject({ field: 'start_date', type: 'Invalid' });
    expect(rowErrors(await readOne('start_date', '13/01/2021'))[0]).toMatchObject({ field: 'start_date', type: 'Invalid' });
  });

  it('takes has_dependents as 0 or 1', async () => {
    expect(validRow(await readOne('has_dependents', '1')).values.hasDependents).toBe('1');
    expect(rowErrors(await readOne('has_dependents', 'yes'))[0]).toMatchObject({ field: 'has_dependents', type: 'Invalid' });
  });

  it('takes salary and hourly rate as non-negative numbers', async () => {
    expect(validRow(await readOne('annual_salary,hourly_rate', '50000,15.50')).values).toMatchObject({
      annualSalary: '50000',
      hourlyRate: '15.50',
    });
    expect(rowErrors(await readOne('annual_salary', '-1'))[0]).toMatchObject({ field: 'annual_salary', type: 'Invalid' });
    expect(rowErrors(await readOne('hourly_rate', '$15'))[0]).toMatchObject({ field: 'hourly_rate', type: 'Invalid' });
  });

  it('takes employment_status from its list', async () => {
    expect(validRow(await readOne('employment_status', 'Part_Time_Employee')).values.employmentStatus).toBe('part_time_employee');
    const [error] = rowErrors(await readOne('employment_status', 'retired'));
    expect(error).toMatchObject({ field: 'employment_status', type: 'Invalid' });
    expect(error!.description).toContain('independent_contractor');
  });

  it('is a profile whose removals wait for approval and whose list sorts by last name', () => {
    expect(upwardsProfile).toMatchObject({
      removals: 'approval',
      sortBy: ['lastName', 'firstName'],
      headerOnly: 'wipe-guard',
      company: { kind: 'partner' },
    });
  });
});
