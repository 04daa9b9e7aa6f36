import { describe, expect, it } from 'vitest';
import { brPartner, CNPJ, CPF, readLines, readRow, rowErrors, validRow, WELLHUB_HEADER, wellhubRow } from './eligibility-read-fixtures.ts';

/** The wellhub row rules (SPEC §6.1) as the reader applies them. */

describe('wellhub rows: a valid row', () => {
  it('stores every column normalised and reads the identifiers', async () => {
    // Act
    const row = validRow(
      await readRow(wellhubRow({ company: ` ${CNPJ.acmePunctuated} `, email: ' Maria@ACME.example.com ', employeeId: ' E-001 ' })),
    );

    // Assess
    expect(row).toEqual({
      line: 1,
      companyTaxId: CNPJ.acme,
      identifiers: { employeeId: 'E001', nationalId: CPF.valid, email: 'maria@acme.example.com' },
      values: {
        companyTaxId: CNPJ.acme,
        name: 'Maria Souza',
        email: 'Maria@ACME.example.com',
        nationalId: CPF.valid,
        employeeId: 'E-001',
        department: 'Engineering',
        payrollId: 'P1',
        costCenter: 'CC-10',
        officeZip: '04571-926',
        payrollEnabled: 'Yes',
      },
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('leaves identifiers out when blank and columns out of values when absent from the file', async () => {
    // Act
    const { outcomes } = await readLines(['Company Tax ID,Name,Employee ID,Email', `${CNPJ.acme},Ana,E7,`]);

    // Assess
    const row = validRow(outcomes[0]!);
    expect(row.identifiers).toEqual({ employeeId: 'E7' });
    expect(row.values).toEqual({ companyTaxId: CNPJ.acme, name: 'Ana', employeeId: 'E7', email: '' });
  });
});

describe('wellhub rows: Company Tax ID', () => {
  it('is required', async () => {
    // Act
    const errors = rowErrors(await readRow(wellhubRow({ company: ' ' })));

    // Assess
    expect(errors).toEqual([
      { source: 'Input error', line: 1, field: 'Company Tax ID', type: 'Missing', description: 'Company Tax ID is required.' },
    ]);
  });

  it.each([
    { name: 'a punctuated CNPJ', raw: CNPJ.acmePunctuated, stored: CNPJ.acme },
    { name: 'a CNPJ whose leading zero a spreadsheet dropped', raw: CNPJ.leadingZeroDropped, stored: CNPJ.leadingZero },
    { name: 'an alphanumeric CNPJ', raw: CNPJ.alphanumericPunctuated, stored: CNPJ.alphanumeric },
    { name: 'an alphanumeric CNPJ in lower case', raw: '12.abc.345/01de-35', stored: CNPJ.alphanumeric },
  ])('accepts $name of one of the partner companies', async ({ raw, stored }) => {
    // Act
    const row = validRow(await readRow(wellhubRow({ company: raw })));

    // Assess
    expect(row.companyTaxId).toBe(stored);
  });

  it('refuses a valid CNPJ of another company as a Client error / Unauthorized', async () => {
    // Act
    const outcome = await readRow(wellhubRow({ company: CNPJ.notOurs }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'rejected', line: 1, identifiers: { email: 'maria@acme.example.com' } });
    expect('companyTaxId' in outcome).toBe(false);
    expect(rowErrors(outcome)).toEqual([
      {
        companyTaxId: CNPJ.notOurs,
        source: 'Client error',
        line: 1,
        field: 'Company Tax ID',
        type: 'Unauthorized',
        description: expect.stringMatching(/may not send data for the company with tax ID 12\.069\.193\/0001-16/),
      },
    ]);
  });

  it.each(['37.211.173/0001-60', '11.111.111/1111-11', '12.ABC.345/01DE-36', 'ABC'])(
    'refuses %s as an Input error / Invalid CNPJ',
    async (raw) => {
      // Act
      const errors = rowErrors(await readRow(wellhubRow({ company: raw })));

      // Assess
      expect(errors).toEqual([
        expect.objectContaining({
          source: 'Input error',
          line: 1,
          field: 'Company Tax ID',
          type: 'Invalid',
          description: expect.stringContaining('not a valid CNPJ'),
        }),
      ]);
    },
  );

  it('only checks membership, not CNPJ digits, for a partner outside Brazil', async () => {
    // Prepare
    const partner = brPartner({ country: 'US', companies: [{ taxId: '123456789', name: 'Acme Inc' }] });

    // Act
    const row = validRow(await readRow(wellhubRow({ company: '12-3456789', nationalId: '123-45-6789', zip: '10001' }), { partner }));

    // Assess
    expect(row.companyTaxId).toBe('123456789');
    expect(row.values).toMatchObject({ nationalId: '123-45-6789', officeZip: '10001' });
    expect(row.identifiers.nationalId).toBe('123456789');
  });
});

describe('wellhub rows: people', () => {
  it('requires a Name', async () => {
    // Act
    const errors = rowErrors(await readRow(wellhubRow({ name: '  ' })));

    // Assess
    expect(errors).toEqual([
      { companyTaxId: CNPJ.acme, source: 'Input error', line: 1, field: 'Name', type: 'Missing', description: 'Name is required.' },
    ]);
  });

  it('requires at least one of Email, National ID and Employee ID', async () => {
    // Act
    const outcome = await readRow(wellhubRow({ email: '', nationalId: '', employeeId: '' }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'rejected', companyTaxId: CNPJ.acme, identifiers: {} });
    expect(rowErrors(outcome)).toEqual([
      {
        companyTaxId: CNPJ.acme,
        source: 'Input error',
        line: 1,
        type: 'Missing',
        description: expect.stringContaining('Email, National ID or Employee ID'),
      },
    ]);
  });

  it.each([
    { email: 'ana@acme.example.com', valid: true },
    { email: 'ana.souza+hr@sub.acme.com.br', valid: true },
    { email: 'dacus@modigliani@com', valid: false },
    { email: 'ana@acme', valid: false },
    { email: 'ana acme@example.com', valid: false },
  ])('checks that Email $email is an address ($valid)', async ({ email, valid }) => {
    // Act
    const outcome = await readRow(wellhubRow({ email }));

    // Assess
    if (valid) expect(outcome.kind).toBe('valid');
    else
      expect(rowErrors(outcome)).toEqual([
        expect.objectContaining({ field: 'Email', type: 'Invalid', description: `Email "${email}" is not a valid email address.` }),
      ]);
  });

  it('keeps an invalid Email from also counting as a missing identifier, and keeps the valid ones', async () => {
    // Act
    const outcome = await readRow(wellhubRow({ email: 'dacus@modigliani@com', nationalId: '', employeeId: 'E9' }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'rejected', companyTaxId: CNPJ.acme, identifiers: { employeeId: 'E9' } });
    expect(rowErrors(outcome).map((e) => e.field)).toEqual(['Email']);
  });

  it.each([CPF.valid, CPF.validPunctuated, CPF.other, ' 151 846 620 65 '])(
    'accepts CPF %s and stores it without punctuation',
    async (raw) => {
      // Act
      const row = validRow(await readRow(wellhubRow({ nationalId: raw })));

      // Assess
      expect(row.values['nationalId']).toMatch(/^\d{11}$/);
      expect(row.identifiers.nationalId).toBe(row.values['nationalId']);
    },
  );

  it.each(['764.254.640-88', '111.111.111-11', '7642546408', '764.254.640-89x'])(
    'refuses CPF %s, masking it in the message',
    async (raw) => {
      // Act
      const errors = rowErrors(await readRow(wellhubRow({ nationalId: raw })));

      // Assess
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ field: 'National ID', type: 'Invalid' });
      expect(errors[0]?.description).toMatch(/^National ID \*+\w{2} is not a valid CPF/);
      expect(errors[0]?.description).not.toContain(raw.replace(/\D/g, '').slice(0, 9));
    },
  );

  it.each([
    { raw: 'Yes', stored: 'Yes' },
    { raw: 'YES', stored: 'Yes' },
    { raw: ' no ', stored: 'No' },
    { raw: 'No', stored: 'No' },
    { raw: '', stored: 'No' },
  ])('stores Payroll Enabled "$raw" as $stored', async ({ raw, stored }) => {
    // Act
    const row = validRow(await readRow(wellhubRow({ payroll: raw })));

    // Assess
    expect(row.values['payrollEnabled']).toBe(stored);
  });

  it.each(['Y', 'true', '1', 'constructor'])('refuses Payroll Enabled "%s"', async (raw) => {
    // Act
    const errors = rowErrors(await readRow(wellhubRow({ payroll: raw })));

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({ field: 'Payroll Enabled', type: 'Invalid', description: expect.stringContaining('Yes or No') }),
    ]);
  });

  it.each([
    { raw: '04571-926', stored: '04571-926' },
    { raw: '04571926', stored: '04571-926' },
    { raw: '', stored: '' },
  ])('accepts CEP "$raw" as $stored', async ({ raw, stored }) => {
    // Act
    const row = validRow(await readRow(wellhubRow({ zip: raw })));

    // Assess
    expect(row.values['officeZip']).toBe(stored);
  });

  it.each(['4571926', '04571-9261', '04571 926', 'SP'])('refuses CEP "%s"', async (raw) => {
    // Act
    const errors = rowErrors(await readRow(wellhubRow({ zip: raw })));

    // Assess
    expect(errors).toEqual([
      expect.objectContaining({ field: 'Office zip code', type: 'Invalid', description: expect.stringContaining('not a CEP') }),
    ]);
  });

  it('reports every error of a row, Unauthorized first, each with the line and company', async () => {
    // Act
    const outcome = await readRow(wellhubRow({ company: CNPJ.notOurs, name: '', email: 'x@', payroll: 'maybe' }));

    // Assess
    expect(rowErrors(outcome).map((e) => [e.source, e.field, e.type, e.line, e.companyTaxId])).toEqual([
      ['Client error', 'Company Tax ID', 'Unauthorized', 1, CNPJ.notOurs],
      ['Input error', 'Name', 'Missing', 1, CNPJ.notOurs],
      ['Input error', 'Email', 'Invalid', 1, CNPJ.notOurs],
      ['Input error', 'Payroll Enabled', 'Invalid', 1, CNPJ.notOurs],
    ]);
  });

  it('does not look for duplicates: the same person twice is two valid rows here', async () => {
    // Act
    const { outcomes } = await readLines([WELLHUB_HEADER, wellhubRow(), wellhubRow()]);

    // Assess
    expect(outcomes.map((o) => o.kind)).toEqual(['valid', 'valid']);
  });
});
