import { describe, expect, it } from 'vitest';
import { composeUploadEmail } from '../../lambdas/core/uploads/upload-email.ts';
import type { UploadError } from '../../lambdas/core/uploads/upload-errors.ts';
import {
  errorReportName,
  isSettled,
  UPLOAD_STATUSES,
  uploadFileName,
  type UploadRecord,
  type UploadStatus,
} from '../../lambdas/core/uploads/upload.ts';

function anUpload(overrides: Partial<UploadRecord> = {}): UploadRecord {
  return {
    partnerId: 'acme',
    uploadId: 'u1',
    seq: '1700000000000#u1',
    name: 'census.csv',
    ts: 1700000000,
    receivedAt: '2023-11-14T22:13:20.000Z',
    area: 'employees',
    statusArea: 'employees',
    folder: 'all',
    root: '',
    batchType: 'full_file',
    source: 'SFTP',
    author: 'acme',
    originalKey: 'partners/acme/employees/upload/all/census.csv',
    archiveKey: 'archive/uploads/acme/u1/census.csv',
    size: 100,
    status: 'Rejected',
    updatedAt: '2023-11-14T22:13:21.000Z',
    ...overrides,
  };
}

function inputErrors(count: number): UploadError[] {
  return Array.from({ length: count }, (_, i) => ({
    companyTaxId: '37211173000169',
    source: 'Input error',
    line: i + 1,
    field: 'Email',
    type: 'Invalid',
    description: `Email on line ${i + 1} is not valid.`,
  }));
}

const REPORT_PATH = '/employees/upload/error-details/1700000000-census.csv';

describe('uploadFileName', () => {
  it.each([
    ['census.csv', '1700000000-census.csv'],
    ['Folha [nov] #2 São Paulo.csv', '1700000000-Folha [nov] #2 São Paulo.csv'],
    ['no extension', '1700000000-no extension'],
  ])('names %j as %j', (name, expected) => {
    // Act
    const fileName = uploadFileName({ ts: 1700000000, name });

    // Assess
    expect(fileName).toBe(expected);
  });
});

describe('errorReportName', () => {
  it.each([
    ['x.csv', '1700000000-x.csv'],
    ['x.CSV', '1700000000-x.CSV'],
    ['x.Csv', '1700000000-x.Csv'],
    ['x.txt', '1700000000-x.txt.csv'],
    ['x', '1700000000-x.csv'],
    ['x.csv.txt', '1700000000-x.csv.txt.csv'],
    ['xcsv', '1700000000-xcsv.csv'],
    ['report.csv ', '1700000000-report.csv .csv'],
  ])('names the report of %j as %j', (name, expected) => {
    // Act
    const reportName = errorReportName({ ts: 1700000000, name });

    // Assess
    expect(reportName).toBe(expected);
  });
});

describe('isSettled', () => {
  const expected: Record<UploadStatus, boolean> = {
    Validating: false,
    Pending: false,
    Processing: false,
    Validated: true,
    Succeeded: true,
    'Succeeded with errors': true,
    Rejected: true,
    Deleted: true,
    Approval_Requested: true,
  };

  it('covers every status', () => {
    // Assess
    expect(Object.keys(expected).sort()).toEqual([...UPLOAD_STATUSES].sort());
  });

  it.each(UPLOAD_STATUSES.map((status) => [status, expected[status]] as const))('%j settled: %j', (status, settled) => {
    // Act
    const result = isSettled(status);

    // Assess
    expect(result).toBe(settled);
  });
});

describe('composeUploadEmail', () => {
  it('puts the file name and the status in the subject', () => {
    // Act
    const { subject } = composeUploadEmail(anUpload({ status: 'Succeeded with errors' }), inputErrors(1), REPORT_PATH);

    // Assess
    expect(subject).toContain('1700000000-census.csv');
    expect(subject).toContain('Succeeded with errors');
  });

  it('states the file, status, counts, each error and where the report is', () => {
    // Prepare
    const upload = anUpload({ counts: { rowsRead: 5, rowsApplied: 3, rowsRejected: 2 } });

    // Act
    const { text } = composeUploadEmail(upload, inputErrors(2), REPORT_PATH);

    // Assess
    const lines = text.split('\n');
    expect(lines).toContain('File: 1700000000-census.csv');
    expect(lines).toContain('Status: Rejected');
    expect(lines).toContain('Rows read: 5');
    expect(lines).toContain('Rows applied: 3');
    expect(lines).toContain('Rows rejected: 2');
    expect(text).toContain('Errors (2 of 2)');
    expect(text).toContain('Email on line 1 is not valid.');
    expect(text).toContain('Email on line 2 is not valid.');
    expect(text).toContain(REPORT_PATH);
  });

  it('omits the counts when the upload has none (a whole-file rejection)', () => {
    // Prepare
    const error: UploadError = { source: 'Upload error', type: 'Empty file', description: 'The file is empty.' };

    // Act
    const { text } = composeUploadEmail(anUpload({ counts: undefined }), [error], REPORT_PATH);

    // Assess
    expect(text).not.toMatch(/Rows (read|applied|rejected)/);
    expect(text).toContain('Empty file');
    expect(text).toContain('The file is empty.');
  });

  it('lists at most the first 10 errors and says how many there are in all', () => {
    // Act
    const { text } = composeUploadEmail(anUpload(), inputErrors(12), REPORT_PATH);

    // Assess
    expect(text).toContain('(10 of 12)');
    expect(text).toContain('Email on line 10 is not valid.');
    expect(text).not.toContain('Email on line 11 is not valid.');
    expect(text).not.toContain('Email on line 12 is not valid.');
    expect(text.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(10);
  });

  it('says where each error is: company, line and field', () => {
    // Act
    const { text } = composeUploadEmail(anUpload(), inputErrors(1), REPORT_PATH);

    // Assess
    expect(text).toContain('company 37211173000169');
    expect(text).toContain('line 1');
    expect(text).toContain('field Email');
  });
});
