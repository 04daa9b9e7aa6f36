import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  flexbenStatus,
  flexbenTimestamp,
  renderErrorReport,
  renderFlexbenErrorReport,
  renderFlexbenHistory,
  renderStatusFile,
} from '../../lambdas/core/uploads/status-files.ts';
import type { UploadError } from '../../lambdas/core/uploads/upload-errors.ts';
import type { UploadRecord, UploadStatus } from '../../lambdas/core/uploads/upload.ts';

function anUpload(overrides: Partial<UploadRecord> = {}): UploadRecord {
  return {
    partnerId: 'acme',
    uploadId: 'u1',
    seq: '1795356189123#u1',
    name: 'census.csv',
    ts: 1795356189,
    receivedAt: '2026-11-22T14:03:09.123Z',
    area: 'employees',
    statusArea: 'employees',
    folder: 'all',
    root: '',
    batchType: 'full_file',
    source: 'SFTP',
    author: 'acme',
    originalKey: 'partners/acme/employees/upload/all/census.csv',
    archiveKey: 'archive/uploads/acme/u1/census.csv',
    size: 120,
    status: 'Succeeded',
    updatedAt: '2026-11-22T14:03:10.000Z',
    ...overrides,
  };
}

function uploads(count: number, overrides: Partial<UploadRecord> = {}): UploadRecord[] {
  return Array.from({ length: count }, (_, i) => anUpload({ name: `file-${i}.csv`, ts: 1795356189 - i, ...overrides }));
}

function anError(overrides: Partial<UploadError> = {}): UploadError {
  return { source: 'Input error', type: 'Invalid', description: 'Email is not valid.', ...overrides };
}

const rowsOf = (csv: string): string[][] => parse(csv);

describe('renderStatusFile', () => {
  it('writes the exact header and one row per upload: {ts}-{name}, batch type, second-precision UTC, status, source', () => {
    // Prepare
    const upload = anUpload({ status: 'Validating', batchType: 'newcomers', source: 'WEB' });

    // Act
    const csv = renderStatusFile([upload]);

    // Assess
    expect(csv).toBe(
      'filename,batch_type,date_and_time,processing_status,source\r\n' +
        '1795356189-census.csv,newcomers,2026-11-22T14:03:09Z,Validating,WEB\r\n',
    );
  });

  it('writes only the header when the partner has no uploads', () => {
    // Act
    const csv = renderStatusFile([]);

    // Assess
    expect(csv).toBe('filename,batch_type,date_and_time,processing_status,source\r\n');
  });

  it('leaves batch_type blank for an upload without one (approvals, misplaced files)', () => {
    // Act
    const rows = rowsOf(renderStatusFile([anUpload({ batchType: undefined, status: 'Rejected' })]));

    // Assess
    expect(rows[1]).toEqual(['1795356189-census.csv', '', '2026-11-22T14:03:09Z', 'Rejected', 'SFTP']);
  });

  it('keeps at most the 20 newest uploads, in the order given (newest first)', () => {
    // Prepare
    const newestFirst = uploads(25);

    // Act
    const rows = rowsOf(renderStatusFile(newestFirst)).slice(1);

    // Assess
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r[0])).toEqual(newestFirst.slice(0, 20).map((u) => `${u.ts}-${u.name}`));
  });

  it.each([
    'Payroll, November.csv',
    'the "final" file.csv',
    'Conceição São Paulo (2) #3.csv',
    'José Ñandú 東京.csv',
    'semi;colon [draft].csv',
  ])('keeps the name %j intact through a CSV round trip', (name) => {
    // Act
    const rows = rowsOf(renderStatusFile([anUpload({ name })]));

    // Assess
    expect(rows[1]?.[0]).toBe(`1795356189-${name}`);
    expect(rows[1]).toHaveLength(5);
  });

  it('never lets a name that starts with `=` start a formula: the cell begins with {ts}-', () => {
    // Prepare
    const csv = renderStatusFile([anUpload({ name: '=HYPERLINK("http://x")' })]);

    // Act
    const rows = rowsOf(csv);

    // Assess
    expect(rows[1]?.[0]).toBe('1795356189-=HYPERLINK("http://x")');
    expect(rows.flat().some((cell) => /^[=+\-@\t\r]/.test(cell))).toBe(false);
  });
});

