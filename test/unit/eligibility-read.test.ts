import { describe, expect, it } from 'vitest';
import { readEmployeeFile } from '../../lambdas/core/eligibility/read/index.ts';
import { wellhubProfile } from '../../lambdas/core/eligibility/profiles/wellhub.ts';
import {
  brPartner,
  CNPJ,
  csvText,
  readAll,
  readLines,
  streamOf,
  validRow,
  WELLHUB_HEADER,
  wellhubRow,
} from './eligibility-read-fixtures.ts';

/** File-level behaviour of the reader: encodings, CSV shape, limits (SPEC §4). */

const MIB = 1 << 20;

describe('readEmployeeFile: empty and header-only files', () => {
  it.each([
    { name: 'no bytes at all', chunks: [] },
    { name: 'an empty chunk', chunks: [Buffer.alloc(0)] },
    { name: 'only blank lines', chunks: ['\r\n\r\n\n'] },
    { name: 'only a BOM', chunks: [Buffer.from([0xef, 0xbb, 0xbf])] },
  ])('refuses $name as Empty file', async ({ chunks }) => {
    // Act
    const { events, fileError } = await readAll(chunks);

    // Assess
    expect(events).toHaveLength(1);
    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Empty file' });
    expect(fileError?.description).toMatch(/empty.*Company Tax ID/s);
  });

  it('yields the header and no rows for a header-only file (the caller decides what that means)', async () => {
    // Act
    const { events, header } = await readLines([WELLHUB_HEADER]);

    // Assess
    expect(events).toHaveLength(1);
    expect(header).toEqual([
      'companyTaxId',
      'name',
      'email',
      'nationalId',
      'employeeId',
      'department',
      'payrollId',
      'costCenter',
      'officeZip',
      'payrollEnabled',
    ]);
  });
});

describe('readEmployeeFile: files that are not CSV text', () => {
  it.each([
    {
      name: 'an .xlsx (zip) file',
      bytes: Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 1)]),
      hint: /Excel workbook \(\.xlsx\)/,
    },
    { name: 'an old .xls file', bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), hint: /old Excel workbook/ },
    { name: 'a PDF', bytes: Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1'), hint: /PDF/ },
    { name: 'a UTF-16 file', bytes: Buffer.from('\ufeffName\r\n', 'utf16le'), hint: /UTF-16/ },
    { name: 'bytes with NULs', bytes: Buffer.from('Company Tax ID,Name\r\n\0\0\0\0', 'latin1'), hint: /not a CSV text file/ },
    {
      name: 'control-character noise',
      bytes: Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41))),
      hint: /not a CSV text file/,
    },
  ])('refuses $name as Malformed and says to save as CSV UTF-8', async ({ bytes, hint }) => {
    // Act
    const { events, fileError } = await readAll([bytes]);

    // Assess
    expect(events).toHaveLength(1);
    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Malformed' });
    expect(fileError?.description).toMatch(hint);
    expect(fileError?.description).toContain('save it as CSV UTF-8');
  });
});

