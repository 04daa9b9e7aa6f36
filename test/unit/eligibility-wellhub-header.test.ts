import { describe, expect, it } from 'vitest';
import { CNPJ, CPF, readLines, validRow, WELLHUB_HEADER } from './eligibility-read-fixtures.ts';

/** The wellhub header rules (SPEC §6.1): names, case, order, unknown and missing columns. */

describe('wellhub header', () => {
  it('matches headers case-insensitively and trimmed, in any order', async () => {
    // Act
    const { header, outcomes } = await readLines([
      '  email , NAME,company tax id ,Payroll enabled',
      `maria@acme.example.com,Maria,${CNPJ.acme},yes`,
    ]);

    // Assess
    expect(header).toEqual(['email', 'name', 'companyTaxId', 'payrollEnabled']);
    expect(validRow(outcomes[0]!).values).toEqual({
      companyTaxId: CNPJ.acme,
      name: 'Maria',
      email: 'maria@acme.example.com',
      payrollEnabled: 'Yes',
    });
  });

  it('accepts the full header in the order SPEC §6.1 lists it', async () => {
    // Act
    const { header, fileError } = await readLines([WELLHUB_HEADER]);

    // Assess
    expect(fileError).toBeUndefined();
    expect(header).toHaveLength(10);
  });

  it('refuses an unknown column as Unrecognized header, naming it and the accepted columns', async () => {
    // Act
    const { fileError, events } = await readLines(['Company Tax ID,Name,Email,Shoe size', `${CNPJ.acme},Ana,a@acme.example.com,38`]);

    // Assess
    expect(events).toHaveLength(1);
    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Unrecognized header', field: 'Shoe size' });
    expect(fileError?.description).toContain('"Shoe size"');
    expect(fileError?.description).toContain('Company Tax ID, Name, Email, National ID');
  });

  it('names every unknown column and mentions missing ones too', async () => {
    // Act
    const { fileError } = await readLines(['CNPJ,Nome,Email']);

    // Assess
    expect(fileError?.type).toBe('Unrecognized header');
    expect(fileError?.field).toBeUndefined();
    expect(fileError?.description).toMatch(/"CNPJ", "Nome".*lacks the required column\(s\) "Company Tax ID", "Name"/s);
  });

  it('never echoes a National ID when a data line stands in for the header', async () => {
    // Act
    const { fileError } = await readLines([`${CNPJ.acme},Ana,${CPF.validPunctuated}`]);

    // Assess
    expect(fileError?.type).toBe('Unrecognized header');
    expect(fileError?.description).not.toContain('764.254.640-89');
    expect(fileError?.description).not.toContain('76425464089');
    expect(fileError?.description).toContain('*********89');
  });

  it.each([
    { missing: 'Company Tax ID', header: 'Name,Email' },
    { missing: 'Name', header: 'Company Tax ID,Email' },
  ])('refuses a file without the $missing column as Missing', async ({ missing, header }) => {
    // Act
    const { fileError } = await readLines([header]);

    // Assess
    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Missing', field: missing });
    expect(fileError?.description).toContain(`"${missing}"`);
  });

  it('refuses a column given twice as Duplicated', async () => {
    // Act
    const { fileError } = await readLines(['Company Tax ID,Name,Email,EMAIL']);

    // Assess
    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Duplicated' });
    expect(fileError?.description).toContain('"EMAIL"');
  });

  it('ignores columns with an empty header, as spreadsheets leave behind', async () => {
    // Act
    const { header, outcomes } = await readLines(['Company Tax ID,Name,Email,,', `${CNPJ.acme},Ana,a@acme.example.com,,`]);

    // Assess
    expect(header).toEqual(['companyTaxId', 'name', 'email']);
    expect(validRow(outcomes[0]!).values).toEqual({ companyTaxId: CNPJ.acme, name: 'Ana', email: 'a@acme.example.com' });
  });
});
