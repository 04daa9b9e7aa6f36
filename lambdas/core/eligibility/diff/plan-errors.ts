import type { ErrorSource, UploadError } from '../../uploads/upload-errors.ts';
import type { IdentityKey } from '../model.ts';

/**
 * The errors the diff itself raises (duplicates, unknown leavers, database wipes) and the order
 * errors are reported in. Descriptions speak to an HR admin and never echo an identifier's value:
 * a National ID must not leak into a report, and the line number is enough to find the row.
 */

/** Column header of each identifier a profile has, for an error's Field Name. */
export type IdentifierFields = Readonly<Partial<Record<IdentityKey, string>>>;

/** The Field Name of an identifier (its key when the profile names no column for it). */
export function fieldLabel(fields: IdentifierFields, key: IdentityKey): string {
  return fields[key] ?? key;
}

function orList(labels: readonly string[]): string {
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/** The `wellhub` column headers (SPEC §6.1). */
export const WELLHUB_IDENTIFIER_FIELDS: IdentifierFields = {
  employeeId: 'Employee ID',
  nationalId: 'National ID',
  email: 'Email',
};

/** A later line carrying an identifier an earlier line already carried (same company). */
export function duplicateInFile(companyTaxId: string, line: number, field: string, earlierLine: number): UploadError {
  return {
    companyTaxId,
    source: 'Input error',
    line,
    field,
    type: 'Duplicated',
    description: `This person already appears on line ${earlierLine} of the file (same ${field}). Keep one line per employee.`,
  };
}

/** A later line matching a stored employee an earlier line already matched. */
export function duplicateOfStored(companyTaxId: string, line: number, field: string, earlierLine: number): UploadError {
  return {
    companyTaxId,
    source: 'Input error',
    line,
    field,
    type: 'Duplicated',
    description:
      `This line and line ${earlierLine} are the same registered employee (this line matches them by ${field}). ` +
      'Keep one line per employee.',
  };
}

/** A leavers line that matches nobody active; `field` is set when it matches a removed employee. */
export function unknownLeaver(companyTaxId: string, line: number, fields: IdentifierFields, field?: string): UploadError {
  const description =
    field === undefined
      ? `No active employee of this company has this line's ${orList(Object.values(fields))}, so nobody was ` +
        'removed. Check them against the latest eligible list.'
      : `This employee was already removed (matched by ${field}). Take this line out of the leavers file.`;
  return { companyTaxId, source: 'Input error', line, ...(field === undefined ? {} : { field }), type: 'Unknown', description };
}

const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('en-US');

/** The safety threshold refusing a company's removals (SPEC §6.5). */
export function databaseWipe(
  companyTaxId: string,
  removals: number,
  activeBefore: number,
  threshold: number,
  wholeUpload: boolean,
): UploadError {
  const share = activeBefore === 0 ? 1 : removals / activeBefore;
  return {
    companyTaxId,
    source: 'Client error',
    type: 'Database wipe',
    description:
      `This file would remove ${count.format(removals)} of the ${count.format(activeBefore)} active employees of this ` +
      `company (${percent.format(share)}), more than the ${percent.format(threshold)} allowed at once, so ` +
      `${wholeUpload ? 'nothing in the file was applied' : 'nothing was applied for this company'}. Check that the ` +
      'file lists every active employee of the company. If these people really left, ask your Wellhub contact to ' +
      'raise the removal threshold for your account, then upload the file again.',
  };
}

const SOURCE_RANK: Readonly<Record<ErrorSource, number>> = { 'Upload error': 0, 'Client error': 1, 'Input error': 2 };

/** File-level errors first, then client errors, then input errors by line (stable within a line). */
export function sortErrors(errors: UploadError[]): UploadError[] {
  return errors.sort((a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || (a.line ?? 0) - (b.line ?? 0));
}