describe('readEmployeeFile: encodings', () => {
  it('decodes a Windows-1252 file with ; delimiters, keeping José and Conceição', async () => {
    // Prepare
    const text = csvText([
      'Company Tax ID;Name;Email',
      `${CNPJ.acme};José da Conceição;jose@acme.example.com`,
      `${CNPJ.acme};Ângela Müller;angela@acme.example.com`,
    ]);

    // Act
    const { outcomes } = await readAll([Buffer.from(text, 'latin1')]);

    // Assess
    expect(outcomes.map((o) => validRow(o).values['name'])).toEqual(['José da Conceição', 'Ângela Müller']);
  });

  it('strips a UTF-8 BOM, so the first header is still recognised', async () => {
    // Act
    const { header, outcomes } = await readAll([
      Buffer.from(`\ufeff${csvText(['Company Tax ID,Name,Email', `${CNPJ.acme},Conceição,c@acme.example.com`])}`, 'utf8'),
    ]);

    // Assess
    expect(header).toEqual(['companyTaxId', 'name', 'email']);
    expect(validRow(outcomes[0]!).values['name']).toBe('Conceição');
  });

  it('joins a multi-byte character split across chunks', async () => {
    // Prepare
    const bytes = Buffer.from(csvText(['Company Tax ID,Name,Email', `${CNPJ.acme},João,j@acme.example.com`]), 'utf8');
    const cut = bytes.indexOf(Buffer.from('ã', 'utf8')) + 1;

    // Act
    const { outcomes } = await readAll([bytes.subarray(0, cut), bytes.subarray(cut)]);

    // Assess
    expect(validRow(outcomes[0]!).values['name']).toBe('João');
  });

  it('still picks UTF-8 when the first MiB ends in the middle of a character', async () => {
    // Prepare
    const rows = Array.from({ length: 11_000 }, (_, i) => wellhubRow({ employeeId: `E${i}`, name: 'Conceição' }));
    const bytes = Buffer.from(csvText([WELLHUB_HEADER, ...rows]), 'utf8');
    let cut = MIB;
    while ((bytes[cut]! & 0xc0) !== 0x80) cut++; // land inside a multi-byte character
    expect(cut).toBeLessThan(bytes.length);

    // Act
    const { outcomes } = await readAll([bytes.subarray(0, cut), bytes.subarray(cut)]);

    // Assess
    expect(outcomes).toHaveLength(11_000);
    expect(outcomes.every((o) => o.kind === 'valid' && o.row.values['name'] === 'Conceição')).toBe(true);
  });

  it('reads a file fed one byte at a time', async () => {
    // Prepare
    const bytes = Buffer.from(
      csvText([
        WELLHUB_HEADER,
        wellhubRow({ name: 'Zoë "Zo" Lima' }),
        wellhubRow({ name: '"Lima, Zoë"', employeeId: 'E2', email: 'z2@acme.example.com' }),
      ]),
      'utf8',
    );
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));

    // Act
    const { outcomes } = await readAll(chunks);

    // Assess
    expect(outcomes.map((o) => validRow(o).values['name'])).toEqual(['Zoë "Zo" Lima', 'Lima, Zoë']);
  });

  it('refuses as Encoding a UTF-8 file with Latin-1 bytes after the first MiB', async () => {
    // Prepare
    const good = csvText([WELLHUB_HEADER, ...Array.from({ length: 12_000 }, (_, i) => wellhubRow({ employeeId: `E${i}` }))]);
    const bad = Buffer.from(csvText([wellhubRow({ name: 'José' })]), 'latin1');
    expect(good.length).toBeGreaterThan(MIB);

    // Act
    const { fileError, events } = await readAll([good, bad]);

    // Assess
    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Encoding' });
    // Line 12002 holds the bad bytes; csv-parse's line count may lag by one at a chunk boundary.
    expect(fileError?.description).toMatch(/around line 1200[12] .*CSV UTF-8/s);
    expect(events.at(-1)?.kind).toBe('file-error');
  });

  it('refuses as Encoding a UTF-8 file (judged on its first MiB) cut in the middle of a character', async () => {
    // Prepare
    const text = csvText([
      WELLHUB_HEADER,
      ...Array.from({ length: 12_000 }, (_, i) => wellhubRow({ employeeId: `E${i}`, name: 'Conceição' })),
    ]);
    const bytes = Buffer.from(`${text}${CNPJ.acme},Jo`, 'utf8');
    const truncated = Buffer.concat([bytes, Buffer.from('ã', 'utf8').subarray(0, 1)]);

    // Act
    const { fileError } = await readAll([truncated]);

    // Assess
    expect(fileError).toMatchObject({ type: 'Encoding' });
  });
});