describe('renderErrorReport', () => {
  it('writes the exact header and each error, with blank line and field where absent', () => {
    // Prepare
    const errors = [
      anError({ companyTaxId: '37211173000169', line: 4, field: 'Email' }),
      anError({ source: 'Upload error', type: 'Empty file', description: 'The file is empty.' }),
    ];

    // Act
    const csv = renderErrorReport(errors);

    // Assess
    expect(csv.split('\r\n')[0]).toBe('Company Tax ID,Error Source,Line ID,Field Name,Error Type,Error Description');
    expect(rowsOf(csv).slice(1)).toEqual([
      ['37211173000169', 'Input error', '4', 'Email', 'Invalid', 'Email is not valid.'],
      ['', 'Upload error', '', '', 'Empty file', 'The file is empty.'],
    ]);
  });

  it('quotes descriptions with commas and quotes so they read back unchanged', () => {
    // Prepare
    const description = 'Amount "10,5" uses a comma; use a dot, e.g. 10.50';

    // Act
    const rows = rowsOf(renderErrorReport([anError({ description })]));

    // Assess
    expect(rows[1]?.[5]).toBe(description);
  });

  it('prefixes cells that echo partner data and would start a formula', () => {
    // Prepare
    const error = anError({ companyTaxId: '@acme', field: '=cmd', description: '+1 555 0100 is not an email.' });

    // Act
    const rows = rowsOf(renderErrorReport([error]));

    // Assess
    expect(rows[1]).toEqual(["'@acme", 'Input error', '', "'=cmd", 'Invalid', "'+1 555 0100 is not an email."]);
  });
});

describe('flexbenTimestamp', () => {
  it.each([
    ['2025-02-28T17:12:37.820Z', '2025-02-28 17:12:37.820000 +0000 UTC'],
    ['2026-01-01T00:00:00.000Z', '2026-01-01 00:00:00.000000 +0000 UTC'],
    ['2026-12-31T23:59:59.007Z', '2026-12-31 23:59:59.007000 +0000 UTC'],
    ['2026-06-15T09:30:00.5+02:00', '2026-06-15 07:30:00.500000 +0000 UTC'],
  ])('formats %j as %j', (iso, expected) => {
    // Act
    const formatted = flexbenTimestamp(iso);

    // Assess
    expect(formatted).toBe(expected);
  });
});

describe('flexbenStatus', () => {
  it.each<[UploadStatus, boolean | undefined, string]>([
    ['Succeeded', undefined, 'SUCCEEDED'],
    ['Succeeded with errors', undefined, 'SUCCEEDED'],
    ['Rejected', undefined, 'REJECTED'],
    ['Rejected', false, 'REJECTED'],
    ['Rejected', true, 'ERROR'],
  ])('maps %j (system failure: %j) to %s', (status, systemFailure, expected) => {
    // Act
    const mapped = flexbenStatus(anUpload({ status, systemFailure }));

    // Assess
    expect(mapped).toBe(expected);
  });
});

