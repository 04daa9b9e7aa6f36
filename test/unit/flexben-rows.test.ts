import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeAmount } from '../../lambdas/core/flexben/columns.ts';
import { addOrUpdateProfile, removalProfile } from '../../lambdas/core/flexben/profiles.ts';
import { brPartner, CNPJ, CPF, readLines, rowErrors, validRow } from './eligibility-read-fixtures.ts';

/** SPEC §7.1, §7.2: every row rule of the credit files, through the shared reader. */

const ADD_HEADER = 'Company Tax ID,Email,National ID,Employee ID,Amount,Last Credited Month,Last Credited Year';
const NOW = new Date('2026-11-30T23:59:59.000Z'); // the last second of November, UTC

async function addRow(row: string, now = NOW) {
  const { outcomes, fileError } = await readLines([ADD_HEADER, row], { profile: addOrUpdateProfile(now), partner: brPartner() });
  expect(fileError).toBeUndefined();
  expect(outcomes).toHaveLength(1);
  return outcomes[0]!;
}

describe('add-or-update rows', () => {
  it('accepts a row naming the employee by email, normalising the amount to two decimals', async () => {
    const row = validRow(await addRow(`${CNPJ.acme},Maria@Acme.example.com,,,10,12,2026`));

    expect(row.companyTaxId).toBe(CNPJ.acme);
    expect(row.identifiers).toEqual({ email: 'maria@acme.example.com' });
    expect(row.values).toMatchObject({ amount: '10.00', month: '12', year: '2026' });
  });

  it('reads identifiers as the census does: a punctuated CPF, a CNPJ without its leading zero', async () => {
    const row = validRow(await addRow(`1916628000102,,${CPF.validPunctuated},E-1,100.5,11,2026`));

    expect(row.companyTaxId).toBe(CNPJ.leadingZero);
    expect(row.identifiers).toEqual({ nationalId: CPF.valid, employeeId: 'E1' });
    expect(row.values['amount']).toBe('100.50');
  });

  it.each([
    ['10', '10.00'],
    ['100.00', '100.00'],
    ['0.01', '0.01'],
    ['007.5', '7.50'],
    [' 45 ', '45.00'],
  ])('normalises the amount %j to %j', (raw, expected) => {
    expect(normalizeAmount(raw)).toBe(expected);
  });

  it('explains a comma decimal separator in its own words', async () => {
    const [error] = rowErrors(await addRow(`${CNPJ.acme},a@acme.example.com,,,"10,50",12,2026`));

    expect(error).toMatchObject({ source: 'Input error', line: 1, field: 'Amount', type: 'Invalid', companyTaxId: CNPJ.acme });
    expect(error?.description).toMatch(/comma as the decimal separator/);
    expect(error?.description).toMatch(/10\.50/);
  });

  it.each([
    ['more than two decimals', '10.505', /at most 2 decimals/],
    ['a negative amount', '-5', /positive number/],
    ['text', 'ten', /positive number/],
    ['zero', '0.00', /more than 0/],
    ['a currency sign', 'R$ 10', /positive number/],
  ])('rejects %s as Invalid', async (_what, amount, message) => {
    const [error] = rowErrors(await addRow(`${CNPJ.acme},a@acme.example.com,,,${amount},12,2026`));

    expect(error).toMatchObject({ field: 'Amount', type: 'Invalid' });
    expect(error?.description).toMatch(message);
  });

  it('reports a blank amount as Missing', async () => {
    const [error] = rowErrors(await addRow(`${CNPJ.acme},a@acme.example.com,,,,12,2026`));

    expect(error).toMatchObject({ field: 'Amount', type: 'Missing' });
  });

  it.each([
    ['month 13', '13', '2026', 'Last Credited Month', /1 to 12/],
    ['month 0', '0', '2026', 'Last Credited Month', /1 to 12/],
    ['a month name', 'Dec', '2026', 'Last Credited Month', /1 to 12/],
    ['a two-digit year', '12', '26', 'Last Credited Year', /four digits/],
  ])('rejects %s', async (_what, month, year, field, message) => {
    const [error] = rowErrors(await addRow(`${CNPJ.acme},a@acme.example.com,,,10,${month},${year}`));

    expect(error).toMatchObject({ field, type: 'Invalid' });
    expect(error?.description).toMatch(message);
  });

  it('accepts the current UTC month and refuses the one before, judged in UTC', async () => {
    validRow(await addRow(`${CNPJ.acme},a@acme.example.com,,,10,11,2026`));
    validRow(await addRow(`${CNPJ.acme},a@acme.example.com,,,10,1,2027`));

    const [error] = rowErrors(await addRow(`${CNPJ.acme},a@acme.example.com,,,10,10,2026`));
    expect(error).toMatchObject({ field: 'Last Credited Month', type: 'Invalid' });
    expect(error?.description).toMatch(/10\/2026 is in the past.*11\/2026, UTC/);

    // At 01:00 UTC on December 1st it is still November 30th in São Paulo, but UTC decides.
    rowErrors(await addRow(`${CNPJ.acme},a@acme.example.com,,,10,11,2026`, new Date('2026-12-01T01:00:00.000Z')));
  });

  it('requires at least one identifier', async () => {
    const [error] = rowErrors(await addRow(`${CNPJ.acme},,,,10,12,2026`));

    expect(error).toMatchObject({ type: 'Missing' });
    expect(error?.description).toMatch(/Email, National ID or Employee ID/);
  });

  it('refuses a company the partner does not manage as Unauthorized', async () => {
    const errors = rowErrors(await addRow(`${CNPJ.notOurs},a@acme.example.com,,,10,12,2026`));

    expect(errors[0]).toMatchObject({ source: 'Client error', type: 'Unauthorized', companyTaxId: CNPJ.notOurs });
  });

  it('refuses a file without the Amount column with an Upload error naming it', async () => {
    const { fileError } = await readLines(['Company Tax ID,Email,Last Credited Month,Last Credited Year', `${CNPJ.acme},a@b.com,12,2026`], {
      profile: addOrUpdateProfile(NOW),
      partner: brPartner(),
    });

    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Missing', field: 'Amount' });
  });

  it('reads a semicolon file with comma decimals, and says what is wrong with the amount', async () => {
    const { outcomes } = await readLines([ADD_HEADER.replaceAll(',', ';'), `${CNPJ.acme};a@acme.example.com;;;10,50;12;2026`], {
      profile: addOrUpdateProfile(NOW),
      partner: brPartner(),
    });

    expect(rowErrors(outcomes[0]!)[0]?.description).toMatch(/comma/);
  });
});