describe('readEmployeeFile: CSV shape', () => {
  const lines = ['Company Tax ID,Name,Email', `${CNPJ.acme},Ana,ana@acme.example.com`, `${CNPJ.acme},Bia,bia@acme.example.com`];

  it('reads CRLF and LF files alike', async () => {
    // Act
    const crlf = await readAll([csvText(lines, '\r\n')]);
    const lf = await readAll([csvText(lines, '\n')]);

    // Assess
    expect(lf.outcomes).toEqual(crlf.outcomes);
    expect(crlf.outcomes).toHaveLength(2);
  });

  it('keeps quoted line breaks, quoted delimiters and doubled quotes inside a value', async () => {
    // Act
    const { outcomes } = await readAll([
      `Company Tax ID,Name,Email,Department\r\n${CNPJ.acme},"Souza, ""Bia""",bia@acme.example.com,"Sales\r\nSouth"\r\n`,
    ]);

    // Assess
    const row = validRow(outcomes[0]!);
    expect(row.values['name']).toBe('Souza, "Bia"');
    expect(row.values['department']).toBe('Sales\r\nSouth');
  });

  it('picks ; when the header has more ; than , outside quotes, and , on a tie', async () => {
    // Act
    const semicolon = await readAll([`"Company Tax ID";"Name, full";Email\r\n${CNPJ.acme};Ana;a@acme.example.com\r\n`]);
    const tie = await readAll([`Company Tax ID,Name;Email\r\n`]);

    // Assess
    expect(semicolon.fileError?.description).toContain('"Name, full"');
    expect(tie.fileError).toMatchObject({ type: 'Unrecognized header' });
    expect(tie.fileError?.description).toContain('"Name;Email"');
  });

  it('skips blank lines and rows of bare delimiters, counting them in Line IDs like a spreadsheet', async () => {
    // Act
    const { outcomes } = await readAll([
      csvText([
        '',
        WELLHUB_HEADER,
        wellhubRow(),
        '',
        ',,,,,,,,,',
        wellhubRow({ employeeId: 'E2', email: 'b@acme.example.com', nationalId: '' }),
      ]),
    ]);

    // Assess
    expect(outcomes.map((o) => (o.kind === 'valid' ? o.row.line : o.line))).toEqual([1, 4]);
  });

  it('rejects a row with more or fewer values than the header as Malformed, not the file', async () => {
    // Act
    const { outcomes, fileError } = await readLines([WELLHUB_HEADER, `${wellhubRow()},extra`, wellhubRow({ employeeId: 'E2' })]);

    // Assess
    expect(fileError).toBeUndefined();
    expect(outcomes[0]).toMatchObject({
      kind: 'rejected',
      line: 1,
      companyTaxId: CNPJ.acme,
      errors: [{ source: 'Input error', line: 1, type: 'Malformed', companyTaxId: CNPJ.acme }],
    });
    expect(outcomes[0]?.kind === 'rejected' && outcomes[0].errors[0]?.description).toMatch(/11 values but the header has 10/);
    expect(outcomes[1]?.kind).toBe('valid');
  });

  it('refuses an unclosed quote as Malformed, naming the data row where it opens', async () => {
    // Act
    const { fileError, events } = await readLines([WELLHUB_HEADER, wellhubRow(), `${CNPJ.acme},"Ana,ana@acme.example.com`, wellhubRow()]);

    // Assess
    expect(fileError).toMatchObject({ source: 'Upload error', type: 'Malformed' });
    expect(fileError?.description).toMatch(/data row 2 .*never closed/s);
    expect(events.at(-1)?.kind).toBe('file-error');
  });

  it('refuses an unclosed quote in the header line', async () => {
    // Act
    const { fileError } = await readAll(['"Company Tax ID,Name\r\n']);

    // Assess
    expect(fileError?.description).toMatch(/in the header line/);
  });
});

describe('readEmployeeFile: limits and streaming', () => {
  it('accepts exactly maxRows data rows and refuses one more as Too large', async () => {
    // Prepare
    const rows = (n: number): string[] => Array.from({ length: n }, (_, i) => wellhubRow({ employeeId: `E${i}` }));

    // Act
    const atLimit = await readLines([WELLHUB_HEADER, ...rows(3)], { maxRows: 3 });
    const over = await readLines([WELLHUB_HEADER, ...rows(4)], { maxRows: 3 });

    // Assess
    expect(atLimit.fileError).toBeUndefined();
    expect(atLimit.outcomes).toHaveLength(3);
    expect(over.fileError).toMatchObject({ source: 'Upload error', type: 'Too large' });
    expect(over.fileError?.description).toContain('more than 3 employee rows');
  });

  it('throws, rather than blaming the file, when the input itself fails', async () => {
    // Prepare
    async function* failingInput(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(csvText([WELLHUB_HEADER, wellhubRow()]));
      throw new Error('connection reset');
    }

    // Act
    const read = async (): Promise<void> => {
      for await (const _event of readEmployeeFile(failingInput(), { profile: wellhubProfile, partner: brPartner(), maxRows: 10 }));
    };

    // Assess
    await expect(read()).rejects.toThrow('connection reset');
  });

  it('stops reading the input when the caller stops early', async () => {
    // Prepare
    const input = streamOf([csvText([WELLHUB_HEADER, wellhubRow()]), csvText([wellhubRow({ employeeId: 'E2' })])]);

    // Act
    for await (const event of readEmployeeFile(input, { profile: wellhubProfile, partner: brPartner(), maxRows: 10 })) {
      if (event.kind === 'row') break;
    }

    // Assess
    expect(input.destroyed).toBe(true);
  });
});