describe('renderFlexbenHistory', () => {
  const flexben = (overrides: Partial<UploadRecord>): UploadRecord =>
    anUpload({ area: 'flexben', statusArea: 'flexben', folder: 'add-or-update', batchType: undefined, ...overrides });

  it('writes the exact header and ADD / CANCEL rows with method, status, author and error count', () => {
    // Prepare
    const newestFirst = [
      flexben({
        name: 'credits.csv',
        ts: 1740762757,
        receivedAt: '2025-02-28T17:12:37.820Z',
        author: 'grp-hr',
        status: 'Succeeded',
        errorCount: 2,
      }),
      flexben({
        name: 'removals.csv',
        folder: 'removal',
        ts: 1740762700,
        receivedAt: '2025-02-28T17:11:40.000Z',
        author: 'grp-hr',
        status: 'Rejected',
        errorCount: 5,
      }),
      flexben({
        name: 'broken.csv',
        ts: 1740762600,
        receivedAt: '2025-02-28T17:10:00.000Z',
        author: 'ops',
        status: 'Rejected',
        systemFailure: true,
        errorCount: undefined,
      }),
    ];

    // Act
    const csv = renderFlexbenHistory(newestFirst);

    // Assess
    expect(csv.split('\r\n')[0]).toBe('File name,Upload date + time,Type,Method,Status,Author,# Errors');
    expect(rowsOf(csv).slice(1)).toEqual([
      ['1740762757-credits.csv', '2025-02-28 17:12:37.820000 +0000 UTC', 'ADD', 'SFTP', 'SUCCEEDED', 'grp-hr', '2'],
      ['1740762700-removals.csv', '2025-02-28 17:11:40.000000 +0000 UTC', 'CANCEL', 'SFTP', 'REJECTED', 'grp-hr', '5'],
      ['1740762600-broken.csv', '2025-02-28 17:10:00.000000 +0000 UTC', 'ADD', 'SFTP', 'ERROR', 'ops', '0'],
    ]);
  });

  it('keeps at most the 40 newest events, in the order given', () => {
    // Prepare
    const newestFirst = uploads(45, { area: 'flexben', statusArea: 'flexben', folder: 'add-or-update' });

    // Act
    const rows = rowsOf(renderFlexbenHistory(newestFirst)).slice(1);

    // Assess
    expect(rows).toHaveLength(40);
    expect(rows.map((r) => r[0])).toEqual(newestFirst.slice(0, 40).map((u) => `${u.ts}-${u.name}`));
  });
});

describe('renderFlexbenHistory with automatic events', () => {
  it('merges events with uploads newest first and keeps the 40 newest of both', () => {
    // Prepare
    const newestFirst = Array.from({ length: 40 }, (_, i) =>
      anUpload({
        area: 'flexben',
        statusArea: 'flexben',
        folder: 'add-or-update',
        name: `c-${i}.csv`,
        ts: 1795356100 - i * 10,
        receivedAt: new Date((1795356100 - i * 10) * 1000).toISOString(),
      }),
    );
    const event = {
      fileName: '1795356095-census.csv',
      at: new Date(1795356095 * 1000).toISOString(),
      type: 'CANCEL',
      method: 'ELIGIBILITY_LOSS',
      status: 'CANCELED',
      author: 'system',
      errors: 0,
    } as const;

    // Act
    const rows = rowsOf(renderFlexbenHistory(newestFirst, [event])).slice(1);

    // Assess
    expect(rows).toHaveLength(40);
    expect(rows[0]?.[0]).toBe('1795356100-c-0.csv');
    expect(rows[1]).toEqual(['1795356095-census.csv', flexbenTimestamp(event.at), 'CANCEL', 'ELIGIBILITY_LOSS', 'CANCELED', 'system', '0']);
    expect(rows[39]?.[0]).toBe('1795355720-c-38.csv');
  });
});

describe('renderFlexbenErrorReport', () => {
  it('writes the exact header and each error, blank where absent', () => {
    // Prepare
    const errors = [
      anError({ companyTaxId: '37211173000169', line: 2, field: 'Amount', description: 'Use a dot as decimal separator.' }),
      anError({ source: 'Upload error', type: 'Malformed', description: 'Not a CSV file.' }),
    ];

    // Act
    const csv = renderFlexbenErrorReport(errors);

    // Assess
    expect(csv.split('\r\n')[0]).toBe('Company Tax ID,Line,Field name,Error Type,Error report');
    expect(rowsOf(csv).slice(1)).toEqual([
      ['37211173000169', '2', 'Amount', 'Invalid', 'Use a dot as decimal separator.'],
      ['', '', '', 'Malformed', 'Not a CSV file.'],
    ]);
  });
});