describe('removal rows', () => {
  it('takes the identifying columns only and refuses a credit column', async () => {
    const ok = await readLines(['Company Tax ID,Email,National ID,Employee ID', `${CNPJ.acme},,,E-7`], {
      profile: removalProfile,
      partner: brPartner(),
    });
    const wrong = await readLines(['Company Tax ID,Email,Amount', `${CNPJ.acme},a@b.com,10`], {
      profile: removalProfile,
      partner: brPartner(),
    });

    expect(validRow(ok.outcomes[0]!).identifiers).toEqual({ employeeId: 'E7' });
    expect(wrong.fileError).toMatchObject({ type: 'Unrecognized header', field: 'Amount' });
  });
});

describe('the sample files of SPEC §7 (copied from shared/samples)', () => {
  it.each([
    ['wellhub-flexben-add-or-update.csv', addOrUpdateProfile(new Date('2026-11-15T00:00:00Z')), 6],
    ['wellhub-flexben-removal.csv', removalProfile, 3],
  ])('reads %s with every row valid', async (name, profile, rows) => {
    const text = readFileSync(new URL(`../fixtures/flexben/${name}`, import.meta.url), 'utf8');
    const partner = brPartner({
      companies: [
        { taxId: '01916628000102', name: 'Zero' },
        { taxId: CNPJ.notOurs, name: 'Globex' },
      ],
    });

    const { outcomes, fileError } = await readLines(text.trim().split(/\r?\n/), { profile, partner });

    expect(fileError).toBeUndefined();
    expect(outcomes.map((o) => o.kind)).toEqual(Array(rows).fill('valid'));
  });
});
